import type { Db } from '../../db/connect';
import type { AppDeps } from '../../deps';
import type { CommandContext } from '../../lib/command-context';
import { decodeCursor, page } from '../../lib/cursor';
import { conflict, notFound, validationFailed } from '../../lib/errors';
import { newId } from '../../lib/ids';
import type { Principal } from '../../lib/principal';
import { appendAudit } from '../audit/repository';
import * as repo from './repository';
import type { CreateOperatorBody, OperatorView, UpdateGuaranteeAgreementBody } from './schemas';

export function toView(row: repo.OperatorRow): OperatorView {
  return {
    id: row.id,
    name: row.name,
    guaranteeAgreement: {
      capacity: row.capacity,
      perMerchantCap: row.perMerchantCap,
      maxTermMonths: row.maxTermMonths,
      depositRatioBps: row.depositRatioBps,
      status: row.agreementStatus,
    },
    used: row.used,
    reserved: row.reserved,
    available: row.capacity - row.used - row.reserved,
    createdAt: row.createdAt.toISOString(),
  };
}

const agreementOf = (row: repo.OperatorRow) => toView(row).guaranteeAgreement;

export async function createOperator(
  ctx: CommandContext,
  body: CreateOperatorBody,
  tx: Db,
): Promise<OperatorView> {
  const a = body.guaranteeAgreement;
  const row = await repo.insertOperator(tx, {
    id: newId('opr'),
    name: body.name,
    capacity: a.capacity,
    perMerchantCap: a.perMerchantCap,
    maxTermMonths: a.maxTermMonths,
    depositRatioBps: a.depositRatioBps,
    agreementStatus: a.status,
    createdAt: ctx.now,
  });
  await appendAudit(tx, ctx, [
    {
      entityType: 'operator',
      entityId: row.id,
      action: 'operator.created',
      data: { name: row.name, guaranteeAgreement: agreementOf(row) },
    },
  ]);
  const view = toView(row);
  return view;
}

export async function listOperators(
  deps: AppDeps,
  principal: Principal,
  limit: number,
  cursor?: string,
) {
  const rows = await repo.listOperators(deps.db, principal, limit + 1, decodeCursor(cursor));
  const { data, nextCursor } = page(rows, limit);
  return { data: data.map(toView), nextCursor };
}

/**
 * Operators are read by every role, but an officer only those of its markets: another market's
 * guarantee capacity is not its business, and is answered as not found.
 */
export async function getOperator(
  deps: AppDeps,
  principal: Principal,
  id: string,
): Promise<OperatorView> {
  const row = await repo.findVisibleOperator(deps.db, id, principal);
  if (!row) throw notFound('Operator');
  return toView(row);
}

/**
 * Changes the guarantee agreement under a row lock, so that a concurrent reservation cannot
 * slip between the check and the write: capacity never drops below used + reserved.
 */
export async function updateGuaranteeAgreement(
  ctx: CommandContext,
  id: string,
  body: UpdateGuaranteeAgreementBody,
  tx: Db,
): Promise<OperatorView> {
  const before = await repo.findOperator(tx, id, { forUpdate: true });
  if (!before) throw notFound('Operator');
  const capacity = body.capacity ?? before.capacity;
  const perMerchantCap = body.perMerchantCap ?? before.perMerchantCap;
  const committed = before.used + before.reserved;
  if (capacity < committed) {
    throw conflict(
      'CAPACITY_EXCEEDED',
      `capacity ${capacity} is below the ${committed} fen already used or reserved`,
      `担保总额度不能低于已使用和已预留的额度（${committed} 分）`,
      [
        {
          path: 'body.capacity',
          message: `must be at least used + reserved = ${committed}`,
          messageZh: `不能低于已使用与已预留之和 ${committed}`,
        },
      ],
    );
  }
  if (perMerchantCap > capacity) {
    throw validationFailed([
      {
        path: body.perMerchantCap !== undefined ? 'body.perMerchantCap' : 'body.capacity',
        message: `perMerchantCap ${perMerchantCap} must not exceed capacity ${capacity}`,
        messageZh: '单户担保上限不能超过担保总额度',
      },
    ]);
  }
  const row = await repo.updateOperator(tx, id, {
    capacity,
    perMerchantCap,
    maxTermMonths: body.maxTermMonths ?? before.maxTermMonths,
    depositRatioBps: body.depositRatioBps ?? before.depositRatioBps,
    agreementStatus: body.status ?? before.agreementStatus,
  });
  await appendAudit(tx, ctx, [
    {
      entityType: 'operator',
      entityId: id,
      action: 'operator.guarantee_agreement_updated',
      data: { before: agreementOf(before), after: agreementOf(row), change: body },
    },
  ]);
  return toView(row);
}
