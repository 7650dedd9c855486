/**
 * Benchmark of the credit model (npm run bench:model): complete decisions per second on one
 * core over the 200 survey merchants cycled, and the same scorecard (characteristics, bins,
 * points of the default policy) as a plain closure, in json-rules-engine and in
 * @gorules/zen-engine (one decision table, hit policy collect). Every engine's points are
 * checked against the closure's before timing, so the comparison is like for like.
 */
import { ZenEngine } from '@gorules/zen-engine';
import { Engine } from 'json-rules-engine';
import {
  compilePolicy,
  computeMetrics,
  type DecisionContext,
  decide,
  defaultPolicyDocument,
  type Metrics,
  type Survey,
} from '../../src/credit';
import type { CharacteristicDocument } from '../../src/credit/policy-schema';
import { scoreApplicant } from '../../src/credit/scorecard';
import { defaultRequest, sampleMerchants } from '../credit/sample';

const policy = compilePolicy(defaultPolicyDocument);
const characteristics = defaultPolicyDocument.scorecard.characteristics;
const context: DecisionContext = {
  operator: {
    agreementStatus: 'active',
    perMerchantCap: 300_000_000,
    available: 5_000_000_000,
    maxTermMonths: 36,
    depositRatioBps: 1_000,
  },
};
const cases = sampleMerchants.map((m) => {
  const request = m.request ?? defaultRequest;
  const metrics = computeMetrics(m.survey, policy.metricParams, request);
  return { survey: m.survey, request, metrics, facts: factsOf(m.survey, metrics) };
});

/** The scored fields as one flat object: the input rule engines expect. */
function factsOf(survey: Survey, metrics: Metrics): Record<string, number | string> {
  const all = { ...survey, ...metrics } as Record<string, number | string>;
  const facts: Record<string, number | string> = {};
  for (const c of characteristics) facts[c.field] = all[c.field] as number | string;
  return facts;
}

// --- json-rules-engine: one rule per bin, the event carries the points ----------------------
function jsonRulesEngine(): Engine {
  const engine = new Engine([], { allowUndefinedFacts: true });
  for (const c of characteristics) {
    c.bins.forEach((bin, i) => {
      const conditions =
        c.kind === 'categorical'
          ? [{ fact: c.field, operator: 'in', value: (bin as { values: string[] }).values }]
          : numericConditions(c.field, bin as { min: number | null; max: number | null });
      engine.addRule({
        name: `${c.name}#${i}`,
        conditions: { all: conditions },
        event: { type: 'points', params: { characteristic: c.name, points: bin.points } },
      });
    });
  }
  return engine;
}

function numericConditions(field: string, bin: { min: number | null; max: number | null }) {
  const out: { fact: string; operator: string; value: number }[] = [];
  if (bin.min !== null) out.push({ fact: field, operator: 'greaterThanInclusive', value: bin.min });
  if (bin.max !== null) out.push({ fact: field, operator: 'lessThan', value: bin.max });
  if (out.length === 0) out.push({ fact: field, operator: 'greaterThanInclusive', value: -1e308 });
  return out;
}

async function jreScore(engine: Engine, facts: Record<string, number | string>): Promise<number> {
  const { events } = await engine.run(facts);
  let score = policy.basePoints;
  for (const e of events) score += (e.params as { points: number }).points;
  return score;
}

// --- zen-engine: a decision table with one input column per characteristic -----------------
function zenContent(): object {
  const inputs = characteristics.map((c, i) => ({ id: `i${i}`, name: c.name, field: c.field }));
  const rules: Record<string, string>[] = [];
  characteristics.forEach((c: CharacteristicDocument, ci) => {
    c.bins.forEach((bin, bi) => {
      const row: Record<string, string> = { _id: `r${ci}_${bi}`, points: String(bin.points) };
      for (let k = 0; k < characteristics.length; k++) row[`i${k}`] = '';
      row[`i${ci}`] =
        c.kind === 'categorical'
          ? (bin as { values: string[] }).values.map((v) => `"${v}"`).join(', ')
          : zenInterval(bin as { min: number | null; max: number | null });
      rules.push(row);
    });
  });
  return {
    contentType: 'application/vnd.gorules.decision',
    nodes: [
      { id: 'in', type: 'inputNode', name: 'Request', position: { x: 0, y: 0 } },
      {
        id: 'scorecard',
        type: 'decisionTableNode',
        name: 'Scorecard',
        position: { x: 300, y: 0 },
        content: {
          hitPolicy: 'collect',
          inputs,
          outputs: [{ id: 'points', name: 'Points', field: 'points' }],
          rules,
        },
      },
      { id: 'out', type: 'outputNode', name: 'Response', position: { x: 600, y: 0 } },
    ],
    edges: [
      { id: 'e1', type: 'edge', sourceId: 'in', targetId: 'scorecard' },
      { id: 'e2', type: 'edge', sourceId: 'scorecard', targetId: 'out' },
    ],
  };
}

function zenInterval(bin: { min: number | null; max: number | null }): string {
  if (bin.min === null && bin.max === null) return '';
  if (bin.min === null) return `< ${bin.max}`;
  if (bin.max === null) return `>= ${bin.min}`;
  return `>= ${bin.min} and < ${bin.max}`;
}

function zenTotal(result: unknown): number {
  const rows = result as { points: number }[];
  let score = policy.basePoints;
  for (const r of rows) score += r.points;
  return score;
}

// --- timing -------------------------------------------------------------------------------
function timeSync(label: string, minMs: number, run: (i: number) => unknown): Row {
  for (let i = 0; i < 20_000; i++) run(i); // warm up the JIT
  let n = 0;
  const start = process.hrtime.bigint();
  let elapsed = 0;
  while (elapsed < minMs) {
    for (let k = 0; k < 10_000; k++) run(n++);
    elapsed = Number(process.hrtime.bigint() - start) / 1e6;
  }
  return { label, count: n, ms: elapsed };
}

async function timeAsync(label: string, minMs: number, run: (i: number) => Promise<unknown>) {
  for (let i = 0; i < 500; i++) await run(i);
  let n = 0;
  const start = process.hrtime.bigint();
  let elapsed = 0;
  while (elapsed < minMs) {
    for (let k = 0; k < 200; k++) await run(n++);
    elapsed = Number(process.hrtime.bigint() - start) / 1e6;
  }
  return { label, count: n, ms: elapsed };
}

interface Row {
  label: string;
  count: number;
  ms: number;
}

const at = (i: number) => cases[i % cases.length] as (typeof cases)[number];

async function main(): Promise<void> {
  const jre = jsonRulesEngine();
  const zen = new ZenEngine();
  const zenDecision = zen.createDecision(zenContent());

  // Like for like: every engine gives each merchant the closure's score.
  for (const c of cases) {
    const expected = scoreApplicant(c.survey, c.metrics, policy).score;
    const j = await jreScore(jre, c.facts);
    const z = zenTotal((await zenDecision.evaluate(c.facts)).result);
    if (j !== expected || z !== expected) {
      throw new Error(`engines disagree: closure ${expected}, json-rules-engine ${j}, zen ${z}`);
    }
  }

  let sink = 0;
  const rows: Row[] = [
    timeSync('decide() complete decision', 3_000, (i) => {
      const c = at(i);
      sink += decide(c.survey, c.request, policy, context).score;
    }),
    timeSync('closure scorecard', 2_000, (i) => {
      const c = at(i);
      sink += scoreApplicant(c.survey, c.metrics, policy).score;
    }),
    await timeAsync('json-rules-engine scorecard', 2_000, async (i) => {
      sink += await jreScore(jre, at(i).facts);
    }),
    await timeAsync('zen-engine scorecard', 2_000, async (i) => {
      sink += zenTotal((await zenDecision.evaluate(at(i).facts)).result);
    }),
  ];
  zen.dispose();

  const rate = (r: Row) => r.count / (r.ms / 1000);
  const closure = rate(rows[1] as Row);
  const line = (cells: string[]) =>
    cells[0]?.padEnd(30) +
    cells
      .slice(1)
      .map((c) => c.padStart(16))
      .join('');
  const out = [
    `credit model benchmark: ${cases.length} survey merchants cycled, node ${process.version}, policy v${policy.version}`,
    line(['', 'evals', 'evals/s', 'closure / this']),
    ...rows.map((r) =>
      line([
        r.label,
        String(r.count),
        Math.round(rate(r)).toLocaleString('en-US'),
        `${(closure / rate(r)).toFixed(1)}x`,
      ]),
    ),
    `decide() target >= 200,000/s: ${rate(rows[0] as Row) >= 200_000 ? 'met' : 'NOT met'}`,
    `(checksum ${sink % 997})`,
  ];
  process.stdout.write(`${out.join('\n')}\n`);
}

main().catch((e: unknown) => {
  process.stderr.write(`${e instanceof Error ? e.stack : String(e)}\n`);
  process.exit(1);
});
