/** Connection-level failures (server gone, refused, pool timeout), as opposed to bad SQL. */
const UNAVAILABLE_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'ENOTFOUND',
  '57P01', // admin_shutdown
  '57P02', // crash_shutdown
  '57P03', // cannot_connect_now
  '08000',
  '08001',
  '08003',
  '08006',
  '53300', // too_many_connections
  // The connection is not what the driver believes it is, as behind a transaction-mode pooler
  // with prepared statements on: nothing the request did wrong, and retrying may succeed.
  '08P01', // protocol_violation (also PgBouncer's own errors)
  '26000', // invalid_sql_statement_name: prepared statement "…" does not exist
  '42P05', // duplicate_prepared_statement: prepared statement "…" already exists
]);
const UNAVAILABLE_MESSAGES = [
  /Connection terminated/i,
  /timeout exceeded when trying to connect/i,
  /Client has encountered a connection error/i,
  /connection (is )?closed/i,
  /Query read timeout/i,
];

export function isDatabaseUnavailable(error: unknown): boolean {
  let e: unknown = error;
  for (let depth = 0; e && depth < 5; depth++) {
    const { code, message } = e as { code?: unknown; message?: unknown };
    if (typeof code === 'string' && UNAVAILABLE_CODES.has(code)) return true;
    if (typeof message === 'string' && UNAVAILABLE_MESSAGES.some((re) => re.test(message)))
      return true;
    e = (e as { cause?: unknown }).cause;
  }
  return false;
}

const UNIQUE_VIOLATION = '23505';

/** A unique constraint refused a row (of `constraint`, when named), however the driver wrapped it. */
export function isUniqueViolation(error: unknown, constraint?: string): boolean {
  let e: unknown = error;
  for (let depth = 0; e && depth < 5; depth++) {
    const found = e as { code?: unknown; constraint?: unknown };
    if (found.code === UNIQUE_VIOLATION)
      return constraint === undefined || found.constraint === constraint;
    e = (e as { cause?: unknown }).cause;
  }
  return false;
}
