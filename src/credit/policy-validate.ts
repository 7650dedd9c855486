/**
 * Validation of a policy document. Structure first (zod, every issue at once); when the
 * structure holds, the semantic checks all run and every problem is reported together.
 * Paths are strings in JavaScript accessor form: `scorecard.characteristics[2].bins[1].max`.
 */
import { CATEGORICAL_FIELDS, isCategoricalField, isNumericField } from './fields';
import { GRADES } from './grades';
import {
  type CharacteristicDocument,
  type KnockoutDocument,
  type PolicyDocument,
  policyDocumentSchema,
} from './policy-schema';

export interface PolicyProblem {
  path: string;
  message: string;
}

export type PolicyValidation =
  | { ok: true; policy: PolicyDocument }
  | { ok: false; problems: PolicyProblem[] };

/** ['a', 0, 'b'] -> 'a[0].b' */
export function formatPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const key of path) {
    if (typeof key === 'number') out += `[${key}]`;
    else out += out === '' ? String(key) : `.${String(key)}`;
  }
  return out;
}

export function validatePolicy(doc: unknown): PolicyValidation {
  const parsed = policyDocumentSchema.safeParse(doc);
  if (!parsed.success) {
    return {
      ok: false,
      problems: parsed.error.issues.map((i) => ({ path: formatPath(i.path), message: i.message })),
    };
  }
  const problems = semanticProblems(parsed.data);
  return problems.length === 0 ? { ok: true, policy: parsed.data } : { ok: false, problems };
}

function semanticProblems(doc: PolicyDocument): PolicyProblem[] {
  const problems: PolicyProblem[] = [];
  const add = (path: string, message: string) => problems.push({ path, message });

  checkCharacteristics(doc.scorecard.characteristics, add);
  checkKnockouts(doc.knockouts, add);

  for (let i = 1; i < 4; i++) {
    const better = GRADES[i - 1] as 'A' | 'B' | 'C';
    const worse = GRADES[i] as 'B' | 'C' | 'D';
    if (doc.grades[worse] >= doc.grades[better]) {
      add(`grades.${worse}`, `grade ${worse} minimum must be below grade ${better} minimum`);
    }
  }
  if (doc.outcomes.referMinScore > doc.outcomes.approveMinScore) {
    add('outcomes.referMinScore', 'refer cutoff must not be above the approve cutoff');
  }
  const { storeExpansion } = doc.limits;
  if (storeExpansion.minAmount > storeExpansion.maxAmount) {
    add('limits.storeExpansion.minAmount', 'minimum is above maximum');
  }

  for (const [name, p] of Object.entries(doc.products)) {
    const at = `products.${name}`;
    if (p.minAmount > p.maxAmount)
      add(`${at}.minAmount`, 'minimum amount is above the product cap');
    if (p.rateFloorBps > p.rateCapBps)
      add(`${at}.rateFloorBps`, 'rate floor is above the rate cap');
    p.fitPurposes.forEach((purpose, i) => {
      if (!p.purposes.includes(purpose)) {
        add(`${at}.fitPurposes[${i}]`, `${purpose} is not among the product's purposes`);
      }
    });
  }
  for (const name of ['operator_guarantee', 'joint_guarantee'] as const) {
    const p = doc.products[name];
    if (p.minTermMonths > p.maxTermMonths) {
      add(`products.${name}.minTermMonths`, 'minimum term is above the maximum term');
    }
  }
  const joint = doc.products.joint_guarantee;
  if (joint.perMemberCap > joint.maxAmount) {
    add('products.joint_guarantee.perMemberCap', 'per-member cap is above the product cap');
  }
  if (joint.minGroupSize > joint.maxGroupSize) {
    add('products.joint_guarantee.minGroupSize', 'minimum group size is above the maximum');
  }
  const card = doc.products.credit_card;
  for (let i = 1; i < GRADES.length; i++) {
    const better = GRADES[i - 1] as keyof typeof card.multiplesByGrade;
    const worse = GRADES[i] as keyof typeof card.multiplesByGrade;
    if (card.multiplesByGrade[worse] > card.multiplesByGrade[better]) {
      add(
        `products.credit_card.multiplesByGrade.${worse}`,
        `grade ${worse} must not size above grade ${better}`,
      );
    }
  }
  return problems;
}

type Add = (path: string, message: string) => void;

function checkCharacteristics(list: CharacteristicDocument[], add: Add): void {
  const names = new Set<string>();
  list.forEach((c, ci) => {
    const at = `scorecard.characteristics[${ci}]`;
    if (names.has(c.name)) add(`${at}.name`, `duplicate characteristic name ${c.name}`);
    names.add(c.name);
    if (c.kind === 'numeric') {
      if (!isNumericField(c.field)) {
        add(`${at}.field`, `unknown numeric survey field or metric: ${c.field}`);
      }
      checkNumericBins(c, at, add);
    } else {
      if (!isCategoricalField(c.field)) {
        add(`${at}.field`, `unknown categorical survey field: ${c.field}`);
        return;
      }
      checkCategoricalBins(c.bins, CATEGORICAL_FIELDS[c.field] ?? [], at, add);
    }
  });
}

function checkNumericBins(
  c: Extract<CharacteristicDocument, { kind: 'numeric' }>,
  at: string,
  add: Add,
): void {
  const { bins } = c;
  const first = bins[0];
  const last = bins[bins.length - 1];
  if (first && first.min !== null)
    add(`${at}.bins[0].min`, 'the first bin must be open below (null)');
  if (last && last.max !== null) {
    add(`${at}.bins[${bins.length - 1}].max`, 'the last bin must be open above (null)');
  }
  bins.forEach((b, i) => {
    if (b.min !== null && b.max !== null && b.min >= b.max) {
      add(`${at}.bins[${i}].max`, 'bin maximum must be above its minimum');
    }
    if (i > 0 && b.min === null)
      add(`${at}.bins[${i}].min`, 'only the first bin may be open below');
    if (i < bins.length - 1 && b.max === null) {
      add(`${at}.bins[${i}].max`, 'only the last bin may be open above');
    }
    const next = bins[i + 1];
    if (next && b.max !== null && next.min !== null && b.max !== next.min) {
      const kind = b.max < next.min ? 'gap' : 'overlap';
      add(
        `${at}.bins[${i}].max`,
        `${kind} between bins ${i} and ${i + 1}: ${b.max} vs ${next.min}`,
      );
    }
    if (next && c.direction !== 'none') {
      const worse =
        c.direction === 'higher_is_better' ? next.points < b.points : next.points > b.points;
      if (worse) {
        add(`${at}.bins[${i + 1}].points`, `points must follow the direction ${c.direction}`);
      }
    }
  });
}

function checkCategoricalBins(
  bins: { values: string[]; points: number }[],
  domain: readonly string[],
  at: string,
  add: Add,
): void {
  const seen = new Set<string>();
  bins.forEach((b, i) => {
    b.values.forEach((v, j) => {
      if (!domain.includes(v)) add(`${at}.bins[${i}].values[${j}]`, `unknown category ${v}`);
      else if (seen.has(v)) add(`${at}.bins[${i}].values[${j}]`, `overlap: ${v} is in two bins`);
      seen.add(v);
    });
  });
  const missing = domain.filter((v) => !seen.has(v));
  if (missing.length > 0) add(`${at}.bins`, `gap: no bin for ${missing.join(', ')}`);
}

function checkKnockouts(list: KnockoutDocument[], add: Add): void {
  const codes = new Set<string>();
  list.forEach((k, i) => {
    const at = `knockouts[${i}]`;
    if (codes.has(k.code)) add(`${at}.code`, `duplicate knock-out code ${k.code}`);
    codes.add(k.code);
    if (k.operator === 'in') {
      if (!isCategoricalField(k.field)) {
        add(`${at}.field`, `unknown categorical survey field: ${k.field}`);
      } else if (!Array.isArray(k.value)) {
        add(`${at}.value`, 'operator in needs a list of categories');
      } else {
        const domain = CATEGORICAL_FIELDS[k.field] ?? [];
        k.value.forEach((v, j) => {
          if (!domain.includes(v)) add(`${at}.value[${j}]`, `unknown category ${v}`);
        });
      }
    } else {
      if (!isNumericField(k.field))
        add(`${at}.field`, `unknown numeric survey field or metric: ${k.field}`);
      if (typeof k.value !== 'number') add(`${at}.value`, `operator ${k.operator} needs a number`);
    }
  });
}
