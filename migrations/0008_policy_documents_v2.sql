-- Credit model v2 (issue #13) reads a stricter policy document: cashFlow.minCycleDays is gone
-- (the CBRC formula has no floor), dataChecks is new, and so is the credit_loan product. Stored
-- documents written for v1 would no longer compile, and a database whose champion is one could
-- not decide. Upgrade them in place, keeping their behaviour as close as v2 allows: the data
-- check at the default tolerance (15 days), and credit_loan present but disabled, so that no old
-- policy starts offering a product its authors never approved.
UPDATE "policies"
SET "document" = jsonb_set(
  jsonb_set("document" #- '{cashFlow,minCycleDays}', '{dataChecks}', '{"inventoryDaysTolerance": 15}'::jsonb, true),
  '{products,credit_loan}',
  '{"enabled": false, "minGrade": "B", "purposes": ["working_capital", "store_expansion"], "fitPurposes": ["working_capital", "store_expansion"], "minAmount": 5000000, "maxAmount": 100000000, "minTermMonths": 3, "maxTermMonths": 24, "method": "equal_instalment", "lgd": 0.45, "marginBps": 200, "rateFloorBps": 500, "rateCapBps": 1500, "minDscr": 1.5}'::jsonb,
  true
)
WHERE NOT ("document" ? 'dataChecks');
