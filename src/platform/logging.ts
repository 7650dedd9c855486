import type { FastifyServerOptions } from 'fastify';

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

export function loggerOptions(level: string): FastifyServerOptions['logger'] {
  return {
    level,
    redact: { paths: REDACT_PATHS, censor: '[redacted]' },
    // Log the path without the query string: queries may carry personal data.
    serializers: {
      req: (req: { method: string; url: string }) => ({
        method: req.method,
        url: req.url.split('?')[0],
      }),
    },
  };
}
