import type { FastifyServerOptions } from 'fastify';
import { ID_SHAPE } from '../lib/ids';
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

/** A run of 6+ digits: identity numbers, credit codes and phones all have one. */
const PERSONAL_SEGMENT = /\d{6}/;
/**
 * In one of our ids (ADR 0014: 26 base32 characters in lower case) digits are 10 of 32
 * characters, so one id in ~60 has six in a row by chance; none can hold a credit code (upper
 * case), and a phone or an identity number would be a run of 11 digits or more.
 */
const PERSONAL_IN_ID = /\d{11}/;

function personal(segment: string): boolean {
  return ID_SHAPE.test(segment) ? PERSONAL_IN_ID.test(segment) : PERSONAL_SEGMENT.test(segment);
}

/** The URL's path for a log line: no query string, personal-looking segments redacted. */
export function logSafePath(url: string): string {
  return (url.split('?')[0] ?? '')
    .split('/')
    .map((segment) => (personal(segment) ? '[redacted]' : segment))
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
