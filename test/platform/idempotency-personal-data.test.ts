/**
 * What idempotency_keys keeps of requests that carry personal data (merchant registration with
 * identity number and phone, then that merchant's application, group and acceptance): masks
 * only, and a request fingerprint nobody can recompute from a guessed identity or phone.
 */
import { createHash } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { maskIdNumber, maskPhone } from '../../src/lib/personal-data';
import { stableStringify } from '../../src/lib/stable-json';
import { seedDemo } from '../helpers/fixtures';
import { bearer, createTestApp, type TestApp } from '../helpers/test-app';
import {
  accept,
  applicationBody,
  MJY,
  merchantBody,
  strongSurvey,
  submit,
} from '../modules/origination/applications/helpers';

describe('stored idempotent answers hold no personal data', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
    await seedDemo(t);
  });
  afterAll(() => t.close());

  const post = (path: string, key: string, body: unknown) =>
    t.http
      .post(path)
      .set(bearer(t.adminKey))
      .set('idempotency-key', key)
      .send(body as object);
  const storedRows = async () => {
    const { rows } = (await t.testDb.database.db.execute(
      sql`select key, path, request_hash, to_jsonb(k)::text as row from idempotency_keys k`,
    )) as unknown as { rows: { key: string; path: string; request_hash: string; row: string }[] };
    return rows;
  };

  it('keeps masks only, and a fingerprint keyed by a server secret', async () => {
    const bodies = [0, 1, 2].map(() => merchantBody(MJY));
    const ids: string[] = [];
    for (const [i, body] of bodies.entries()) {
      const res = await post('/v1/merchants', `pd-mer-${i}`, body);
      expect(res.status).toBe(201);
      expect(res.body.idNumber).toBe(maskIdNumber(body.idNumber));
      ids.push(res.body.id);
    }
    const group = await post('/v1/guarantee-groups', 'pd-grp', { marketId: MJY, memberIds: ids });
    expect(group.status).toBe(201);
    const single = await submit(
      t,
      t.adminKey,
      applicationBody(ids[0] as string, strongSurvey()),
      'pd-app',
    );
    expect(single.status).toBe(201);
    const offer = single.body.offers[0].id as string;
    expect((await accept(t, t.adminKey, offer, 'pd-acc')).status).toBe(200);

    const rows = await storedRows();
    expect(rows.map((r) => r.key).sort()).toEqual(
      ['pd-acc', 'pd-app', 'pd-grp', 'pd-mer-0', 'pd-mer-1', 'pd-mer-2'].sort(),
    );
    for (const body of bodies) {
      for (const { row } of rows) {
        expect(row).not.toContain(body.idNumber);
        expect(row).not.toContain(body.phone);
      }
      expect(rows.some(({ row }) => row.includes(maskPhone(body.phone)))).toBe(true);
    }
    // A plain SHA-256 of the request would let anyone holding the table try the few phones a
    // mask leaves open (139****5678: 10,000) until one matches.
    for (const [i, body] of bodies.entries()) {
      const row = rows.find((r) => r.key === `pd-mer-${i}`);
      const plain = createHash('sha256')
        .update(`POST /v1/merchants\n${stableStringify(body)}`)
        .digest('hex');
      expect(row?.request_hash).toMatch(/^[0-9a-f]{64}$/);
      expect(row?.request_hash).not.toBe(plain);
    }
  });
});
