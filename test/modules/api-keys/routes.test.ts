import { apiKeys } from '../../../src/db/schema';
import { seedDemoData } from '../../../src/db/seed';
import { hashApiKey } from '../../../src/lib/api-key-secret';
import { bearer, createTestApp, type TestApp } from '../../helpers/test-app';

describe('/v1/api-keys', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
    await seedDemoData(t.testDb.database.db, {
      clock: () => new Date(),
      piiDigestKey: t.config.PII_DIGEST_KEY,
      demoKeys: false,
    });
  });
  afterAll(() => t.close());
  const admin = () => bearer(t.adminKey);

  it('issues a key with its secret once and stores only a hash', async () => {
    const res = await t.http
      .post('/v1/api-keys')
      .set(admin())
      .send({ role: 'partner', name: 'Acme app', partnerId: 'ptn_acme' });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({
      role: 'partner',
      name: 'Acme app',
      partnerId: 'ptn_acme',
      marketIds: [],
      revokedAt: null,
    });
    expect(res.body.id).toMatch(/^key_/);
    expect(res.body.secret).toMatch(new RegExp(`^mlk_${res.body.prefix}_`));
    const rows = await t.testDb.database.db.select().from(apiKeys);
    const row = rows.find((r) => r.id === res.body.id);
    expect(row?.secretHash).toBe(hashApiKey(res.body.secret));
    expect(JSON.stringify(rows)).not.toContain(res.body.secret);
  });

  it('binds officers to existing markets only', async () => {
    const ok = await t.http
      .post('/v1/api-keys')
      .set(admin())
      .send({
        role: 'officer',
        name: 'Li',
        owner: 'li@bank.example',
        marketIds: ['mkt_demo_kaien'],
      });
    expect(ok.status).toBe(201);
    expect(ok.body.marketIds).toEqual(['mkt_demo_kaien']);
    const unknown = await t.http
      .post('/v1/api-keys')
      .set(admin())
      .send({ role: 'officer', name: 'Li', owner: 'li@bank.example', marketIds: ['mkt_nope'] });
    expect(unknown.status).toBe(400);
    expect(unknown.body.details[0].path).toBe('body.marketIds');
    const missing = await t.http
      .post('/v1/api-keys')
      .set(admin())
      .send({ role: 'officer', name: 'Li', owner: 'li@bank.example' });
    expect(missing.status).toBe(400);
    const partnerWithoutId = await t.http
      .post('/v1/api-keys')
      .set(admin())
      .send({ role: 'partner', name: 'P' });
    expect(partnerWithoutId.body.details[0].path).toBe('body.partnerId');
  });

  it('names the person a key belongs to: required but for partners, who default to the partner', async () => {
    const person = await t.http
      .post('/v1/api-keys')
      .set(admin())
      .send({ role: 'reviewer', name: 'Wang', owner: '  Wang.Wei@Bank.example ' });
    expect(person.status).toBe(201);
    // Compared case-insensitively, so stored lower-case.
    expect(person.body.owner).toBe('wang.wei@bank.example');
    const listed = await t.http.get('/v1/api-keys?limit=200').set(admin());
    const row = listed.body.data.find((k: { id: string }) => k.id === person.body.id);
    expect(row.owner).toBe('wang.wei@bank.example');

    const partner = await t.http
      .post('/v1/api-keys')
      .set(admin())
      .send({ role: 'partner', name: 'Acme', partnerId: 'ptn_acme' });
    expect(partner.status).toBe(201);
    expect(partner.body.owner).toBe('partner:ptn_acme');

    for (const role of ['officer', 'reviewer', 'risk', 'admin']) {
      const res = await t.http
        .post('/v1/api-keys')
        .set(admin())
        .send({
          role,
          name: 'nobody',
          ...(role === 'officer' ? { marketIds: ['mkt_demo_kaien'] } : {}),
        });
      expect(res.status).toBe(400);
      expect(res.body.code).toBe('VALIDATION_FAILED');
      expect(res.body.details).toEqual([
        expect.objectContaining({
          path: 'body.owner',
          messageZh: expect.stringContaining('owner'),
        }),
      ]);
    }
    // A person's owner has no ":" (those forms are the service's own) and no spaces.
    for (const owner of ['partner:ptn_acme', 'key:key_x', 'wang wei', '', 'x'.repeat(129), 42]) {
      const res = await t.http
        .post('/v1/api-keys')
        .set(admin())
        .send({ role: 'reviewer', name: 'bad owner', owner });
      expect(res.status).toBe(400);
      expect(res.body.details.map((d: { path: string }) => d.path)).toContain('body.owner');
    }
  });

  it('does not let clients set ids, hashes or revocation', async () => {
    const res = await t.http.post('/v1/api-keys').set(admin()).send({
      role: 'risk',
      name: 'R',
      owner: 'r@bank.example',
      id: 'key_mine',
      revokedAt: null,
      secretHash: 'x',
    });
    expect(res.status).toBe(400);
    expect(res.body.details.map((d: { path: string }) => d.path).sort()).toEqual([
      'body.id',
      'body.revokedAt',
      'body.secretHash',
    ]);
  });

  it('lists newest first without secrets, with a working cursor', async () => {
    for (let i = 0; i < 3; i++) await t.issueKey('reviewer');
    const all = await t.http.get('/v1/api-keys?limit=200').set(admin());
    expect(all.status).toBe(200);
    expect(JSON.stringify(all.body)).not.toMatch(/secret|mlk_/);
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const res: { body: { data: { id: string }[]; nextCursor: string | null } } = await t.http
        .get(`/v1/api-keys?limit=2${cursor ? `&cursor=${cursor}` : ''}`)
        .set(admin());
      expect(res.body.data.length).toBeLessThanOrEqual(2);
      seen.push(...res.body.data.map((k) => k.id));
      cursor = res.body.nextCursor;
    } while (cursor);
    expect(seen).toEqual(all.body.data.map((k: { id: string }) => k.id));
    const times = all.body.data.map((k: { createdAt: string }) => k.createdAt);
    expect([...times].sort().reverse()).toEqual(times);
  });

  it('caps the page size and rejects bad cursors', async () => {
    expect((await t.http.get('/v1/api-keys?limit=201').set(admin())).status).toBe(400);
    const bad = await t.http.get('/v1/api-keys?cursor=zzz').set(admin());
    expect(bad.status).toBe(400);
    expect(bad.body.details[0].path).toBe('querystring.cursor');
  });

  it('answers 404 when revoking an unknown key', async () => {
    const res = await t.http.delete('/v1/api-keys/key_unknown').set(admin());
    expect(res.status).toBe(404);
    expect(res.body.code).toBe('NOT_FOUND');
  });
});
