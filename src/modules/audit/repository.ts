import { asc, inArray } from 'drizzle-orm';
import type { Db } from '../../db/connect';
import { auditEvents } from '../../db/schema';
import type { CommandContext } from '../../lib/command-context';
import { newId } from '../../lib/ids';

export type AuditEventRow = typeof auditEvents.$inferSelect;

export interface AuditEntry {
  entityType: string;
  entityId: string;
  action: string;
  data?: Record<string, unknown>;
}

/** Rows for the audit trail; callers insert them in the same transaction as the change. */
export function auditRows(
  ctx: CommandContext,
  entries: AuditEntry[],
): (typeof auditEvents.$inferInsert)[] {
  return entries.map((e) => ({
    id: newId('evt'),
    entityType: e.entityType,
    entityId: e.entityId,
    action: e.action,
    actorKeyId: ctx.actor.keyId,
    actorRole: ctx.actor.role,
    actorOwner: ctx.actor.owner,
    requestId: ctx.requestId,
    data: e.data ?? null,
    at: ctx.now,
  }));
}

/** Appends events; the table is never updated or deleted from. */
export async function appendAudit(
  db: Db,
  ctx: CommandContext,
  entries: AuditEntry[],
): Promise<void> {
  if (entries.length === 0) return;
  await db.insert(auditEvents).values(auditRows(ctx, entries));
}

export async function listAuditEvents(db: Db, entityIds: string[]): Promise<AuditEventRow[]> {
  if (entityIds.length === 0) return [];
  return db
    .select()
    .from(auditEvents)
    .where(inArray(auditEvents.entityId, entityIds))
    .orderBy(asc(auditEvents.at), asc(auditEvents.seq));
}
