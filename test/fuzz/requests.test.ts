/**
 * Fuzzing every write route (POST, PUT, PATCH under /v1) with generated hostile requests:
 * wrong types, missing and extra fields, extreme numbers, huge strings and arrays, deep
 * nesting, unicode, __proto__ / constructor keys, invalid JSON, wrong content types and
 * oversize bodies. Every answer is a 4xx in the error shape, never a 5xx; afterwards the
 * service is ready and not one row of any table changed.
 *
 * Routes come from the running app itself (an onRoute hook on every Fastify instance), so a
 * route added later is fuzzed too, with generic bodies until it gets a valid base body below.
 */
import fc from 'fast-check';
import type { z } from 'zod';
import { MAX_JSON_DEPTH } from '../../src/platform/input-guard';
import { seedDemo, strongSurvey } from '../helpers/fixtures';
import { bearer, createTestApp, type TestApp } from '../helpers/test-app';
import {
  applicationBody,
  merchantBody,
  referSurvey,
} from '../modules/origination/applications/helpers';
import { errorShapeProblems, fingerprint, routeList } from '../security/support';
import { hostileBody, hostileId } from './generators';

jest.mock('fastify', () => require('../security/support').fastifyWithRouteCapture());

const MJY = 'mkt_demo_majiayan';
const OPR_MJY = 'opr_demo_majiayan';
const RUNS = Number(process.env.FUZZ_RUNS ?? 50);
const WRITE_METHODS = ['POST', 'PUT', 'PATCH'];

/** encodeURIComponent, with lone surrogates (which it refuses) replaced. */
const encode = (s: string) => encodeURIComponent(s.replace(/[\ud800-\udfff]/gu, '?'));

/** What no route may store, whatever its schema says: NUL characters, absurd nesting. */
function unstorable(v: unknown, depth = 0): boolean {
  if (typeof v === 'string') return v.includes('\u0000');
  if (v === null || typeof v !== 'object') return false;
  if (depth >= MAX_JSON_DEPTH) return true;
  return Object.entries(v).some(([k, x]) => k.includes('\u0000') || unstorable(x, depth + 1));
}

interface WriteRoute {
  method: string;
  url: string;
  roles: readonly string[] | undefined;
  body: z.ZodType | undefined;
  query: z.ZodType | undefined;
}

describe('fuzzing every write route', () => {
  let t: TestApp;
  let before: Record<string, string>;
  const keys: Record<string, string> = {};
  const ids: Record<string, string> = {};
  const bases: Record<string, unknown> = {};
  let routes: WriteRoute[] = [];

  beforeAll(async () => {
    t = await createTestApp();
    await seedDemo(t);
    keys.admin = t.adminKey;
    keys.risk = await t.issueKey('risk');
    keys.reviewer = await t.issueKey('reviewer');
    keys.officer = await t.issueKey('officer', { marketIds: [MJY, 'mkt_demo_kaien'] });
    keys.partner = await t.issueKey('partner', { partnerId: 'partner-fuzz' });

    const submit = async (merchantId: string, survey: unknown) => {
      const res = await t.http
        .post('/v1/applications')
        .set(bearer(keys.officer as string))
        .set('idempotency-key', `fuzz-setup-${merchantId}`)
        .send(applicationBody(merchantId, survey as ReturnType<typeof strongSurvey>));
      if (res.status !== 201) throw new Error(`setup submit: ${res.status} ${res.text}`);
      return res.body;
    };
    const approved = await submit('mer_demo_mjy01', strongSurvey());
    const referred = await submit('mer_demo_mjy03', referSurvey());
    const active = await t.http.get('/v1/policies/active').set(bearer(keys.risk as string));
    const draft = await t.http
      .post('/v1/policies')
      .set(bearer(keys.risk as string))
      .send({ cloneOf: active.body.id });
    const keyList = await t.http.get('/v1/api-keys').set(bearer(t.adminKey));
    if (draft.status !== 201 || !approved.offers?.length) throw new Error('setup failed');

    // Real ids, so path parameters get past "not found" to body validation.
    Object.assign(ids, {
      applications: referred.id,
      offers: approved.offers[0].id,
      decisions: approved.decision.id,
      policies: draft.body.id,
      operators: OPR_MJY,
      markets: MJY,
      merchants: 'mer_demo_mjy01',
      'api-keys': keyList.body.data[0].id,
    });
    // A valid body per route: the fuzzer mutates it one field at a time.
    Object.assign(bases, {
      'POST /v1/api-keys': {
        role: 'officer',
        name: 'Fuzz',
        owner: 'fuzz@bank.example',
        marketIds: [MJY],
      },
      'POST /v1/operators': {
        name: 'Fuzz operator',
        guaranteeAgreement: {
          capacity: 10_000_000_000,
          perMerchantCap: 100_000_000,
          maxTermMonths: 12,
          depositRatioBps: 1_000,
          status: 'active',
        },
      },
      'PATCH /v1/operators/:id/guarantee-agreement': {
        capacity: 9_000_000_000_000,
        maxTermMonths: 24,
      },
      'POST /v1/markets': {
        name: 'Fuzz market',
        city: '重庆',
        category: 'furniture',
        operatorId: OPR_MJY,
      },
      'POST /v1/merchants': merchantBody(MJY),
      'POST /v1/policies': { cloneOf: draft.body.id, changes: { name: 'fuzz' } },
      'PUT /v1/policies/:id': { document: { name: 'fuzz' } },
      'POST /v1/policies/:id/activate': { role: 'challenger', share: 0.1 },
      'POST /v1/policies/:id/simulate': { filter: { marketId: MJY }, sampleSize: 5 },
      'POST /v1/schedules/quote': {
        amount: 10_000_000,
        annualRateBps: 800,
        termMonths: 12,
        method: 'equal_instalment',
      },
      'POST /v1/applications': applicationBody('mer_demo_mjy02', strongSurvey()),
      'POST /v1/applications/:id/review': { action: 'approve', note: 'fine', amount: 10_000_000 },
      'POST /v1/guarantee-groups': {
        marketId: MJY,
        memberIds: ['mer_demo_mjy04', 'mer_demo_mjy05', 'mer_demo_mjy06'],
      },
      'POST /v1/outcomes': {
        offerId: approved.offers[0].id,
        status: 'current',
        asOf: '2026-01-01',
      },
    });

    routes = routeList()
      .filter((r) => WRITE_METHODS.includes(r.method) && r.url.startsWith('/v1/'))
      .map(({ method, url, route }) => {
        const schema = (route.schema ?? {}) as { body?: z.ZodType; querystring?: z.ZodType };
        const roles = (route.config as { roles?: readonly string[] } | undefined)?.roles;
        return { method, url, roles, body: schema.body, query: schema.querystring };
      });
    before = await fingerprint(t);
  });
  afterAll(() => t?.close());

  /** A key whose role the route allows (admin when it may), so requests reach validation. */
  const keyFor = (route: WriteRoute) => {
    const role = !route.roles || route.roles.includes('admin') ? 'admin' : route.roles[0];
    const key = keys[role as string];
    if (!key) throw new Error(`no key for role ${role}`);
    return key;
  };
  const pathFor = (route: WriteRoute, id?: string) =>
    route.url.replace(/:id\b/, () =>
      encode(id ?? ids[route.url.split('/')[2] ?? ''] ?? 'zzz_unknown'),
    );
  const send = (
    route: WriteRoute,
    path: string,
    text: string | undefined,
    type = 'application/json',
  ) => {
    const req = t.http[route.method.toLowerCase() as 'post' | 'put' | 'patch'](path)
      .set(bearer(keyFor(route)))
      .set('idempotency-key', `fuzz-${Math.random().toString(36).slice(2)}`)
      .set('content-type', type);
    return text === undefined ? req : req.send(text);
  };
  const expect4xx = (what: string, res: { status: number; body: unknown; text: string }) => {
    const problems = errorShapeProblems(res.status, res.body);
    if (res.status < 400 || res.status > 499) problems.unshift(`status ${res.status}`);
    if (problems.length)
      throw new Error(`${what}: ${problems.join('; ')}\n${res.text.slice(0, 500)}`);
  };

  it('finds the write routes', () => {
    const names = routes.map((r) => `${r.method} ${r.url}`);
    // A floor, not the list: routes added later are fuzzed too.
    expect(names).toEqual(
      expect.arrayContaining([
        'POST /v1/api-keys',
        'POST /v1/applications',
        'POST /v1/merchants',
        'PUT /v1/policies/:id',
        'PATCH /v1/operators/:id/guarantee-agreement',
        'POST /v1/offers/:id/accept',
      ]),
    );
  });

  it('answers generated bodies with a 4xx in the error shape', async () => {
    for (const route of routes.filter((r) => r.body)) {
      const base = bases[`${route.method} ${route.url}`];
      const schema = route.body as z.ZodType;
      await fc.assert(
        fc.asyncProperty(hostileBody(base), async (body) => {
          const text = JSON.stringify(body);
          // Only bodies the route's own schema rejects: a valid one would rightly succeed.
          let parsed: unknown;
          try {
            parsed = text === undefined ? undefined : JSON.parse(text);
          } catch {
            parsed = Symbol('unparseable');
          }
          fc.pre(unstorable(parsed) || !schema.safeParse(parsed).success);
          const res = await send(route, pathFor(route), text);
          expect4xx(`${route.method} ${route.url} with ${String(text).slice(0, 300)}`, res);
        }),
        { numRuns: RUNS },
      );
    }
  });

  it('refuses NUL characters and absurd nesting even where the schema takes any JSON', async () => {
    const deep = (n: number) => `${'{"a":'.repeat(n)}1${'}'.repeat(n)}`;
    const deepArray = (n: number) => `${'['.repeat(n)}1${']'.repeat(n)}`;
    const draft = ids.policies as string;
    const cases: [string, string, string, string][] = [
      ['post', '/v1/policies', `{"document":${deep(100)}}`, 'risk'],
      ['post', '/v1/policies', `{"document":{"a":${deepArray(40_000)}}}`, 'risk'],
      ['post', '/v1/policies', `{"cloneOf":"${draft}","changes":${deep(10_000)}}`, 'risk'],
      ['put', `/v1/policies/${draft}`, `{"document":${deep(30_000)}}`, 'risk'],
      ['post', '/v1/policies', '{"document":{"name":"a\\u0000b"}}', 'risk'],
      ['post', '/v1/policies', '{"document":{"a\\u0000":1}}', 'risk'],
      ['put', `/v1/policies/${draft}`, '{"document":{"x":["\\u0000"]}}', 'risk'],
      [
        'post',
        '/v1/markets',
        `{"name":"x\\u0000","city":"c","category":"furniture","operatorId":"${OPR_MJY}"}`,
        'admin',
      ],
      [
        'post',
        '/v1/merchants',
        JSON.stringify({ ...merchantBody(MJY), name: 'a\u0000b' }),
        'admin',
      ],
      ['post', '/v1/api-keys', '{"role":"risk","name":"\\u0000"}', 'admin'],
    ];
    for (const [method, path, text, role] of cases) {
      const res = await t.http[method as 'post' | 'put'](path)
        .set(bearer(keys[role] as string))
        .set('content-type', 'application/json')
        .send(text);
      expect4xx(`${method} ${path} ${text.slice(0, 80)}`, res);
      expect(res.status).toBe(400);
    }
  });

  it('answers hostile path ids on every write route with a 4xx', async () => {
    for (const route of routes.filter((r) => r.url.includes(':id'))) {
      await fc.assert(
        fc.asyncProperty(hostileId, hostileBody(), async (id, body) => {
          const res = await send(route, pathFor(route, id), JSON.stringify(body ?? {}));
          expect4xx(
            `${route.method} ${route.url} with id ${JSON.stringify(id).slice(0, 100)}`,
            res,
          );
        }),
        { numRuns: Math.ceil(RUNS / 2) },
      );
    }
  });

  it('answers malformed and overlong URLs with a 4xx in the error shape', async () => {
    for (const route of routes.filter((r) => r.url.includes(':id'))) {
      for (const raw of ['%', '%E0%A4%A', '%zz', '%00', 'a'.repeat(101), 'é'.repeat(500)]) {
        const res = await send(route, route.url.replace(':id', raw), '{}');
        expect4xx(`${route.method} ${route.url} with raw id ${raw.slice(0, 20)}`, res);
        expect(res.headers['x-request-id']).toBeTruthy();
      }
    }
  });

  it('answers hostile query strings with a 4xx', async () => {
    for (const route of routes.filter((r) => r.query)) {
      await fc.assert(
        fc.asyncProperty(
          fc.dictionary(
            fc.oneof(fc.constantFrom('policy', '__proto__', 'constructor', 'limit'), fc.string()),
            fc.oneof(hostileId, fc.constant('')),
            { minKeys: 1, maxKeys: 3 },
          ),
          async (query) => {
            const qs = Object.entries(query)
              .map(([k, v]) => `${encode(k)}=${encode(v)}`)
              .join('&');
            const base = bases[`${route.method} ${route.url}`];
            const res = await send(
              route,
              `${pathFor(route, 'zzz_unknown')}?${qs}`,
              JSON.stringify(base ?? {}),
            );
            expect4xx(`${route.method} ${route.url}?${qs.slice(0, 200)}`, res);
          },
        ),
        { numRuns: Math.ceil(RUNS / 2) },
      );
    }
  });

  it('answers invalid JSON with 400', async () => {
    const brokenJson = fc.oneof(
      fc.constantFrom(
        '{',
        '{"a":',
        '{"a":1,}',
        "{'a':1}",
        '[1,2',
        'NaN',
        'undefined',
        '{"a":1}{"b":2}',
        '\u0000',
        '\ufeff{"a":1',
        '{"__proto__":{"polluted":"yes"}}',
        '{"constructor":{"prototype":{"polluted":"yes"}}}',
        `${'['.repeat(5000)}`,
      ),
      fc
        .jsonValue({ maxDepth: 3 })
        .map((v) => JSON.stringify(v))
        .filter((s) => s.length > 1)
        .chain((s) => fc.nat({ max: s.length - 1 }).map((n) => s.slice(0, n)))
        .filter((s) => {
          try {
            JSON.parse(s);
            return false;
          } catch {
            return true;
          }
        }),
    );
    for (const route of routes) {
      await fc.assert(
        fc.asyncProperty(brokenJson, async (text) => {
          const res = await send(route, pathFor(route), text);
          expect4xx(`${route.method} ${route.url} with ${JSON.stringify(text).slice(0, 100)}`, res);
          // Empty bodies are INVALID_JSON too; a route without a body schema may ignore the
          // body, but the parser still runs first.
          expect(res.body.code).toMatch(/^(INVALID_JSON|VALIDATION_FAILED|BAD_REQUEST)$/);
        }),
        { numRuns: Math.ceil(RUNS / 4) },
      );
    }
  });

  it('answers other content types with 415', async () => {
    const types = [
      'text/plain',
      'application/x-www-form-urlencoded',
      'multipart/form-data; boundary=x',
      'application/xml',
      'text/html',
      'application/octet-stream',
      'application/jsonx',
      'application/merge-patch+json',
      'image/png',
      '*/*',
      'garbage',
    ];
    for (const route of routes) {
      for (const type of types) {
        const base = bases[`${route.method} ${route.url}`];
        const res = await send(route, pathFor(route), JSON.stringify(base ?? { a: 1 }), type);
        expect4xx(`${route.method} ${route.url} as ${type}`, res);
        expect(res.status).toBe(415);
      }
    }
  });

  it('answers oversize bodies with 413', async () => {
    const limit = t.config.BODY_LIMIT_BYTES;
    for (const route of routes) {
      // The simulation route takes up to 16 MiB (inline batches); the others the global limit.
      const size = route.url.endsWith('/simulate') ? 16 * 1024 * 1024 + 1 : limit + 1;
      const text = JSON.stringify({ pad: 'x'.repeat(size) });
      const res = await send(route, pathFor(route), text);
      expect4xx(`${route.method} ${route.url} with ${text.length} bytes`, res);
      expect(res.status).toBe(413);
    }
  });

  it('leaves the service ready, the prototypes clean and every table unchanged', async () => {
    const ready = await t.http.get('/health/ready');
    expect(ready.status).toBe(200);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(Object.keys(Object.prototype)).toEqual([]);
    expect(await fingerprint(t)).toEqual(before);
  });
});
