import type { Db } from '../../db/connect';
import type { AppDeps } from '../../deps';
import type { CommandContext } from '../../lib/command-context';
import { decodeCursor, page } from '../../lib/cursor';
import { AppError, conflict, notFound, validationFailed } from '../../lib/errors';
import { newId } from '../../lib/ids';
import { isMainlandMobile, maskIdNumber, maskPhone, personalDigest } from '../../lib/personal-data';
import type { Principal } from '../../lib/principal';
import { appendAudit } from '../audit/repository';
import { canCreateMerchantIn, canSeeMerchantRecord } from './access';
import * as repo from './repository';
import { type CreateMerchantBody, identifierKind, type MerchantView } from './schemas';

/**
 * The only shape a merchant leaves the service in: identity number and phone masked. A partner
 * sees the registration facts of its own link, never another partner's.
 */
export function toView(
  row: repo.MerchantRow,
  link: repo.MerchantLinkRow | null = null,
): MerchantView {
  return {
    id: row.id,
    name: row.name,
    idNumber: row.idNumberMasked,
    phone: row.phoneMasked,
    businessForm: row.businessForm ?? null,
    marketId: row.marketId,
    stallNo: row.stallNo,
    leaseEndsOn: row.leaseEndsOn,
    partnerId: link ? link.partnerId : row.partnerId,
    createdBy: link ? link.createdBy : row.createdBy,
    createdAt: (link ? link.createdAt : row.createdAt).toISOString(),
  };
}

/**
 * The caller registered this person in this market already: the answer names its own record.
 * Only a caller that sees the record gets here (a partner without a link is linked instead).
 */
const duplicateMerchant = (existingId: string) =>
  conflict(
    'DUPLICATE_MERCHANT',
    `A merchant with this identity number is already registered in this market: ${existingId}`,
    `该市场已登记使用此证件号码的商户：${existingId}`,
    [
      {
        path: 'body.idNumber',
        message: `already registered in this market as ${existingId}`,
        messageZh: `该证件号码已在本市场登记为 ${existingId}`,
      },
    ],
    { existingId },
  );

const marketNotFound = () =>
  new AppError(404, 'NOT_FOUND', 'Market not found', '未找到该市场', [
    { path: 'body.marketId', message: 'market not found', messageZh: '市场不存在' },
  ]);

/**
 * Registers a merchant: the caller may act in the market, the market exists, the identity is
 * not yet registered in it; then the row (digests and masked copies only) and its audit event.
 */
export async function createMerchant(
  deps: AppDeps,
  ctx: CommandContext,
  body: CreateMerchantBody,
  tx: Db,
): Promise<MerchantView> {
  const actor = ctx.actor;
  if (!canCreateMerchantIn(actor, body.marketId)) throw marketNotFound();
  const idNumber = body.idNumber.toUpperCase();
  const businessForm = body.businessForm ?? identifierKind(idNumber);
  const key = deps.config.PII_DIGEST_KEY;
  const idNumberDigest = personalDigest(key, idNumber);
  await repo.lockIdentity(tx, body.marketId, idNumberDigest);
  if (!(await repo.marketExists(tx, body.marketId))) {
    throw validationFailed([
      {
        path: 'body.marketId',
        message: `unknown market ${body.marketId}`,
        messageZh: `市场 ${body.marketId} 不存在`,
      },
    ]);
  }
  const existing = await repo.findByIdentity(tx, body.marketId, idNumberDigest);
  if (existing) {
    const partnerId = actor.role === 'partner' ? actor.partnerId : null;
    // The bank's own roles see every merchant of their markets: a plain duplicate. A partner
    // learns nothing of who else banks the person: it gets its own link to the one record.
    if (!partnerId || (await repo.findLink(tx, existing.id, partnerId)))
      throw duplicateMerchant(existing.id);
    const link = await repo.insertLink(tx, {
      merchantId: existing.id,
      partnerId,
      createdBy: actor.keyId,
      createdAt: ctx.now,
    });
    await appendAudit(tx, ctx, [
      {
        entityType: 'merchant',
        entityId: existing.id,
        action: 'merchant.linked',
        data: { marketId: existing.marketId, partnerId },
      },
    ]);
    const view = toView(existing, link);
    return view;
  }
  const row = await repo.insertMerchant(tx, {
    id: newId('mer'),
    name: body.name,
    idNumberDigest,
    idNumberMasked: maskIdNumber(idNumber),
    phoneDigest: personalDigest(key, body.phone),
    phoneMasked: maskPhone(body.phone),
    businessForm,
    marketId: body.marketId,
    stallNo: body.stallNo,
    leaseEndsOn: body.leaseEndsOn ?? null,
    partnerId: actor.role === 'partner' ? actor.partnerId : null,
    createdBy: actor.keyId,
    createdAt: ctx.now,
  });
  const link =
    row.partnerId === null
      ? null
      : await repo.insertLink(tx, {
          merchantId: row.id,
          partnerId: row.partnerId,
          createdBy: row.createdBy,
          createdAt: row.createdAt,
        });
  await appendAudit(tx, ctx, [
    {
      entityType: 'merchant',
      entityId: row.id,
      action: 'merchant.created',
      // No personal data in the trail: the masked copies live on the row.
      data: {
        marketId: row.marketId,
        stallNo: row.stallNo,
        partnerId: row.partnerId,
        businessForm,
      },
    },
  ]);
  const view = toView(row, link);
  return view;
}

/** An identity number or phone is looked up by its digest, as it is stored; else by text. */
function searchFor(deps: AppDeps, q: string): repo.MerchantSearch {
  const key = deps.config.PII_DIGEST_KEY;
  const upper = q.toUpperCase();
  if (identifierKind(upper)) return { kind: 'idNumber', digest: personalDigest(key, upper) };
  if (isMainlandMobile(q)) return { kind: 'phone', digest: personalDigest(key, q) };
  return { kind: 'text', text: q };
}

export async function listMerchants(
  deps: AppDeps,
  principal: Principal,
  query: { limit: number; cursor?: string; marketId?: string; q?: string },
) {
  const rows = await repo.listMerchants(
    deps.db,
    principal,
    { marketId: query.marketId, search: query.q ? searchFor(deps, query.q) : undefined },
    query.limit + 1,
    decodeCursor(query.cursor),
  );
  const keyed = rows.map((r) => ({
    id: r.merchant.id,
    createdAt: (r.link ?? r.merchant).createdAt,
    view: toView(r.merchant, r.link),
  }));
  const { data, nextCursor } = page(keyed, query.limit);
  return { data: data.map((r) => r.view), nextCursor };
}

/** A merchant the caller may not see is not found, exactly like a missing one. */
export async function getMerchant(
  deps: AppDeps,
  principal: Principal,
  id: string,
): Promise<MerchantView> {
  const record = await repo.findMerchantFor(deps.db, id, principal);
  if (!record || !canSeeMerchantRecord(principal, record.merchant, record.link))
    throw notFound('Merchant');
  return toView(record.merchant, record.link);
}
