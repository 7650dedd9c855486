import type { FastifyServerOptions } from 'fastify';
import { logSafeError } from './log-safe-error';

/**
 * Paths pino censors: the key in Authorization, and personal identifiers wherever a
 * request or error object carries them (they are masked in responses, never logged).
 */
export const REDACT_PATHS = [
  'req.headers.authorization',
  'req.headers.cookie',
  'headers.authorization',
  'idNumber',
  'phone',
  '*.idNumber',
  '*.phone',
  '*.*.idNumber',
  '*.*.phone',
  'body.idNumber',
  'body.phone',
];

/**
 * A run of 6+ digits: identity numbers, credit codes and phones all have one; our random ids
 * seldom do (and then only the log line loses it).
 */
const PERSONAL_SEGMENT = /\d{6}/;

/** The URL's path for a log line: no query string, personal-looking segments redacted. */
export function logSafePath(url: string): string {
  return (url.split('?')[0] ?? '')
    .split('/')
    .map((segment) => (PERSONAL_SEGMENT.test(segment) ? '[redacted]' : segment))
    .join('/');
}

export function loggerOptions(level: string): FastifyServerOptions['logger'] {
  return {
    level,
    redact: { paths: REDACT_PATHS, censor: '[redacted]' },
    // Log the path without the query string (queries may carry personal data), and without
    // path segments that look like an identity number or phone (a caller's mistaken lookup).
    // Errors without a failed query's SQL, parameters or quoted values.
    serializers: {
      req: (req: { method: string; url: string }) => ({
        method: req.method,
        url: logSafePath(req.url),
      }),
      err: logSafeError,
    },
  };
}
