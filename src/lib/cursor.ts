import { validationFailed } from './errors';

/** Keyset cursor over (created_at, id), newest first: stable under concurrent inserts. */
export interface Cursor {
  createdAt: Date;
  id: string;
}

export function encodeCursor(c: Cursor): string {
  return Buffer.from(`${c.createdAt.toISOString()}|${c.id}`).toString('base64url');
}

export function decodeCursor(raw: string | undefined): Cursor | null {
  if (!raw) return null;
  const [iso, id] = Buffer.from(raw, 'base64url').toString('utf8').split('|');
  const createdAt = new Date(iso ?? '');
  if (!id || Number.isNaN(createdAt.getTime())) {
    throw validationFailed([
      { path: 'querystring.cursor', message: 'Invalid cursor', messageZh: '分页游标无效' },
    ]);
  }
  return { createdAt, id };
}

/** Given limit+1 rows, the page and the cursor to the next one. */
export function page<T extends { createdAt: Date; id: string }>(rows: T[], limit: number) {
  const data = rows.slice(0, limit);
  const last = data[data.length - 1];
  return { data, nextCursor: rows.length > limit && last ? encodeCursor(last) : null };
}
