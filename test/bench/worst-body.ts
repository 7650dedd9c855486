/**
 * `npx tsx test/bench/worst-body.ts`: how long the worst request under each limit holds an
 * instance. The service (buildApp on PGlite in memory) runs in a child process, so the
 * probes of /health/live sent every 50 ms from here see what a load balancer would: a
 * request that blocks the event loop blocks them too. For each case it prints the time to
 * answer, the status and answer size, the slowest /health/live probe meanwhile and the
 * child's peak memory. Each case gets a fresh child (a frozen one is killed after
 * BENCH_TIMEOUT_MS). Not a test: it prints figures.
 *
 * BENCH_SIMULATE_BYTES (default 16 MiB, the route's limit) sizes the /simulate bodies, so a
 * run against a build without bounds can be kept short; BENCH_CASES filters cases by name.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import http from 'node:http';

const ADMIN_KEY = 'bench-admin-key-0123456789abcdef';
const BODY_LIMIT = 256 * 1024;
const SIMULATE_LIMIT = 16 * 1024 * 1024;
const SIMULATE_BYTES = Number(process.env.BENCH_SIMULATE_BYTES ?? SIMULATE_LIMIT);
const TIMEOUT_MS = Number(process.env.BENCH_TIMEOUT_MS ?? 120_000);
/** Node's default --max-http-header-size: the request line and headers must fit in it. */
const URL_BYTES = 16 * 1024 - 1024;

interface Answer {
  status: number;
  bytes: number;
  ms: number;
  text: string;
}

function request(
  port: number,
  method: string,
  path: string,
  key: string | undefined,
  body: string | undefined,
  timeoutMs: number,
): Promise<Answer> {
  const started = performance.now();
  return new Promise((resolve) => {
    const req = http.request(
      {
        host: '127.0.0.1',
        port,
        method,
        path,
        agent: false,
        timeout: timeoutMs,
        headers: {
          ...(key ? { authorization: `Bearer ${key}` } : {}),
          ...(body === undefined
            ? {}
            : { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) }),
        },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const buf = Buffer.concat(chunks);
          resolve({
            status: res.statusCode ?? 0,
            bytes: buf.length,
            ms: performance.now() - started,
            text: buf.length < 1_000_000 ? buf.toString() : buf.toString('utf8', 0, 1_000),
          });
        });
        res.on('error', () =>
          resolve({ status: 0, bytes: 0, ms: performance.now() - started, text: 'error' }),
        );
      },
    );
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', (err) =>
      resolve({ status: 0, bytes: 0, ms: performance.now() - started, text: String(err) }),
    );
    req.end(body);
  });
}

/** `{"k0":1,"k1":1,...}` (inside `wrap`) as large as fits in `bytes`. */
function manyKeys(bytes: number, wrap = (inner: string) => inner): string {
  const overhead = wrap('{}').length;
  const parts: string[] = [];
  let size = overhead;
  for (let i = 0; ; i++) {
    const part = `"k${i}":1`;
    if (size + part.length + 1 > bytes) break;
    parts.push(part);
    size += part.length + 1;
  }
  return wrap(`{${parts.join(',')}}`);
}

/** `[item,item,...]` (inside `wrap`) as large as fits in `bytes`. */
function longArray(bytes: number, item: string, wrap: (inner: string) => string): string {
  const n = Math.floor((bytes - wrap('[]').length) / (item.length + 1));
  return wrap(`[${new Array(n).fill(item).join(',')}]`);
}

/** `?k0=1&k1=1...` as long as a request line may be. */
function manyParams(path: string): string {
  const parts: string[] = [];
  let size = path.length + 1;
  for (let i = 0; size < URL_BYTES - 10; i++) {
    const part = `k${i}=1`;
    parts.push(part);
    size += part.length + 1;
  }
  return `${path}?${parts.join('&')}`;
}

interface Case {
  name: string;
  method: string;
  path: (ids: Ids) => string;
  body?: () => string;
  role: 'admin' | 'risk';
}
interface Ids {
  draft: string;
}

const cases: Case[] = [
  {
    name: 'quote: unknown keys, 256 KiB',
    method: 'POST',
    path: () => '/v1/schedules/quote',
    body: () => manyKeys(BODY_LIMIT),
    role: 'admin',
  },
  {
    name: 'quote: 8,000 unknown keys',
    method: 'POST',
    path: () => '/v1/schedules/quote',
    body: () => manyKeys(79 * 1024),
    role: 'admin',
  },
  {
    name: 'api-keys: long array, 256 KiB',
    method: 'POST',
    path: () => '/v1/api-keys',
    body: () => longArray(BODY_LIMIT, '1', (a) => `{"role":"officer","name":"x","marketIds":${a}}`),
    role: 'admin',
  },
  {
    name: 'policies: document with many keys, 256 KiB',
    method: 'POST',
    path: () => '/v1/policies',
    body: () => manyKeys(BODY_LIMIT, (o) => `{"document":${o}}`),
    role: 'risk',
  },
  {
    name: 'policies: deep nesting, 256 KiB',
    method: 'PUT',
    path: (ids) => `/v1/policies/${ids.draft}`,
    body: () => {
      const n = Math.floor((BODY_LIMIT - 20) / 6);
      return `{"document":${'{"a":'.repeat(n)}1${'}'.repeat(n)}}`;
    },
    role: 'risk',
  },
  {
    name: 'merchants: many query parameters',
    method: 'GET',
    path: () => manyParams('/v1/merchants'),
    role: 'admin',
  },
  {
    name: 'simulate: unknown keys',
    method: 'POST',
    path: (ids) => `/v1/policies/${ids.draft}/simulate`,
    body: () => manyKeys(SIMULATE_BYTES),
    role: 'risk',
  },
  {
    name: 'simulate: long array of numbers',
    method: 'POST',
    path: (ids) => `/v1/policies/${ids.draft}/simulate`,
    body: () => longArray(SIMULATE_BYTES, '1', (a) => `{"surveys":${a}}`),
    role: 'risk',
  },
  {
    name: 'simulate: long array of empty cases',
    method: 'POST',
    path: (ids) => `/v1/policies/${ids.draft}/simulate`,
    body: () => longArray(SIMULATE_BYTES, '{"survey":{},"request":{}}', (a) => `{"surveys":${a}}`),
    role: 'risk',
  },
  {
    name: 'simulate: 10,000 cases, every field missing',
    method: 'POST',
    path: (ids) => `/v1/policies/${ids.draft}/simulate`,
    body: () => `{"surveys":[${new Array(10_000).fill('{"survey":{},"request":{}}').join(',')}]}`,
    role: 'risk',
  },
  {
    name: 'simulate: 10,000 cases, 95 unknown keys each',
    method: 'POST',
    path: (ids) => `/v1/policies/${ids.draft}/simulate`,
    body: () => {
      const item = manyKeys(95 * 6 + 30, (o) => `{"survey":${o},"request":{}}`);
      return `{"surveys":[${new Array(10_000).fill(item).join(',')}]}`;
    },
    role: 'risk',
  },
];

/** Child mode: the app on PGlite in memory, its port on stdout. */
async function serve() {
  const { buildApp } = await import('../../src/app');
  const { loadConfig } = await import('../../src/config');
  const { connect } = await import('../../src/db/connect');
  const { ensureDefaultPolicy, seedDemoData } = await import('../../src/db/seed');
  const config = loadConfig({
    NODE_ENV: 'production',
    LOG_LEVEL: 'silent',
    ADMIN_API_KEY: ADMIN_KEY,
    RATE_LIMIT_MAX: '100000',
    OFFER_EXPIRY_INTERVAL_MS: '0',
  });
  const database = await connect({ dataDir: 'memory' });
  await database.migrate();
  await ensureDefaultPolicy(database.db, new Date());
  await seedDemoData(database.db, {
    clock: () => new Date(),
    piiDigestKey: config.PII_DIGEST_KEY,
    demoKeys: false,
  });
  const app = await buildApp({ config, database });
  await app.listen({ host: '127.0.0.1', port: 0 });
  const address = app.server.address();
  process.stdout.write(`PORT ${typeof address === 'object' && address ? address.port : 0}\n`);
}

function startChild(): Promise<{ child: ChildProcess; port: number }> {
  const child = spawn(process.execPath, ['--import', 'tsx', __filename, 'serve'], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout?.on('data', (c: Buffer) => {
      out += c.toString();
      const m = /PORT (\d+)/.exec(out);
      if (m) resolve({ child, port: Number(m[1]) });
    });
    child.once('exit', (code) => reject(new Error(`child exited ${code}`)));
  });
}

/** Peak resident memory of a process, MB (Linux; null elsewhere). */
function peakMb(pid: number | undefined): number | null {
  try {
    const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Math.round(Number(m[1]) / 1024) : null;
  } catch {
    return null;
  }
}

async function runCase(c: Case) {
  const { child, port } = await startChild();
  try {
    const keyRes = await request(
      port,
      'POST',
      '/v1/api-keys',
      ADMIN_KEY,
      JSON.stringify({ role: 'risk', name: 'bench' }),
      10_000,
    );
    const riskKey = JSON.parse(keyRes.text).secret as string;
    const active = await request(port, 'GET', '/v1/policies/active', riskKey, undefined, 10_000);
    const activeId = JSON.parse(active.text).id as string;
    const draftRes = await request(
      port,
      'POST',
      '/v1/policies',
      riskKey,
      JSON.stringify({ cloneOf: activeId }),
      10_000,
    );
    const draft = /"id":"([^"]+)"/.exec(draftRes.text)?.[1] ?? 'pol_unknown';
    const body = c.body?.();
    const path = c.path({ draft });

    // Probes: one /health/live every 50 ms while the case runs; the slowest is what a load
    // balancer's liveness check would have seen.
    let slowestProbe = 0;
    let running = true;
    const probes: Promise<void>[] = [];
    const timer = setInterval(() => {
      if (!running) return;
      probes.push(
        request(port, 'GET', '/health/live', undefined, undefined, TIMEOUT_MS).then((a) => {
          slowestProbe = Math.max(slowestProbe, a.ms);
        }),
      );
    }, 50);
    const answer = await request(
      port,
      c.method,
      path,
      c.role === 'risk' ? riskKey : ADMIN_KEY,
      body,
      TIMEOUT_MS,
    );
    running = false;
    clearInterval(timer);
    const peak = peakMb(child.pid);
    // Probes still waiting on a frozen child would wait for ever: give them a moment only.
    await Promise.race([Promise.all(probes), new Promise((r) => setTimeout(r, 2_000))]);
    const requestBytes = body === undefined ? path.length : Buffer.byteLength(body);
    return {
      case: c.name,
      sentKB: Math.round(requestBytes / 1024),
      status: answer.status || `none in ${Math.round(TIMEOUT_MS / 1000)} s`,
      answerMs: Math.round(answer.ms),
      answerKB: Math.round(answer.bytes / 1024),
      slowestLiveMs: Math.round(slowestProbe),
      peakMB: peak,
      code: /"code":"([A-Z_]+)"/.exec(answer.text)?.[1] ?? '',
    };
  } finally {
    child.kill('SIGKILL');
  }
}

async function main() {
  const only = process.env.BENCH_CASES;
  const rows = [];
  for (const c of cases.filter((c) => !only || c.name.includes(only))) {
    const row = await runCase(c);
    console.log(JSON.stringify(row));
    rows.push(row);
  }
  console.table(rows);
}

if (process.argv[2] === 'serve') {
  serve().catch((err) => {
    process.stderr.write(`${String(err?.stack ?? err)}\n`);
    process.exit(1);
  });
} else {
  main().catch((err) => {
    console.error(err);
    process.exit(1);
  });
}
