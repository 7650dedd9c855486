/**
 * Individual guarantors (保证人, issue #16) an application names: checked against the applicant
 * and the policy, and written with the application in a transaction that settles their exposure
 * ledgers (each guarantor's contingent liability) and the guarantee network's edges.
 */
import type { CompiledPolicy } from '../../credit';
import type { Db } from '../../db/connect';
import type { CommandContext } from '../../lib/command-context';
import { AppError, unprocessable, validationFailed } from '../../lib/errors';
import { canSeeMerchantRecord } from '../merchants/access';
import { findMerchantsFor, type MerchantRow } from '../merchants/repository';
import type { SubmitApplicationBody } from './schemas';

export type GuarantorRequest = NonNullable<SubmitApplicationBody['guarantors']>[number];

const at = (i: number, field: string) => `body.guarantors.${i}.${field}`;

/** What the request alone can say is wrong: duplicates, the applicant itself, amounts, dates. */
export function checkGuarantorRequest(body: SubmitApplicationBody, now: Date): void {
  const list = body.guarantors ?? [];
  if (list.length === 0) return;
  const problems: { path: string; message: string; messageZh: string }[] = [];
  if (body.request.guaranteeGroupId) {
    problems.push({
      path: 'body.guarantors',
      message: "a group member's loan is guaranteed by its group; name no individual guarantors",
      messageZh: '联保贷款由联保小组担保，不能另列保证人',
    });
  }
  const seen = new Set<string>();
  list.forEach((g, i) => {
    if (g.merchantId === body.merchantId) {
      problems.push({
        path: at(i, 'merchantId'),
        message: 'the applicant cannot guarantee its own loan',
        messageZh: '申请人不能为自己的贷款担保',
      });
    }
    if (seen.has(g.merchantId)) {
      problems.push({
        path: at(i, 'merchantId'),
        message: 'a guarantor is named twice',
        messageZh: '保证人重复',
      });
    }
    seen.add(g.merchantId);
    if (g.amount > body.request.amount) {
      problems.push({
        path: at(i, 'amount'),
        message: `a guarantee is at most the requested amount (${body.request.amount} fen)`,
        messageZh: `担保金额不得超过申请金额（${body.request.amount} 分）`,
      });
    }
    if (new Date(g.consentedAt).getTime() > now.getTime()) {
      problems.push({
        path: at(i, 'consentedAt'),
        message: 'consent cannot be dated in the future',
        messageZh: '保证人同意时间不能晚于当前时间',
      });
    }
  });
  if (problems.length) throw validationFailed(problems);
}

/**
 * The guarantors as merchants: each one the caller may see (404 naming it otherwise), of the
 * applicant's market and not the applicant's own person (422), within the policy's number.
 */
export async function loadGuarantors(
  db: Db,
  ctx: CommandContext,
  list: GuarantorRequest[],
  applicant: MerchantRow,
  policy: CompiledPolicy,
): Promise<MerchantRow[]> {
  if (list.length === 0) return [];
  const max = policy.document.individualGuarantee.maxGuarantors;
  if (list.length > max) {
    throw validationFailed([
      {
        path: 'body.guarantors',
        message: `at most ${max} guarantors`,
        messageZh: `保证人最多 ${max} 名`,
      },
    ]);
  }
  const records = await findMerchantsFor(
    db,
    list.map((g) => g.merchantId),
    ctx.actor,
  );
  const visible = new Map(
    records
      .filter((r) => canSeeMerchantRecord(ctx.actor, r.merchant, r.link))
      .map((r) => [r.merchant.id, r.merchant]),
  );
  const missing = list.flatMap((g, i) => (visible.has(g.merchantId) ? [] : [i]));
  if (missing.length) {
    throw new AppError(
      404,
      'NOT_FOUND',
      'Guarantor not found',
      '未找到保证人',
      missing.map((i) => ({
        path: at(i, 'merchantId'),
        message: 'no such merchant',
        messageZh: '商户不存在',
      })),
    );
  }
  const merchants = list.map((g) => visible.get(g.merchantId) as MerchantRow);
  const elsewhere = merchants.flatMap((m, i) => (m.marketId === applicant.marketId ? [] : [i]));
  if (elsewhere.length) {
    throw unprocessable(
      'GUARANTOR_OTHER_MARKET',
      "A guarantor must trade in the applicant's market",
      '保证人须与申请人在同一市场经营',
      elsewhere.map((i) => ({
        path: at(i, 'merchantId'),
        message: 'in another market',
        messageZh: '不在申请人所在市场',
      })),
    );
  }
  const self = merchants.flatMap((m, i) =>
    m.idNumberDigest === applicant.idNumberDigest ? [i] : [],
  );
  if (self.length) {
    throw unprocessable(
      'GUARANTOR_IS_APPLICANT',
      "A guarantor shares the applicant's identity: one cannot guarantee oneself",
      '保证人与申请人为同一人，不能为自己担保',
      self.map((i) => ({
        path: at(i, 'merchantId'),
        message: 'same identity as the applicant',
        messageZh: '与申请人身份相同',
      })),
    );
  }
  return merchants;
}
