import { Writable } from 'node:stream';
import pino, { type LoggerOptions } from 'pino';

/** A pino logger whose lines a test can read back (give it to createTestApp's loggerInstance). */
export function captureLogger(options: LoggerOptions) {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk, _enc, done) {
      lines.push(chunk.toString());
      done();
    },
  });
  return { lines, logger: pino(options, stream) };
}
