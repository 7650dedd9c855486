import type { AppDeps } from '../../deps';
import { validationFailed } from '../../lib/errors';
import type { Principal } from '../../lib/principal';
import { type EventRow, type EventType, type FeedCursor, listEvents } from './repository';
import type { EventView } from './schemas';

/**
 * An event as the feed shows it, and as a webhook delivers it. Its data as the outbox stored it:
 * written by the typed builders of its type (data-schemas.ts says which shape).
 */
export function eventView(r: EventRow): EventView {
  return {
    id: r.id,
    type: r.type as EventType,
    objectType: r.objectType as 'application' | 'offer' | 'guarantee_group' | 'policy',
    objectId: r.objectId,
    data: r.data,
    createdAt: r.createdAt.toISOString(),
  } as EventView;
}

function encodeFeedCursor(c: FeedCursor): string {
  return Buffer.from(`${c.txId}.${c.seq}`).toString('base64url');
}

function decodeFeedCursor(raw: string | undefined): FeedCursor | null {
  if (!raw) return null;
  const m = /^(\d{1,20})\.(\d{1,18})$/.exec(Buffer.from(raw, 'base64url').toString('utf8'));
  if (!m?.[1] || !m[2]) {
    throw validationFailed([
      { path: 'querystring.after', message: 'Invalid cursor', messageZh: '分页游标无效' },
    ]);
  }
  return { txId: m[1], seq: Number(m[2]) };
}

/**
 * GET /v1/events: the caller's events oldest first, after a cursor. The cursor of the last page
 * is handed out even when the page is short, so a poller keeps it and asks again later.
 */
export async function eventFeed(
  deps: AppDeps,
  principal: Principal,
  query: { limit: number; after?: string; type?: EventType | EventType[] },
) {
  const after = decodeFeedCursor(query.after);
  const types = query.type === undefined ? undefined : [query.type].flat();
  const rows = await listEvents(deps.db, { visibleTo: principal, types }, query.limit, after);
  const last = rows[rows.length - 1];
  return {
    data: rows.map(eventView),
    nextCursor: last ? encodeFeedCursor(last) : (query.after ?? null),
  };
}
