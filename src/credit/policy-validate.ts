/**
 * Validation of a policy document. Structure (zod, strict: unknown keys are errors) and
 * meaning are checked together and every problem is reported in one answer: each section is
 * parsed on its own, and the semantic checks run on the sections that parsed, so a typo in
 * one product hides neither a gap between bins nor a cutoff out of order elsewhere.
 * Paths are strings in JavaScript accessor form: `scorecard.characteristics[2].bins[1].max`.
 */
import type { z } from 'zod';
import { CATEGORICAL_FIELDS, isCategoricalField, isNumericField } from './fields';
import { GRADES, type Grade, gradeAtLeast } from './grades';
import { annuityPresentValue } from './money';
import {
  type CharacteristicDocument,
  characteristicSchema,
  type KnockoutDocument,
  knockoutSchema,
  type PolicyDocument,
  type ProductsDocument,
  policyDocumentSchema,
  policySections,
  productSchemas,
} from './policy-schema';
import { type PolicyTestCase, policyTestCaseSchema } from './policy-test-cases';
import { MODEL_REASON_CODES } from './reason-texts';

export interface PolicyProblem {
  path: string;
  message: string;
  /** The same in Chinese: the risk team works in both languages. */
  messageZh: string;
}

/** Chinese wording for zod's issue codes in a policy document. */
const ZH_BY_ISSUE: Record<string, string> = {
  invalid_type: '类型不符',
  too_small: '数值过小或长度过短',
  too_big: '数值过大或长度过长',
  invalid_value: '取值不在允许范围内',
  invalid_format: '格式不正确',
  invalid_union: '取值不符合任何允许的形式',
  not_multiple_of: '数值不是要求的倍数',
  custom: '取值无效',
};

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

/** zod issues as problems; an unknown key is named by its own path, one problem per key. */
export function issueProblems(issues: z.core.$ZodIssue[], prefix: PropertyKey[] = []) {
  const problems: PolicyProblem[] = [];
  for (const issue of issues) {
    const at = [...prefix, ...issue.path];
    if (issue.code === 'unrecognized_keys') {
      for (const key of issue.keys) {
        problems.push({
          path: formatPath([...at, key]),
          message: `unknown key ${key}`,
          messageZh: `未知字段 ${key}`,
        });
      }
    } else {
      problems.push({
        path: formatPath(at),
        message: issue.message,
        messageZh: ZH_BY_ISSUE[issue.code] ?? '取值无效',
      });
    }
  }
  return problems;
}

export function validatePolicy(doc: unknown): PolicyValidation {
  const parsed = policyDocumentSchema.safeParse(doc);
  const problems = parsed.success ? [] : issueProblems(parsed.error.issues);
  const seen = new Set(problems.map((p) => `${p.path}\n${p.message}`));
  for (const p of semanticProblems(sectionsOf(parsed.success ? parsed.data : doc))) {
    if (!seen.has(`${p.path}\n${p.message}`)) problems.push(p);
  }
  if (parsed.success && problems.length === 0) return { ok: true, policy: parsed.data };
  return { ok: false, problems };
}

type Products = Partial<ProductsDocument>;
type ProductName = keyof ProductsDocument;
type AnyProduct = ProductsDocument[ProductName];

/** The sections of a document that parse on their own; lists element by element. */
interface Sections {
  grades?: PolicyDocument['grades'];
  outcomes?: PolicyDocument['outcomes'];
  limits?: PolicyDocument['limits'];
  cashFlow?: PolicyDocument['cashFlow'];
  exposure?: PolicyDocument['exposure'];
  guaranteeNetwork?: PolicyDocument['guaranteeNetwork'];
  characteristics: (CharacteristicDocument | undefined)[];
  knockouts: (KnockoutDocument | undefined)[];
  products: Products;
  testCases: (PolicyTestCase | undefined)[];
  /** True when every product parsed: checks over all products need all of them. */
  allProducts: boolean;
}

function isRecord(x: unknown): x is Record<string, unknown> {
  return typeof x === 'object' && x !== null && !Array.isArray(x);
}

function parsedOr<T>(schema: z.ZodType<T>, value: unknown): T | undefined {
  const r = schema.safeParse(value);
  return r.success ? r.data : undefined;
}

function listOf<T>(schema: z.ZodType<T>, value: unknown): (T | undefined)[] {
  return Array.isArray(value) ? value.map((v) => parsedOr(schema, v)) : [];
}

function sectionsOf(doc: unknown): Sections {
  const d = isRecord(doc) ? doc : {};
  const scorecard = isRecord(d.scorecard) ? d.scorecard : {};
  const rawProducts = isRecord(d.products) ? d.products : {};
  const products: Record<string, unknown> = {};
  let allProducts = true;
  for (const [name, schema] of Object.entries(productSchemas)) {
    const p = parsedOr(schema as z.ZodType<unknown>, rawProducts[name]);
    if (p === undefined) allProducts = false;
    else products[name] = p;
  }
  return {
    grades: parsedOr(policySections.grades, d.grades),
    outcomes: parsedOr(policySections.outcomes, d.outcomes),
    limits: parsedOr(policySections.limits, d.limits),
    cashFlow: parsedOr(policySections.cashFlow, d.cashFlow),
    exposure: parsedOr(policySections.exposure, d.exposure),
    guaranteeNetwork: parsedOr(policySections.guaranteeNetwork, d.guaranteeNetwork),
    characteristics: listOf(characteristicSchema, scorecard.characteristics),
    knockouts: listOf(knockoutSchema, d.knockouts),
    testCases: listOf(policyTestCaseSchema, d.testCases),
    products: products as Products,
    allProducts,
  };
}

type Add = (path: string, message: string, messageZh: string) => void;

function semanticProblems(s: Sections): PolicyProblem[] {
  const problems: PolicyProblem[] = [];
  const add: Add = (path, message, messageZh) => problems.push({ path, message, messageZh });

  checkCharacteristics(s.characteristics, add);
  checkKnockouts(s.knockouts, add);
  checkReasonCodes(s, add);
  if (s.grades) checkGrades(s.grades, add);
  if (s.outcomes && s.outcomes.referMinScore > s.outcomes.approveMinScore) {
    add(
      'outcomes.referMinScore',
      'refer cutoff must not be above the approve cutoff',
      '转人工审查分数线不得高于批准分数线',
    );
  }
  if (s.limits && s.limits.storeExpansion.minAmount > s.limits.storeExpansion.maxAmount) {
    add('limits.storeExpansion.minAmount', 'minimum is above maximum', '最小值高于最大值');
  }
  checkProducts(s.products, add);
  if (s.allProducts) checkAcrossProducts(s, add);
  checkTestCases(s.testCases, add);
  return problems;
}

function checkGrades(grades: PolicyDocument['grades'], add: Add): void {
  for (let i = 1; i < 4; i++) {
    const better = GRADES[i - 1] as 'A' | 'B' | 'C';
    const worse = GRADES[i] as 'B' | 'C' | 'D';
    if (grades[worse] >= grades[better]) {
      add(
        `grades.${worse}`,
        `grade ${worse} minimum must be below grade ${better} minimum`,
        `${worse} 级下限须低于 ${better} 级下限`,
      );
    }
  }
}

function checkProducts(products: Products, add: Add): void {
  for (const [name, p] of Object.entries(products) as [ProductName, AnyProduct][]) {
    const at = `products.${name}`;
    if (p.minAmount > p.maxAmount)
      add(`${at}.minAmount`, 'minimum amount is above the product cap', '最低金额高于产品上限');
    if (p.rateFloorBps > p.rateCapBps)
      add(`${at}.rateFloorBps`, 'rate floor is above the rate cap', '利率下限高于利率上限');
    p.fitPurposes.forEach((purpose, i) => {
      if (!p.purposes.includes(purpose)) {
        add(
          `${at}.fitPurposes[${i}]`,
          `${purpose} is not among the product's purposes`,
          `${purpose} 不在该产品的贷款用途之内`,
        );
      }
    });
    if ('minTermMonths' in p && p.minTermMonths > p.maxTermMonths) {
      add(`${at}.minTermMonths`, 'minimum term is above the maximum term', '最短期限长于最长期限');
    }
  }
  const joint = products.joint_guarantee;
  if (joint && joint.perMemberCap > joint.maxAmount) {
    add(
      'products.joint_guarantee.perMemberCap',
      'per-member cap is above the product cap',
      '每位成员上限高于产品上限',
    );
  }
  if (joint && joint.minGroupSize > joint.maxGroupSize) {
    add(
      'products.joint_guarantee.minGroupSize',
      'minimum group size is above the maximum',
      '最少成员数多于最多成员数',
    );
  }
  const card = products.credit_card;
  const cashFlowMultiple = card?.maxMultipleOfMonthlyNetCashFlow ?? null;
  if (card && cashFlowMultiple !== null) {
    // A fully drawn limit repaid by its review at the rate cap must fit the cash flow it was sized
    // on: the card's instalment in the ledger (monthlyInstalmentOf) stays within coverage.
    const most = annuityPresentValue(1, card.rateCapBps, card.termMonths);
    if (cashFlowMultiple > most) {
      const shown = Math.floor(most * 100) / 100;
      add(
        'products.credit_card.maxMultipleOfMonthlyNetCashFlow',
        `above ${shown}: a limit drawn in full and repaid by its review (${card.termMonths} months at the rate cap) would need more than the free cash flow it is sized on`,
        `高于 ${shown}：额度全部使用并在复审前（${card.termMonths} 个月，按利率上限）还清，所需月还款将超过据以核额的偿债后月净现金流`,
      );
    }
  }
  if (card) {
    for (let i = 1; i < GRADES.length; i++) {
      const better = GRADES[i - 1] as Grade;
      const worse = GRADES[i] as Grade;
      if (card.multiplesByGrade[worse] > card.multiplesByGrade[better]) {
        add(
          `products.credit_card.multiplesByGrade.${worse}`,
          `grade ${worse} must not size above grade ${better}`,
          `${worse} 级的额度倍数不得高于 ${better} 级`,
        );
      }
    }
  }
}

/** Checks that read several sections: what no single section can get wrong on its own. */
function checkAcrossProducts(s: Sections, add: Add): void {
  const enabled = (Object.entries(s.products) as [ProductName, AnyProduct][]).filter(
    ([, p]) => p.enabled,
  );
  if (enabled.length === 0) {
    add(
      'products',
      'no product is enabled: every approve would become a refer',
      '未启用任何产品：所有批准都会变为转人工审查',
    );
    return;
  }
  if (s.grades && s.outcomes) {
    const g = s.grades;
    const score = s.outcomes.approveMinScore;
    const grade: Grade =
      score >= g.A ? 'A' : score >= g.B ? 'B' : score >= g.C ? 'C' : score >= g.D ? 'D' : 'E';
    if (!enabled.some(([, p]) => gradeAtLeast(grade, p.minGrade))) {
      const weakest = enabled.map(([, p]) => p.minGrade).sort()[enabled.length - 1];
      add(
        'outcomes.approveMinScore',
        `the approve cutoff ${score} is grade ${grade}, below every enabled product's minimum grade (at best ${weakest})`,
        `批准分数线 ${score} 对应 ${grade} 级，低于所有已启用产品的最低等级（最低为 ${weakest} 级）`,
      );
    }
  }
  const loan = s.products.credit_loan;
  if (loan && s.cashFlow && loan.minDscr < s.cashFlow.minDscr) {
    add(
      'products.credit_loan.minDscr',
      `an unsecured loan needs at least the house coverage ${s.cashFlow.minDscr}`,
      `信用贷款的偿债覆盖率要求不得低于全行标准 ${s.cashFlow.minDscr}`,
    );
  }
  const joint = s.products.joint_guarantee;
  const multiple = s.exposure?.maxMultipleOfAnnualNetProfit ?? null;
  if (s.exposure && multiple !== null && joint?.enabled) {
    const counted = s.exposure.contingentWeight * joint.contingentLiabilityMultiple;
    if (counted >= multiple) {
      add(
        'exposure.contingentWeight',
        `a group member at its contingent-liability ceiling (${joint.contingentLiabilityMultiple}x annual net profit, weighted ${s.exposure.contingentWeight}) would use the whole total cap (${multiple}x) and could never borrow`,
        `联保成员的或有负债达到上限（年净利润的 ${joint.contingentLiabilityMultiple} 倍，按 ${s.exposure.contingentWeight} 计入）时将占满授信总额上限（${multiple} 倍），无法再借款`,
      );
    }
  }
  const network = s.guaranteeNetwork;
  if (network && joint?.enabled) {
    const smallest = joint.minAmount * joint.minGroupSize;
    if (network.maxCircleBorrowing !== null && network.maxCircleBorrowing < smallest) {
      add(
        'guaranteeNetwork.maxCircleBorrowing',
        `below the smallest group's loans (${smallest} fen): no group in a circle could ever be decided`,
        `低于最小联保小组的贷款合计（${smallest} 分），担保圈中的小组均无法获批`,
      );
    }
  }
  if (s.limits) {
    const funding = enabled.filter(([, p]) => p.purposes.includes('store_expansion'));
    const cap = Math.max(0, ...funding.map(([, p]) => p.maxAmount));
    if (funding.length > 0 && s.limits.storeExpansion.minAmount > cap) {
      add(
        'limits.storeExpansion.minAmount',
        `the store-expansion range starts above every product cap (at most ${cap})`,
        `扩店贷款金额下限高于所有产品上限（最高 ${cap}）`,
      );
    }
  }
}

function checkTestCases(list: (PolicyTestCase | undefined)[], add: Add): void {
  const names = new Set<string>();
  list.forEach((tc, i) => {
    if (!tc) return;
    if (names.has(tc.name))
      add(
        `testCases[${i}].name`,
        `duplicate test case name ${tc.name}`,
        `测试用例名称重复：${tc.name}`,
      );
    names.add(tc.name);
    const { minAmount, maxAmount } = tc.expect;
    if (minAmount !== undefined && maxAmount !== undefined && minAmount > maxAmount) {
      add(`testCases[${i}].expect.minAmount`, 'minimum is above maximum', '最小值高于最大值');
    }
  });
}

/** Reason codes are what a merchant and a reviewer read: each means one thing. */
function checkReasonCodes(s: Sections, add: Add): void {
  const owner = new Map<string, string>(MODEL_REASON_CODES.map((c) => [c, 'the model']));
  const claim = (code: string, path: string) => {
    const first = owner.get(code);
    if (first !== undefined)
      add(
        path,
        `duplicate reason code ${code} (also ${first})`,
        `原因代码重复：${code}（另见 ${first}）`,
      );
    else owner.set(code, path);
  };
  s.characteristics.forEach((c, i) => {
    if (c) claim(c.reasonCode, `scorecard.characteristics[${i}].reasonCode`);
  });
  s.knockouts.forEach((k, i) => {
    if (k) claim(k.code, `knockouts[${i}].code`);
  });
}

function checkCharacteristics(list: (CharacteristicDocument | undefined)[], add: Add): void {
  const names = new Set<string>();
  list.forEach((c, ci) => {
    if (!c) return;
    const at = `scorecard.characteristics[${ci}]`;
    if (names.has(c.name))
      add(`${at}.name`, `duplicate characteristic name ${c.name}`, `评分特征名称重复：${c.name}`);
    names.add(c.name);
    if (c.kind === 'numeric') {
      if (!isNumericField(c.field)) {
        add(
          `${at}.field`,
          `unknown numeric survey field or metric: ${c.field}`,
          `未知的数值型调查字段或指标：${c.field}`,
        );
      }
      checkNumericBins(c, at, add);
    } else {
      if (!isCategoricalField(c.field)) {
        add(
          `${at}.field`,
          `unknown categorical survey field: ${c.field}`,
          `未知的分类型调查字段：${c.field}`,
        );
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
    add(
      `${at}.bins[0].min`,
      'the first bin must be open below (null)',
      '第一个分箱的下限须为空（null）',
    );
  if (last && last.max !== null) {
    add(
      `${at}.bins[${bins.length - 1}].max`,
      'the last bin must be open above (null)',
      '最后一个分箱的上限须为空（null）',
    );
  }
  bins.forEach((b, i) => {
    if (b.min !== null && b.max !== null && b.min >= b.max) {
      add(`${at}.bins[${i}].max`, 'bin maximum must be above its minimum', '分箱上限须高于下限');
    }
    if (i > 0 && b.min === null)
      add(
        `${at}.bins[${i}].min`,
        'only the first bin may be open below',
        '只有第一个分箱的下限可以为空',
      );
    if (i < bins.length - 1 && b.max === null) {
      add(
        `${at}.bins[${i}].max`,
        'only the last bin may be open above',
        '只有最后一个分箱的上限可以为空',
      );
    }
    const next = bins[i + 1];
    if (next && b.max !== null && next.min !== null && b.max !== next.min) {
      const kind = b.max < next.min ? 'gap' : 'overlap';
      add(
        `${at}.bins[${i}].max`,
        `${kind} between bins ${i} and ${i + 1}: ${b.max} vs ${next.min}`,
        `分箱 ${i} 与 ${i + 1} 之间${kind === 'gap' ? '有空缺' : '有重叠'}：${b.max} 对 ${next.min}`,
      );
    }
    if (next && c.direction !== 'none') {
      const worse =
        c.direction === 'higher_is_better' ? next.points < b.points : next.points > b.points;
      if (worse) {
        add(
          `${at}.bins[${i + 1}].points`,
          `points must follow the direction ${c.direction}`,
          `分值须符合方向 ${c.direction}`,
        );
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
      if (!domain.includes(v))
        add(`${at}.bins[${i}].values[${j}]`, `unknown category ${v}`, `未知类别 ${v}`);
      else if (seen.has(v))
        add(
          `${at}.bins[${i}].values[${j}]`,
          `overlap: ${v} is in two bins`,
          `重叠：${v} 出现在两个分箱中`,
        );
      seen.add(v);
    });
  });
  const missing = domain.filter((v) => !seen.has(v));
  if (missing.length > 0)
    add(
      `${at}.bins`,
      `gap: no bin for ${missing.join(', ')}`,
      `空缺：${missing.join('、')} 没有对应的分箱`,
    );
}

function checkKnockouts(list: (KnockoutDocument | undefined)[], add: Add): void {
  list.forEach((k, i) => {
    if (!k) return;
    const at = `knockouts[${i}]`;
    if (k.operator === 'in') {
      if (!isCategoricalField(k.field)) {
        add(
          `${at}.field`,
          `unknown categorical survey field: ${k.field}`,
          `未知的分类型调查字段：${k.field}`,
        );
      } else if (!Array.isArray(k.value)) {
        add(`${at}.value`, 'operator in needs a list of categories', '运算符 in 需要类别列表');
      } else {
        const domain = CATEGORICAL_FIELDS[k.field] ?? [];
        k.value.forEach((v, j) => {
          if (!domain.includes(v))
            add(`${at}.value[${j}]`, `unknown category ${v}`, `未知类别 ${v}`);
        });
      }
    } else {
      if (!isNumericField(k.field))
        add(
          `${at}.field`,
          `unknown numeric survey field or metric: ${k.field}`,
          `未知的数值型调查字段或指标：${k.field}`,
        );
      if (typeof k.value !== 'number')
        add(
          `${at}.value`,
          `operator ${k.operator} needs a number`,
          `运算符 ${k.operator} 需要数值`,
        );
    }
  });
}
