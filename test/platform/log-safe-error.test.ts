/**
 * A failed query never logs its parameters (issue #10, finding 5): drizzle's error carries
 * them (and the SQL) in `params` and in its message, PGlite's error under it too, and the
 * database's `detail` quotes the failing row. Logged through the production logger options.
 */
import { sql } from 'drizzle-orm';
import { DrizzleQueryError } from 'drizzle-orm/errors';
import type { LoggerOptions } from 'pino';
import { logSafeError } from '../../src/platform/log-safe-error';
import { loggerOptions } from '../../src/platform/logging';
import { captureLogger } from '../helpers/capture-logger';
import { seedDemo } from '../helpers/fixtures';
import { bearer, createTestApp, type TestApp } from '../helpers/test-app';
import { MJY, referSurvey, submitOk } from '../modules/origination/applications/helpers';

const PHONE = '13912345678';

describe('logged errors', () => {
  it('keep codes, identifiers and frames, never the SQL, parameters or quoted values', () => {
    const cause = Object.assign(new Error(`invalid input syntax for type integer: "${PHONE}"`), {
      code: '22P02',
      severity: 'ERROR',
      detail: `Failing row contains (${PHONE}).`,
      table: 'decisions',
      constraint: 'decisions_note_check',
      query: 'insert into "decisions" ("note") values ($1)',
      params: [PHONE],
    });
    const err = new DrizzleQueryError(
      'insert into "decisions" ("note") values ($1)',
      [PHONE],
      cause,
    );
    const logged = logSafeError(err);
    const text = JSON.stringify(logged);
    expect(text).not.toContain(PHONE);
    expect(text).not.toContain('insert into');
    expect(logged).toMatchObject({
      type: 'DrizzleQueryError',
      cause: { code: '22P02', table: 'decisions', constraint: 'decisions_note_check' },
    });
    expect(logged.stack).toMatch(/\n\s+at /);
    // An error of our own keeps its message.
    expect(logSafeError(new TypeError('x is not a function')).message).toBe('x is not a function');
  });

  describe('through the API', () => {
    let t: TestApp;
    const capture = captureLogger(loggerOptions('trace') as LoggerOptions);
    beforeAll(async () => {
      t = await createTestApp({ loggerInstance: capture.logger as never });
      await seedDemo(t);
    });
    afterAll(() => t.close());

    it('a query that fails with a phone number among its parameters: 500, and no phone in the log', async () => {
      const officer = await t.issueKey('officer', { marketIds: [MJY] });
      const reviewer = await t.issueKey('reviewer');
      const app = await submitOk(t, officer, 'mer_demo_mjy03', referSurvey(), {
        amount: 50_000_000,
      });
      // A constraint the note breaks: the insert of the review decision fails in the database.
      await t.testDb.database.db.execute(
        sql.raw(
          `alter table decisions add constraint no_phone_in_note check (note not like '%139%')`,
        ),
      );
      const res = await t.http
        .post(`/v1/applications/${app.id}/review`)
        .set(bearer(reviewer))
        .send({ action: 'decline', note: `call ${PHONE}` });
      expect(res.status).toBe(500);
      expect(res.text).not.toContain(PHONE);
      const logs = capture.lines.join('');
      expect(logs).toContain('unhandled error');
      expect(logs).toContain('no_phone_in_note');
      expect(logs).not.toContain(PHONE);
    });
  });
});
