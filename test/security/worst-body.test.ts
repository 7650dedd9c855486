/**
 * The worst request under each route's limits answers fast (issue #10, finding 1): for every
 * route with a body (read from the app itself), bodies as large as its body limit allows,
 * made to cost the most (an object of unknown keys, a long array, a long array of objects,
 * deep nesting), and for every route with a query schema, as many parameters as a request
 * line holds. Each must answer a 4xx in the error shape, with a small answer, in well under a
 * second: before, 23,000 unknown keys held the instance for 38 s and 1.4 million (16 MiB, to
 * /simulate) for more than 15 minutes. Timing figures: test/bench/worst-body.ts.
 *
 * WORST_BODY_MAX_BYTES caps the body size (to show a build without bounds failing quickly).
 */
import { seedDemo } from '../helpers/fixtures';
import { bearer, createTestApp, type TestApp } from '../helpers/test-app';
import { errorShapeProblems, routeList } from './support';

jest.mock('fastify', () => require('./support').fastifyWithRouteCapture());

/** Generous: the answers take milliseconds; without bounds they took seconds to forever. */
const ANSWER_WITHIN_MS = 1_500;
const ANSWER_AT_MOST_BYTES = 20_000;
const MAX_BYTES = Number(process.env.WORST_BODY_MAX_BYTES ?? Number.POSITIVE_INFINITY);
/** Request line and headers must fit in Node's default 16 KiB. */
const QUERY_BYTES = 15_000;

/** `open` + `item,item,...` + `close`, as long as fits in `bytes`. */
function fill(bytes: number, open: string, item: (i: number) => string, close: string): string {
  const parts: string[] = [];
  let size = open.length + close.length;
  for (let i = 0; ; i++) {
    const part = item(i);
    if (size + part.length + 1 > bytes) break;
    parts.push(part);
    size += part.length + 1;
  }
  return `${open}${parts.join(',')}${close}`;
}

const worstBodies: Record<string, (bytes: number) => string> = {
  'unknown keys': (n) => fill(n, '{', (i) => `"k${i}":1`, '}'),
  'a long array': (n) => fill(n, '{"a":[', () => '1', ']}'),
  'a long array of objects': (n) => fill(n, '[', () => '{"survey":{},"request":{}}', ']'),
  'deep nesting': (n) => {
    const depth = Math.floor((n - 1) / 6);
    return `${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`;
  },
};

describe('the worst request under each limit', () => {
  let t: TestApp;
  const keys: Record<string, string> = {};

  beforeAll(async () => {
    t = await createTestApp();
    await seedDemo(t);
    keys.admin = t.adminKey;
    for (const role of ['risk', 'reviewer', 'officer', 'partner'] as const)
      keys[role] = await t.issueKey(
        role,
        role === 'officer'
          ? { marketIds: ['mkt_demo_majiayan'] }
          : role === 'partner'
            ? { partnerId: 'p' }
            : {},
      );
  });
  afterAll(() => t?.close());

  const keyFor = (roles: readonly string[] | undefined) =>
    keys[!roles || roles.includes('admin') ? 'admin' : (roles[0] as string)] as string;

  const check = (
    what: string,
    ms: number,
    res: { status: number; body: unknown; text: string },
  ) => {
    const problems = errorShapeProblems(res.status, res.body);
    if (res.status < 400 || res.status > 499) problems.push(`status ${res.status}`);
    if (res.text.length > ANSWER_AT_MOST_BYTES) problems.push(`answer of ${res.text.length} bytes`);
    if (ms > ANSWER_WITHIN_MS) problems.push(`answered in ${Math.round(ms)} ms`);
    return problems.length ? [`${what}: ${problems.join('; ')}`] : [];
  };

  it('bodies: 4xx in the error shape, small, in well under a second', async () => {
    const routes = routeList().filter(
      ({ method, url, route }) =>
        ['POST', 'PUT', 'PATCH'].includes(method) &&
        url.startsWith('/v1/') &&
        (route.schema as { body?: unknown } | undefined)?.body,
    );
    expect(routes.map((r) => `${r.method} ${r.url}`)).toEqual(
      expect.arrayContaining(['POST /v1/schedules/quote', 'POST /v1/policies/:id/simulate']),
    );
    const failures: string[] = [];
    for (const { method, url, route } of routes) {
      const limit = Math.min(route.bodyLimit ?? t.config.BODY_LIMIT_BYTES, MAX_BYTES);
      const roles = (route.config as { roles?: readonly string[] } | undefined)?.roles;
      for (const [shape, make] of Object.entries(worstBodies)) {
        const text = make(limit);
        const started = performance.now();
        const res = await t.http[method.toLowerCase() as 'post' | 'put' | 'patch'](
          url.replace(':id', 'zzz_unknown'),
        )
          .set(bearer(keyFor(roles)))
          .set('idempotency-key', `worst-${Math.random()}`)
          .set('content-type', 'application/json')
          .send(text);
        failures.push(
          ...check(
            `${method} ${url} with ${shape} (${text.length} bytes)`,
            performance.now() - started,
            res,
          ),
        );
      }
    }
    expect(failures).toEqual([]);
  });

  it('query strings: as many parameters as a request line holds', async () => {
    const routes = routeList().filter(
      ({ url, route }) =>
        url.startsWith('/v1/') &&
        (route.schema as { querystring?: unknown } | undefined)?.querystring,
    );
    expect(routes.length).toBeGreaterThan(3);
    const failures: string[] = [];
    for (const { method, url, route } of routes) {
      const roles = (route.config as { roles?: readonly string[] } | undefined)?.roles;
      const path = url.replace(':id', 'zzz_unknown');
      const qs = fill(QUERY_BYTES - path.length, '?', (i) => `k${i}=1`, '').replaceAll(',', '&');
      const started = performance.now();
      const req = t.http[method.toLowerCase() as 'get' | 'post'](`${path}${qs}`).set(
        bearer(keyFor(roles)),
      );
      const res = await (method === 'GET'
        ? req
        : req.set('content-type', 'application/json').send('{}'));
      failures.push(
        ...check(
          `${method} ${url} with ${qs.length} bytes of query`,
          performance.now() - started,
          res,
        ),
      );
    }
    expect(failures).toEqual([]);
  });

  it('leaves the instance live', async () => {
    const res = await t.http.get('/health/live');
    expect(res.status).toBe(200);
  });
});
