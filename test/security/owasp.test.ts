/**
 * OWASP API Security Top 10 (2023), one describe per item. Routes, their roles and schemas are
 * read from the running app (an onRoute hook on every Fastify instance), and documentation from
 * the OpenAPI document it serves, so routes added later are held to the same rules.
 */
import { sql } from 'drizzle-orm';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { ROLES } from '../../src/lib/principal';
import { seedDemo } from '../helpers/fixtures';
import { bearer, createTestApp, type TestApp } from '../helpers/test-app';
import { createTestDatabase } from '../helpers/test-database';
import {
  applicationBody,
  KAI,
  MJY,
  merchantBody,
  offerOf,
  referSurvey,
  strongSurvey,
} from '../modules/origination/applications/helpers';
import { errorShapeProblems, fingerprint, routeList, toOpenApiPath } from './support';

jest.mock('fastify', () => require('./support').fastifyWithRouteCapture());

type Json = Record<string, unknown>;
type Schema = Json & {
  $ref?: string;
  type?: string | string[];
  properties?: Record<string, Schema>;
  items?: Schema;
  additionalProperties?: boolean | Schema;
  anyOf?: Schema[];
  oneOf?: Schema[];
  allOf?: Schema[];
};
interface OpenApi {
  paths: Record<string, Record<string, Json>>;
  components: { schemas: Record<string, Schema> };
}

let serial = 0;
const idem = () => `owasp-${++serial}-${Date.now()}`;

describe('OWASP API Security Top 10 (2023)', () => {
  let t: TestApp;
  let now = new Date('2026-11-26T09:30:00.000Z');
  let spec: OpenApi;
  const key: Record<string, string> = {};

  const get = (path: string, k: string) => t.http.get(path).set(bearer(k));
  const post = (path: string, k: string, body?: unknown) =>
    t.http
      .post(path)
      .set(bearer(k))
      .set('idempotency-key', idem())
      .send(body as object);
  const expectError = (res: { status: number; body: unknown }, status: number, code?: string) => {
    expect(res.status).toBe(status);
    expect(errorShapeProblems(status, res.body)).toEqual([]);
    if (code) expect((res.body as Json).code).toBe(code);
  };
  const submit = async (k: string, merchantId: string, survey = strongSurvey()) => {
    const res = await post('/v1/applications', k, applicationBody(merchantId, survey));
    if (res.status !== 201) throw new Error(`submit: ${res.status} ${res.text}`);
    return res.body;
  };

  beforeAll(async () => {
    t = await createTestApp({ clock: () => now });
    await seedDemo(t);
    key.admin = t.adminKey;
    key.officer = await t.issueKey('officer', { marketIds: [MJY] });
    key.officerKai = await t.issueKey('officer', { marketIds: [KAI] });
    key.partner = await t.issueKey('partner', { partnerId: 'partner-a' });
    key.partnerB = await t.issueKey('partner', { partnerId: 'partner-b' });
    key.reviewer = await t.issueKey('reviewer');
    key.risk = await t.issueKey('risk');
    key.risk2 = await t.issueKey('risk');
    key.admin2 = await t.issueKey('admin');
    spec = (await t.http.get('/openapi.json')).body;
  });
  afterAll(() => t.close());

  // ---------------------------------------------------------------------------------------
  describe('API1 broken object-level authorization', () => {
    // Also: test/modules/merchants/access.test.ts, test/modules/applications/list-and-get.test.ts.
    let app: Json & { id: string; offers: { id: string; product: string }[] };
    beforeAll(async () => {
      app = await submit(key.officer as string, 'mer_demo_mjy01');
    });

    it("an officer of another market sees none of an application's objects: 404 like unknown ids", async () => {
      const other = key.officerKai as string;
      const offerId = app.offers[0]?.id as string;
      const decisionId = (app.decision as Json).id as string;
      const reads = [
        `/v1/applications/${app.id}`,
        `/v1/applications/${app.id}/events`,
        `/v1/offers/${offerId}`,
        '/v1/merchants/mer_demo_mjy01',
        '/v1/merchants/mer_demo_mjy01/exposure',
        `/v1/markets/${MJY}`,
      ];
      for (const path of reads) {
        const theirs = await get(path, other);
        expectError(theirs, 404, 'NOT_FOUND');
        const unknown = await get(
          path.replace(/(app|off|mer|mkt)_[A-Za-z0-9_]+/, '$1_nope'),
          other,
        );
        expect(theirs.body.code).toBe(unknown.body.code);
        expect(theirs.body.messageZh).toBe(unknown.body.messageZh);
      }
      const before = await fingerprint(t);
      expectError(await post(`/v1/offers/${offerId}/accept`, other), 404, 'NOT_FOUND');
      expectError(await post(`/v1/offers/${offerId}/decline`, other), 404, 'NOT_FOUND');
      // Submitting for a merchant of a market the officer does not work in.
      expectError(
        await post('/v1/applications', other, applicationBody('mer_demo_mjy02', strongSurvey())),
        404,
      );
      expect(await fingerprint(t)).toEqual(before);
      // Lists leave it out, whatever the filter asks for.
      const list = await get(`/v1/applications?marketId=${MJY}`, other);
      expect(list.status).toBe(200);
      expect(JSON.stringify(list.body)).not.toContain(app.id);
      const merchants = await get(`/v1/merchants?marketId=${MJY}`, other);
      expect(JSON.stringify(merchants.body)).not.toContain('mer_demo_mjy01');
      expect(decisionId).toMatch(/^dec_/);
    });

    it('a partner sees only the merchants registered under its own partnerId', async () => {
      const created = await post('/v1/merchants', key.partner as string, merchantBody(MJY));
      expect(created.status).toBe(201);
      expectError(await get(`/v1/merchants/${created.body.id}`, key.partnerB as string), 404);
      const list = await get('/v1/merchants?limit=200', key.partnerB as string);
      expect(JSON.stringify(list.body)).not.toContain(created.body.id);
      expect((await get(`/v1/merchants/${created.body.id}`, key.partner as string)).status).toBe(
        200,
      );
    });
  });

  // ---------------------------------------------------------------------------------------
  describe('API2 broken authentication', () => {
    it('every /v1 route refuses a request without a key, or with a malformed one: 401', async () => {
      const v1 = routeList().filter(
        (r) => r.url.startsWith('/v1/') && !(r.route.config as Json | undefined)?.public,
      );
      expect(v1.length).toBeGreaterThan(20);
      const secret = key.officer as string;
      const malformed = [
        undefined,
        '',
        'Bearer',
        'Bearer ',
        `Basic ${Buffer.from(`x:${secret}`).toString('base64')}`,
        `Bearer ${secret} extra`,
        `Token ${secret}`,
        `Bearer ${secret}x`,
        `Bearer ${secret.slice(0, -1)}`,
        'Bearer mlk_AAAAAAAAAAAA_notarealsecretnotarealsecret',
        'Bearer null',
        `Bearer ${'a'.repeat(5000)}`,
      ];
      for (const r of v1) {
        const path = r.url.replace(/:id\b/g, 'zzz');
        for (const auth of malformed) {
          const req = t.http[r.method.toLowerCase() as 'get'](path).set(
            'content-type',
            'application/json',
          );
          if (auth !== undefined) req.set('authorization', auth);
          const res = await (r.method === 'GET' || r.method === 'DELETE' ? req : req.send('{}'));
          expectError(res, 401, 'UNAUTHORIZED');
        }
      }
    });

    it('a revoked key stops working at once', async () => {
      const secret = await t.issueKey('risk');
      expect((await get('/v1/policies', secret)).status).toBe(200);
      const keys = await get('/v1/api-keys?limit=200', t.adminKey);
      const row = (keys.body.data as { id: string; prefix: string }[]).find((k) =>
        secret.startsWith(`mlk_${k.prefix}_`),
      );
      const revoked = await t.http.delete(`/v1/api-keys/${row?.id}`).set(bearer(t.adminKey));
      expect(revoked.status).toBe(200);
      expect(revoked.body.revokedAt).toBeTruthy();
      const after = await get('/v1/policies', secret);
      expectError(after, 401, 'UNAUTHORIZED');
      expect(after.body.message).toMatch(/revoked/);
    });

    it('stores no secret in clear: not in api_keys, not anywhere in the database', async () => {
      const dump = await databaseText(t);
      for (const secret of Object.values(key)) expect(dump).not.toContain(secret);
      // The part after the prefix is what must never be stored (the prefix is public).
      for (const secret of Object.values(key).filter((s) => s.startsWith('mlk_')))
        expect(dump).not.toContain(secret.split('_').slice(2).join('_'));
    });
  });

  // ---------------------------------------------------------------------------------------
  describe('API3 broken object property-level authorization', () => {
    it('refuses mass assignment of server-owned fields with 400 naming them', async () => {
      const cases: [string, string, Json, string][] = [
        ['/v1/merchants', 'partner', { ...merchantBody(MJY), partnerId: 'partner-b' }, 'partnerId'],
        ['/v1/merchants', 'officer', { ...merchantBody(MJY), createdBy: 'key_x' }, 'createdBy'],
        ['/v1/merchants', 'officer', { ...merchantBody(MJY), id: 'mer_mine' }, 'id'],
        [
          '/v1/merchants',
          'officer',
          { ...merchantBody(MJY), idNumberDigest: 'x' },
          'idNumberDigest',
        ],
        ['/v1/api-keys', 'admin', { role: 'risk', name: 'x', secretHash: 'aa' }, 'secretHash'],
        ['/v1/api-keys', 'admin', { role: 'risk', name: 'x', revokedAt: null }, 'revokedAt'],
        ['/v1/api-keys', 'admin', { role: 'risk', name: 'x', prefix: 'AAAA' }, 'prefix'],
        [
          '/v1/applications',
          'officer',
          { ...applicationBody('mer_demo_mjy02', strongSurvey()), status: 'approved' },
          'status',
        ],
        [
          '/v1/applications',
          'officer',
          {
            ...applicationBody('mer_demo_mjy02', strongSurvey()),
            decision: { outcome: 'approve' },
          },
          'decision',
        ],
        [
          '/v1/operators',
          'admin',
          {
            name: 'x',
            used: 0,
            guaranteeAgreement: {
              capacity: 1,
              perMerchantCap: 1,
              maxTermMonths: 1,
              depositRatioBps: 0,
              status: 'active',
            },
          },
          'used',
        ],
      ];
      const before = await fingerprint(t);
      for (const [path, role, body, field] of cases) {
        const res = await post(path, key[role] as string, body);
        expectError(res, 400, 'VALIDATION_FAILED');
        expect(res.body.details.map((d: { path: string }) => d.path)).toContain(`body.${field}`);
      }
      const patch = await t.http
        .patch('/v1/operators/opr_demo_majiayan/guarantee-agreement')
        .set(bearer(t.adminKey))
        .send({ capacity: 10_000_000_000_000, reserved: 0 });
      expectError(patch, 400, 'VALIDATION_FAILED');
      const review = await post('/v1/applications/app_x/review', key.reviewer as string, {
        action: 'approve',
        note: 'x',
        submittedBy: 'someone-else',
      });
      expectError(review, 400, 'VALIDATION_FAILED');
      expect(await fingerprint(t)).toEqual(before);
    });

    it('responses carry no field outside their documented schema, and no secrets or digests', async () => {
      const merchant = await post('/v1/merchants', key.officer as string, merchantBody(MJY));
      const app = await submit(key.officer as string, 'mer_demo_mjy04');
      // Key issuance takes no Idempotency-Key (its answer, the secret, is never stored).
      const issued = await t.http
        .post('/v1/api-keys')
        .set(bearer(t.adminKey))
        .send({ role: 'reviewer', name: 'Doc', owner: 'doc@bank.example' });
      const policy = await get('/v1/policies/active', key.risk as string);
      const reads: [string, string, string, number][] = [
        // [request path, operation path, method, status]
        [`/v1/merchants/${merchant.body.id}`, '/v1/merchants/{id}', 'get', 200],
        ['/v1/merchants?limit=200', '/v1/merchants', 'get', 200],
        ['/v1/merchants/mer_demo_mjy04/exposure', '/v1/merchants/{id}/exposure', 'get', 200],
        [`/v1/applications/${app.id}`, '/v1/applications/{id}', 'get', 200],
        ['/v1/applications?limit=200', '/v1/applications', 'get', 200],
        [`/v1/applications/${app.id}/events`, '/v1/applications/{id}/events', 'get', 200],
        [`/v1/offers/${app.offers[0].id}`, '/v1/offers/{id}', 'get', 200],
        ['/v1/api-keys?limit=200', '/v1/api-keys', 'get', 200],
        ['/v1/operators/opr_demo_majiayan', '/v1/operators/{id}', 'get', 200],
        [`/v1/markets/${MJY}`, '/v1/markets/{id}', 'get', 200],
        [`/v1/policies/${policy.body.id}`, '/v1/policies/{id}', 'get', 200],
      ];
      const bodies: unknown[] = [issued.body, merchant.body, app];
      // The check itself notices an extra field.
      expect(
        undocumented({ ...merchant.body, leaked: 1 }, responseSchema('/v1/merchants', 'post', 201)),
      ).toEqual(['$.leaked']);
      expect(undocumented(merchant.body, responseSchema('/v1/merchants', 'post', 201))).toEqual([]);
      expect(undocumented(app, responseSchema('/v1/applications', 'post', 201))).toEqual([]);
      expect(undocumented(issued.body, responseSchema('/v1/api-keys', 'post', 201))).toEqual([]);
      for (const [path, op, method, status] of reads) {
        const res = await get(
          path,
          path.startsWith('/v1/policies') ? (key.risk as string) : t.adminKey,
        );
        expect(res.status).toBe(status);
        expect({ path, extra: undocumented(res.body, responseSchema(op, method, status)) }).toEqual(
          {
            path,
            extra: [],
          },
        );
        bodies.push(res.body);
      }
      const text = JSON.stringify(bodies);
      expect(text.match(/secretHash|secret_hash|Digest|_digest|lockToken|requestHash/)).toBeNull();
      // The one secret shown is the new key's own, in the issuing answer only.
      expect(JSON.stringify(bodies.slice(1)).includes(issued.body.secret)).toBe(false);
      const digests = (await t.testDb.database.db.execute(
        sql`select id_number_digest, phone_digest from merchants`,
      )) as unknown as { rows: Json[] };
      for (const row of digests.rows) {
        expect(text.includes(String(row.id_number_digest))).toBe(false);
        expect(text.includes(String(row.phone_digest))).toBe(false);
      }
    });

    it('never shows an identity number or phone in clear', async () => {
      const body = merchantBody(MJY);
      const created = await post('/v1/merchants', key.officer as string, body);
      expect(created.status).toBe(201);
      const id = created.body.id;
      const application = await submit(key.officer as string, id);
      const seen = [
        created.body,
        application,
        (await get(`/v1/merchants/${id}`, key.officer as string)).body,
        (await get('/v1/merchants?limit=200', key.reviewer as string)).body,
        (await get(`/v1/merchants/${id}/exposure`, key.officer as string)).body,
        (await get(`/v1/applications/${application.id}`, key.reviewer as string)).body,
        (await get(`/v1/applications/${application.id}/events`, key.officer as string)).body,
        (await post('/v1/merchants', key.officer as string, { ...body, stallNo: 'dup' })).body,
      ];
      const text = JSON.stringify(seen);
      for (const clear of [body.idNumber, body.idNumber.toLowerCase(), body.phone])
        expect(text).not.toContain(clear);
      expect(created.body.idNumber).toMatch(/^\d{4}\*+[\dX]{4}$/);
      expect(created.body.phone).toMatch(/^\d{3}\*{4}\d{4}$/);
      // Nor in the database: only digests and masked copies are stored.
      const dump = await databaseText(t);
      for (const clear of [body.idNumber, body.idNumber.toLowerCase(), body.phone])
        expect(dump).not.toContain(clear);
    });
  });

  // ---------------------------------------------------------------------------------------
  describe('API4 unrestricted resource consumption', () => {
    it('rate-limits per API key with 429 in the error shape and Retry-After', async () => {
      const limited = await createTestApp({
        env: { RATE_LIMIT_MAX: '3', RATE_LIMIT_WINDOW: '1 minute' },
      });
      try {
        const other = await limited.issueKey('risk');
        const statuses: number[] = [];
        let last: { status: number; body: unknown; headers: Json } | undefined;
        for (let i = 0; i < 5; i++) {
          last = await limited.http.get('/v1/api-keys').set(bearer(limited.adminKey));
          statuses.push(last.status);
        }
        expect(statuses.slice(-2)).toEqual([429, 429]);
        expectError(last as { status: number; body: unknown }, 429, 'RATE_LIMITED');
        expect(Number(last?.headers['retry-after'])).toBeGreaterThan(0);
        // Another key is not starved by the first one's burst.
        expect((await limited.http.get('/v1/policies').set(bearer(other))).status).toBe(200);
      } finally {
        await limited.close();
      }
    });

    it('caps every list at 200 per page', async () => {
      const lists = routeList().filter(
        (r) =>
          r.method === 'GET' &&
          !r.url.includes(':') &&
          Boolean(spec.paths[toOpenApiPath(r.url)]?.get) &&
          JSON.stringify(spec.paths[toOpenApiPath(r.url)]?.get).includes('"name":"limit"'),
      );
      expect(lists.map((r) => r.url)).toEqual(
        expect.arrayContaining(['/v1/applications', '/v1/merchants', '/v1/api-keys']),
      );
      for (const r of lists) {
        const k =
          (r.route.config as { roles?: string[] } | undefined)?.roles?.includes('admin') === false
            ? (key[(r.route.config as { roles: string[] }).roles[0] as string] as string)
            : t.adminKey;
        for (const limit of ['201', '0', '-1', '1e9', '99999999999999999999', 'abc'])
          expectError(await get(`${r.url}?limit=${limit}`, k), 400, 'VALIDATION_FAILED');
        const ok = await get(`${r.url}?limit=200`, k);
        expect(ok.status).toBe(200);
        expect(ok.body.data.length).toBeLessThanOrEqual(200);
      }
    });

    it('refuses bodies over the limit with 413', async () => {
      const res = await post('/v1/merchants', key.officer as string, {
        ...merchantBody(MJY),
        name: 'x'.repeat(t.config.BODY_LIMIT_BYTES),
      });
      expectError(res, 413, 'PAYLOAD_TOO_LARGE');
    });

    it('bounds every string, array and number a request body may carry', () => {
      // Free-form JSON documents (policy drafts) are bounded by the body limit and the depth
      // guard instead (see test/fuzz/requests.test.ts).
      const freeForm = new Set([
        'POST /v1/policies body.document',
        'POST /v1/policies body.changes',
        'PUT /v1/policies/{id} body.document',
      ]);
      const unbounded: string[] = [];
      for (const [path, ops] of Object.entries(spec.paths))
        for (const [method, op] of Object.entries(ops)) {
          const body = (op.requestBody as Json | undefined)?.content as Json | undefined;
          const schema = (body?.['application/json'] as Json | undefined)?.schema as Schema;
          if (!schema) continue;
          for (const p of unboundedPlaces(schema, 'body')) {
            const [at = '', ...what] = p.split(' ');
            const place = `${method.toUpperCase()} ${path} ${at}`;
            // Inside a draft's document (typed as a PolicyDocument, or any JSON object), a
            // number is as free as the JSON it may be; its strings and lists still have limits.
            const inDocument = [...freeForm].some((f) => place.startsWith(`${f}.`));
            if (freeForm.has(place) || (inDocument && what.join(' ') === 'number without maximum'))
              continue;
            unbounded.push(`${method.toUpperCase()} ${path} ${p}`);
          }
        }
      expect(unbounded).toEqual([]);
    });
  });

  // ---------------------------------------------------------------------------------------
  describe('API5 broken function-level authorization', () => {
    it('every role-restricted route answers 403 to every other role, before touching anything', async () => {
      const keyOf: Record<string, string> = {
        officer: key.officer as string,
        partner: key.partner as string,
        reviewer: key.reviewer as string,
        risk: key.risk as string,
        admin: key.admin2 as string,
      };
      const restricted = routeList().filter(
        (r) => (r.route.config as { roles?: string[] } | undefined)?.roles,
      );
      expect(restricted.length).toBeGreaterThan(10);
      const before = await fingerprint(t);
      let checked = 0;
      for (const r of restricted) {
        const allowed = (r.route.config as { roles: string[] }).roles;
        for (const role of ROLES.filter((x) => !allowed.includes(x))) {
          const path = r.url.replace(/:id\b/g, 'zzz');
          const req = t.http[r.method.toLowerCase() as 'get'](path)
            .set(bearer(keyOf[role] as string))
            .set('content-type', 'application/json');
          const res = await (r.method === 'GET' || r.method === 'DELETE' ? req : req.send('{}'));
          expect({ route: `${r.method} ${r.url}`, role, status: res.status }).toEqual({
            route: `${r.method} ${r.url}`,
            role,
            status: 403,
          });
          expectError(res, 403, 'FORBIDDEN');
          checked++;
        }
      }
      expect(checked).toBeGreaterThan(30);
      expect(await fingerprint(t)).toEqual(before);
    });

    it('an officer cannot publish policies, issue keys or manage operators', async () => {
      const officer = key.officer as string;
      const active = await get('/v1/policies/active', key.risk as string);
      expectError(await post(`/v1/policies/${active.body.id}/publish`, officer), 403, 'FORBIDDEN');
      expectError(await post('/v1/policies', officer, { cloneOf: active.body.id }), 403);
      expectError(await post('/v1/api-keys', officer, { role: 'admin', name: 'me' }), 403);
      expectError(await get('/v1/api-keys', officer), 403);
      expectError(await t.http.delete('/v1/api-keys/key_x').set(bearer(officer)), 403);
      expectError(await post('/v1/operators', officer, {}), 403);
      expectError(await post(`/v1/policies/${active.body.id}/simulate`, officer, {}), 403);
    });
  });

  // ---------------------------------------------------------------------------------------
  describe('API6 unrestricted access to sensitive business flows', () => {
    // Elsewhere: capacity cannot be oversubscribed under parallel submissions and acceptances
    // (test/concurrency/origination.test.ts); four-eyes publish (test/modules/policies/
    // workflow.test.ts); self-review (test/modules/applications/review.test.ts); expiry at the
    // boundary (test/modules/origination/offers/expiry.test.ts); idempotent submissions
    // (test/platform/idempotency.test.ts).

    it('whoever submitted an application may not review it (审贷分离), even an admin', async () => {
      const referred = await submit(key.admin2 as string, 'mer_demo_mjy03', referSurvey());
      expect(referred.status).toBe('referred');
      const self = await post(`/v1/applications/${referred.id}/review`, key.admin2 as string, {
        action: 'approve',
        note: 'looks fine to me',
      });
      expectError(self, 403, 'FORBIDDEN');
      const other = await post(`/v1/applications/${referred.id}/review`, key.reviewer as string, {
        action: 'decline',
        note: 'second pair of eyes',
      });
      expect(other.status).toBe(200);
    });

    it('an expired offer cannot be accepted', async () => {
      const app = await submit(key.officer as string, 'mer_demo_mjy05');
      const offer = offerOf(app, 'operator_guarantee');
      const saved = now;
      now = new Date(Date.parse(offer.expiresAt) + 1_000);
      try {
        const res = await post(`/v1/offers/${offer.id}/accept`, key.officer as string);
        expectError(res, 409, 'INVALID_STATE');
      } finally {
        now = saved;
      }
    });

    it('a risk user may not publish their own draft (four eyes)', async () => {
      const active = await get('/v1/policies/active', key.risk as string);
      const draft = await post('/v1/policies', key.risk as string, { cloneOf: active.body.id });
      expect(draft.status).toBe(201);
      expectError(await post(`/v1/policies/${draft.body.id}/publish`, key.risk as string), 403);
      const other = await post(`/v1/policies/${draft.body.id}/publish`, key.risk2 as string);
      expect(other.status).toBe(200);
    });

    it('a replayed submission creates nothing new; operator capacity cannot go below what is in use', async () => {
      const k = idem();
      const body = applicationBody('mer_demo_mjy06', strongSurvey());
      const first = await t.http
        .post('/v1/applications')
        .set(bearer(key.officer as string))
        .set('idempotency-key', k)
        .send(body);
      const before = await fingerprint(t);
      const again = await t.http
        .post('/v1/applications')
        .set(bearer(key.officer as string))
        .set('idempotency-key', k)
        .send(body);
      expect(again.status).toBe(first.status);
      expect(again.headers['idempotent-replayed']).toBe('true');
      expect(again.body.id).toBe(first.body.id);
      expect(await fingerprint(t)).toEqual(before);
      const op = await get('/v1/operators/opr_demo_majiayan', t.adminKey);
      expect(op.body.reserved + op.body.used).toBeGreaterThan(0);
      const shrink = await t.http
        .patch('/v1/operators/opr_demo_majiayan/guarantee-agreement')
        .set(bearer(t.adminKey))
        .send({ capacity: op.body.reserved + op.body.used - 1, perMerchantCap: 1 });
      expectError(shrink, 409, 'CAPACITY_EXCEEDED');
    });
  });

  // ---------------------------------------------------------------------------------------
  describe('API7 server-side request forgery', () => {
    // The one outbound request the service makes is a webhook delivery (ADR 0010), to the URL a
    // partner registers: that is the only input that takes a URL, and the SSRF guard checks it
    // (test/modules/webhooks/url-guard.test.ts, endpoints.test.ts). This pins that no other does.
    const WEBHOOK_SCHEMAS = /^(Created)?WebhookEndpoint|^WebhookDelivery|^Redelivery/;
    const ALLOWED = new Set(['post /v1/webhook-endpoints body url']);

    it("no request body or parameter takes a URL but a webhook endpoint's", () => {
      const urlish = /url|uri|href|link|callback|webhook|endpoint|redirect/i;
      const found: string[] = [];
      const names = (json: string, pattern: RegExp) =>
        [...json.matchAll(pattern)].map((m) => m[1] as string).filter((n) => urlish.test(n));
      for (const [path, ops] of Object.entries(spec.paths))
        for (const [method, op] of Object.entries(ops)) {
          const text = JSON.stringify(op);
          for (const n of names(text, /"(?:name|format)":"([^"]+)"/g))
            found.push(`${method} ${path} ${n}`);
          for (const n of names(
            JSON.stringify(op.requestBody ?? {}),
            /"([A-Za-z]+)":\{"(?:type|description|\$ref)"/g,
          ))
            found.push(`${method} ${path} body ${n}`);
        }
      const schemas = (spec.components as { schemas: Record<string, unknown> }).schemas;
      for (const [name, schema] of Object.entries(schemas)) {
        if (WEBHOOK_SCHEMAS.test(name)) continue;
        for (const n of names(
          JSON.stringify({ [name]: schema }),
          /"([A-Za-z]+)":\{"(?:type|description|\$ref)"/g,
        ))
          found.push(`component ${name} ${n}`);
      }
      expect(found.filter((f) => !ALLOWED.has(f))).toEqual([]);
      expect(found).toEqual([...ALLOWED]);
    });
  });

  // ---------------------------------------------------------------------------------------
  describe('API8 security misconfiguration', () => {
    const expectHardened = (headers: Json, what: string) => {
      expect({ what, nosniff: headers['x-content-type-options'] }).toEqual({
        what,
        nosniff: 'nosniff',
      });
      expect(headers['x-frame-options']).toBe('SAMEORIGIN');
      expect(headers['strict-transport-security']).toMatch(/max-age=\d+/);
      expect(headers['referrer-policy']).toBe('no-referrer');
      expect(headers['x-powered-by']).toBeUndefined();
      expect(headers.server).toBeUndefined();
      expect(headers['access-control-allow-origin']).toBeUndefined();
      expect(headers['x-request-id']).toBeTruthy();
    };

    it('sets security headers on successes and on every kind of error', async () => {
      const responses = [
        await t.http.get('/health/live'),
        await get('/v1/merchants', key.officer as string),
        await t.http.get('/v1/merchants'),
        await get('/v1/nowhere', t.adminKey),
        await get('/v1/api-keys?limit=999', t.adminKey),
        await get('/v1/api-keys', key.officer as string),
        await t.http
          .post('/v1/api-keys')
          .set(bearer(t.adminKey))
          .set('content-type', 'text/plain')
          .send('x'),
        await t.http
          .post('/v1/api-keys')
          .set(bearer(t.adminKey))
          .set('content-type', 'application/json')
          .send('{'),
        await get('/v1/offers/%E0%A4%A', t.adminKey),
        await get(`/v1/offers/${'a'.repeat(300)}`, t.adminKey),
      ];
      for (const [i, res] of responses.entries())
        expectHardened(res.headers, `response ${i} (${res.status})`);
    });

    it('does not open CORS to other origins', async () => {
      const preflight = await t.http
        .options('/v1/merchants')
        .set('origin', 'https://evil.example')
        .set('access-control-request-method', 'POST')
        .set('access-control-request-headers', 'authorization, content-type');
      expect(preflight.headers['access-control-allow-origin']).toBeUndefined();
      expect(preflight.headers['access-control-allow-credentials']).toBeUndefined();
      expect(preflight.headers['access-control-allow-headers']).toBeUndefined();
      const simple = await get('/v1/merchants', key.officer as string).set(
        'origin',
        'https://evil.example',
      );
      expect(simple.headers['access-control-allow-origin']).toBeUndefined();
    });

    it('never leaks stack traces, SQL or internals in 4xx answers', async () => {
      const errors = [
        await get('/v1/nowhere', t.adminKey),
        await t.http.get('/v1/merchants').set('authorization', 'Bearer x'),
        await get('/v1/merchants?limit=abc', key.officer as string),
        await get("/v1/merchants/mer_' or 1=1 --", key.officer as string),
        await get('/v1/merchants/%00', key.officer as string),
        await get('/v1/merchants?marketId=%00', key.officer as string),
        await post('/v1/merchants', key.officer as string, {
          ...merchantBody(MJY),
          marketId: 'mkt_x',
        }),
        await t.http
          .post('/v1/api-keys')
          .set(bearer(t.adminKey))
          .set('content-type', 'application/json')
          .send('{"a":'),
        await t.http.trace('/v1/merchants'),
        await t.http.delete('/v1/merchants/mer_demo_mjy01').set(bearer(t.adminKey)),
      ];
      for (const res of errors) {
        expect(res.status).toBeGreaterThanOrEqual(400);
        expect(res.status).toBeLessThan(500);
        expect(errorShapeProblems(res.status, res.body)).toEqual([]);
        expect(res.text).not.toMatch(/FST_|Drizzle|postgres|pglite|\.ts:\d+|node_modules|stack/i);
      }
    });

    it('answers a real database failure with a bare 500 (no SQL, no stack)', async () => {
      // Also test/platform/errors.test.ts (a thrown error carrying SQL text).
      const { buildApp } = await import('../../src/app');
      const { loadConfig } = await import('../../src/config');
      const testDb = await createTestDatabase();
      const app = await buildApp({
        config: loadConfig({ LOG_LEVEL: 'silent' }),
        database: testDb.database,
      });
      app
        .withTypeProvider<ZodTypeProvider>()
        .get('/boom', { schema: { querystring: z.object({}) } }, async () => {
          await testDb.database.db.execute(sql`select secret_hash from no_such_table`);
          return {};
        });
      await app.ready();
      try {
        const res = await app.inject({ method: 'GET', url: '/boom' });
        expect(res.statusCode).toBe(500);
        expect(res.json()).toEqual({
          statusCode: 500,
          code: 'INTERNAL_ERROR',
          message: 'An internal error occurred',
          messageZh: '服务器内部错误',
        });
        expect(res.headers['x-content-type-options']).toBe('nosniff');
      } finally {
        await app.close();
        await testDb.dispose();
      }
    });
  });

  // ---------------------------------------------------------------------------------------
  describe('API9 improper inventory management', () => {
    it('documents every registered route in /openapi.json, and documents no route that does not exist', () => {
      const registered = routeList()
        // The Swagger UI's own static files and the web pages' (/app/) are not API operations.
        .filter((r) => !r.url.startsWith('/docs') && !r.url.startsWith('/app'))
        .map((r) => `${r.method} ${toOpenApiPath(r.url)}`)
        .sort();
      const documented = Object.entries(spec.paths)
        .flatMap(([path, ops]) => Object.keys(ops).map((m) => `${m.toUpperCase()} ${path}`))
        .sort();
      expect(registered.filter((r) => !documented.includes(r))).toEqual([]);
      expect(documented.filter((d) => !registered.includes(d))).toEqual([]);
    });

    it('keeps everything public under /v1, operations endpoints outside it and documented as keyless', () => {
      const outside = Object.keys(spec.paths).filter((p) => !p.startsWith('/v1/'));
      expect(outside.length).toBeGreaterThan(0);
      for (const p of outside) {
        expect(p).toMatch(/^\/(health\/|metrics$|openapi\.json$)/);
        for (const op of Object.values(spec.paths[p] ?? {})) expect(op.security).toEqual([]);
      }
      // Everything under /v1 needs a key, as the document says by default.
      expect((spec as unknown as Json).security).toEqual([{ apiKey: [] }]);
    });
  });

  // ---------------------------------------------------------------------------------------
  describe('API10 unsafe consumption of APIs', () => {
    // Not applicable: the service consumes no third-party API (no credit bureau, no payment
    // or identity provider calls); every input arrives through its own validated routes. Its one
    // outbound call, a webhook delivery (Node's own fetch), reads only the answer's status.
    it('has nothing to consume: no outbound HTTP client among the dependencies', async () => {
      const pkg = await import('../../package.json');
      const deps = Object.keys((pkg as { dependencies: Json }).dependencies);
      for (const client of ['axios', 'got', 'node-fetch', 'undici', 'superagent', 'request'])
        expect(deps).not.toContain(client);
    });
  });

  // --- helpers over the served OpenAPI document -------------------------------------------
  function resolve(s: Schema | undefined): Schema | undefined {
    if (!s?.$ref) return s;
    return resolve(spec.components.schemas[s.$ref.split('/').pop() as string]);
  }

  function responseSchema(path: string, method: string, status: number): Schema {
    const op = spec.paths[path]?.[method] as Json | undefined;
    const res = (op?.responses as Json | undefined)?.[String(status)] as Json | undefined;
    const schema = ((res?.content as Json | undefined)?.['application/json'] as Json | undefined)
      ?.schema as Schema | undefined;
    if (!schema) throw new Error(`no ${status} schema for ${method} ${path}`);
    return schema;
  }

  /** Keys in a value that its schema does not document (free-form objects excepted). */
  function undocumented(value: unknown, schema: Schema | undefined, at = '$'): string[] {
    const s = resolve(schema);
    if (!s || value === null || typeof value !== 'object') return [];
    const options = s.anyOf ?? s.oneOf;
    if (options) {
      const tries = options.map((o) => undocumented(value, o, at));
      return tries.reduce((a, b) => (b.length < a.length ? b : a));
    }
    if (Array.isArray(value))
      return value.flatMap((v, i) => undocumented(v, s.items, `${at}[${i}]`));
    if (!s.properties) return [];
    const out: string[] = [];
    for (const [k, v] of Object.entries(value)) {
      const prop = s.properties[k];
      if (!prop) {
        if (!s.additionalProperties) out.push(`${at}.${k}`);
        continue;
      }
      out.push(...undocumented(v, prop, `${at}.${k}`));
    }
    return out;
  }

  function unboundedPlaces(schema: Schema | undefined, at: string): string[] {
    const s = resolve(schema);
    if (!s) return [];
    const out: string[] = [];
    for (const opts of [s.anyOf, s.oneOf, s.allOf])
      for (const o of opts ?? []) out.push(...unboundedPlaces(o, at));
    const types = ([] as string[]).concat(s.type ?? []);
    if (
      types.includes('string') &&
      s.maxLength === undefined &&
      !s.enum &&
      !s.pattern &&
      !s.format &&
      s.const === undefined
    )
      out.push(`${at} string without maxLength`);
    if (types.includes('array')) {
      if (s.maxItems === undefined) out.push(`${at} array without maxItems`);
      out.push(...unboundedPlaces(s.items, `${at}[]`));
    }
    if (
      (types.includes('integer') || types.includes('number')) &&
      s.maximum === undefined &&
      s.exclusiveMaximum === undefined
    )
      out.push(`${at} number without maximum`);
    for (const [k, v] of Object.entries(s.properties ?? {}))
      out.push(...unboundedPlaces(v, `${at}.${k}`));
    if (types.includes('object') && !s.properties && s.additionalProperties !== false)
      out.push(`${at} free-form object`);
    return out;
  }
});

/** Every row of every table as text: to look for anything that must never be stored. */
async function databaseText(t: TestApp): Promise<string> {
  const db = t.testDb.database.db;
  const tables = (
    (await db.execute(
      sql`select table_name from information_schema.tables where table_schema = 'public' and table_type = 'BASE TABLE'`,
    )) as unknown as { rows: Json[] }
  ).rows.map((r) => String(r.table_name));
  const parts: string[] = [];
  for (const table of tables) {
    const res = (await db.execute(
      sql.raw(`select t::text as row from "${table}" t`),
    )) as unknown as {
      rows: Json[];
    };
    for (const r of res.rows) parts.push(String(r.row));
  }
  return parts.join('\n');
}
