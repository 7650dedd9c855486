/**
 * The `err` serializer of every log line. A failed query's error carries the SQL and every
 * parameter: drizzle's DrizzleQueryError as `query` and `params` and in its message, the
 * PGlite error under it as `query` and `params` too, and a database error's `detail` quotes
 * row values ("Failing row contains (...)"): a phone number in a review note reached the log
 * that way. So only an allow-list is logged: names, codes, the database's own identifiers
 * (constraint, table, column), stack frames, and messages without the values they quote.
 */
const DATABASE_FIELDS = [
  'severity',
  'schema',
  'table',
  'column',
  'dataType',
  'constraint',
  'routine',
] as const;
const MAX_CAUSES = 5;

const isDatabaseError = (e: Record<string, unknown>) =>
  typeof e.code === 'string' && /^[0-9A-Z]{5}$/.test(e.code) && typeof e.severity === 'string';

function safeMessage(e: Record<string, unknown>): string {
  const message = typeof e.message === 'string' ? e.message : '';
  if (message.startsWith('Failed query:')) return 'Failed query (SQL and parameters not logged)';
  // Database messages quote values ("invalid input syntax for type integer: \"...\"").
  if (isDatabaseError(e)) return message.replace(/"(?:[^"\\]|\\.)*"/g, '"…"');
  return message;
}

export interface LoggedError {
  type: string;
  message: string;
  stack: string;
  [field: string]: unknown;
}

export function logSafeError(err: unknown, depth = 0): LoggedError {
  if (typeof err !== 'object' || err === null)
    return { type: typeof err, message: String(err), stack: '' };
  const e = err as Record<string, unknown>;
  const constructorName = (e.constructor as { name?: unknown } | undefined)?.name;
  const type =
    typeof constructorName === 'string'
      ? constructorName
      : typeof e.name === 'string'
        ? e.name
        : 'Error';
  const message = safeMessage(e);
  const frames =
    typeof e.stack === 'string' ? e.stack.split('\n').filter((l) => /^\s+at /.test(l)) : [];
  const out: LoggedError = { type, message, stack: [`${type}: ${message}`, ...frames].join('\n') };
  if (typeof e.code === 'string' || typeof e.code === 'number') out.code = e.code;
  if (typeof e.statusCode === 'number') out.statusCode = e.statusCode;
  if (isDatabaseError(e))
    for (const field of DATABASE_FIELDS) if (typeof e[field] === 'string') out[field] = e[field];
  if (e.cause !== undefined && depth < MAX_CAUSES) out.cause = logSafeError(e.cause, depth + 1);
  return out;
}
