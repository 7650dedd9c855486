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

function auditRows(
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

/**
 * One row per command, however many entities it changes: the first entry is the row's subject
 * (its entity, action and data), the others ride in `data.also`. An acceptance that withdraws
 * its siblings and books a group writes one row and one index entry; `expandAudit` gives the
 * entries back. The table is never updated or deleted from.
 */
export async function appendAudit(
  db: Db,
  ctx: CommandContext,
  entries: AuditEntry[],
): Promise<void> {
  const rows = commandAuditRows(ctx, entries);
  if (rows.length > 0) await db.insert(auditEvents).values(rows);
}

/** A command's audit row (none for no entries), for a statement that inserts it itself. */
export function commandAuditRows(
  ctx: CommandContext,
  entries: AuditEntry[],
): (typeof auditEvents.$inferInsert)[] {
  const [subject, ...also] = entries;
  if (!subject) return [];
  return auditRows(ctx, [
    also.length === 0 ? subject : { ...subject, data: { ...subject.data, also } },
  ]);
}

/**
 * The entries one row stands for, each as a row of its own (ids `<row id>.<n>` after the
 * subject), in the order the command wrote them. A row written before one row per command is
 * itself.
 */
export function expandAudit(row: AuditEventRow): AuditEventRow[] {
  const data = row.data as ({ also?: AuditEntry[] } & Record<string, unknown>) | null;
  if (!data || !Array.isArray(data.also)) return [row];
  const { also, ...own } = data;
  return [
    { ...row, data: Object.keys(own).length === 0 ? null : own },
    ...also.map((e, i) => ({
      ...row,
      id: `${row.id}.${i + 1}`,
      entityType: e.entityType,
      entityId: e.entityId,
      action: e.action,
      data: e.data ?? null,
    })),
  ];
}

export async function listAuditEvents(db: Db, entityIds: string[]): Promise<AuditEventRow[]> {
  if (entityIds.length === 0) return [];
  return db
    .select()
    .from(auditEvents)
    .where(inArray(auditEvents.entityId, entityIds))
    .orderBy(asc(auditEvents.at), asc(auditEvents.seq));
}
