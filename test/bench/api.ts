/**
 * `npm run bench:api`: the service on PostgreSQL under load, against a bare reference.
 *
 * Creates a scratch database on the server at DATABASE_URL (default: the local test server),
 * seeds BENCH_MERCHANTS merchants (default 40,000) with the survey sample's figures, starts the
 * service (its build, `dist/server.js`, compiled first) and the reference as child processes, and drives POST /v1/applications with autocannon (50 connections,
 * varied surveys, a fresh Idempotency-Key each). Prints req/s and latency of both, the ratio,
 * the CPU each side spends per request, and the service's latency at half its maximum rate,
 * evenly paced. Not a test: it prints figures.
 */
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import autocannon from 'autocannon';
import { connect } from '../../src/db/connect';
import { demoMarkets } from '../../src/db/demo-data';
import { merchants } from '../../src/db/schema';
import { ensureDefaultPolicy, seedDemoData } from '../../src/db/seed';
import { pacedLoad } from './paced-load';
import {
  BASE_URL,
  dbUrl,
  dropDatabase,
  query,
  sampleBody,
  sampleMerchants,
} from './sample-database';

const ROOT = path.resolve(__dirname, '../..');
const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 50);
const ADMIN_KEY = `bench-admin-${randomBytes(12).toString('hex')}`;

async function waitReady(url: string, child: ChildProcess) {
  const started = Date.now();
  while (Date.now() - started < 60_000) {
    if (child.exitCode !== null) throw new Error(`child exited with ${child.exitCode}`);
    try {
      const res = await fetch(url);
      if (res.ok || res.status === 404) return;
    } catch {
      /* not yet */
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`not ready: ${url}`);
}

/** Plain `node` on JavaScript, as production runs the build (`npm start`): no TypeScript loader. */
function start(script: string, env: Record<string, string>, flags: string[] = []): ChildProcess {
  // BENCH_PROFILE=1 writes a V8 CPU profile of each child into ./scratch for a look at hot spots.
  const profile = process.env.BENCH_PROFILE ? ['--cpu-prof', '--cpu-prof-dir=scratch'] : [];
  const child = spawn(process.execPath, [...profile, ...flags, script], {
    cwd: ROOT,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  return child;
}

/** Busy CPU of the whole machine and of one child, from /proc (Linux); null elsewhere. */
function cpuMeter(child: ChildProcess) {
  const ticks = 100; // USER_HZ on Linux
  const machine = () => {
    const f =
      readFileSync('/proc/stat', 'utf8').split('\n')[0]?.trim().split(/\s+/).slice(1).map(Number) ??
      [];
    return ((f[0] ?? 0) + (f[1] ?? 0) + (f[2] ?? 0) + (f[5] ?? 0) + (f[6] ?? 0)) / ticks;
  };
  const proc = () => {
    const f = readFileSync(`/proc/${child.pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? [];
    return (Number(f[11]) + Number(f[12])) / ticks;
  };
  try {
    const m0 = machine();
    const p0 = proc();
    const self0 = process.cpuUsage();
    return {
      read(requests: number): string | null {
        const self = process.cpuUsage(self0);
        const gen = (self.user + self.system) / 1e6;
        const server = proc() - p0;
        const rest = machine() - m0 - server - gen;
        const per = (x: number) => ((1000 * x) / Math.max(1, requests)).toFixed(2);
        return `${per(server)} / ${per(gen)} / ${per(rest)}`;
      },
    };
  } catch {
    return { read: () => null };
  }
}

async function stop(child: ChildProcess) {
  if (child.exitCode !== null) return;
  child.kill('SIGTERM');
  await new Promise((r) => child.once('exit', r));
}

interface Run {
  rps: number;
  p50: number;
  p975: number;
  p99: number;
  non2xx: number;
  errors: number;
  total: number;
}

let runs = 0;
/** Requests sent so far, across runs: each run goes on to the next merchants. */
let n = 0;

async function load(
  url: string,
  bodies: string[],
  headers: Record<string, string>,
  opts: { overallRate?: number } = {},
): Promise<Run> {
  // Keys unique across runs too: a repeated key would measure replays, not submissions.
  const run = ++runs;
  const result = await autocannon({
    url,
    method: 'POST',
    connections: CONNECTIONS,
    duration: SECONDS,
    ...(opts.overallRate ? { overallRate: opts.overallRate } : {}),
    requests: [
      {
        setupRequest: (req) => {
          n++;
          return {
            ...req,
            body: bodies[n % bodies.length],
            headers: {
              ...headers,
              'content-type': 'application/json',
              'idempotency-key': `bench-${process.pid}-${run}-${n}`,
            },
          };
        },
      },
    ],
  });
  return {
    rps: result.requests.average,
    p50: result.latency.p50,
    p975: result.latency.p97_5,
    p99: result.latency.p99,
    non2xx: result.non2xx,
    errors: result.errors + result.timeouts,
    total: result.requests.total,
  };
}

/**
 * The service as production runs it: its build, brought up to date with the sources first (run
 * through tsx, the same code cost ~17% more of the server's CPU per request, 2026-12-03).
 */
function build() {
  execFileSync(
    process.execPath,
    [require.resolve('typescript/bin/tsc'), '-p', 'tsconfig.build.json'],
    {
      cwd: ROOT,
      stdio: 'inherit',
    },
  );
}

async function main() {
  build();
  const name = `mla_bench_api_${process.pid}`;
  await query(BASE_URL, `create database ${name}`);
  const url = dbUrl(name);
  const children: ChildProcess[] = [];
  try {
    // Schema, policy, demo data, and 200 more merchants carrying the sample's surveys.
    const database = await connect({ url, poolMax: 4 });
    await database.migrate();
    await ensureDefaultPolicy(database.db, new Date());
    await seedDemoData(database.db, {
      clock: () => new Date(),
      piiDigestKey: 'bench-digest-key-0123',
      demoKeys: false,
    });
    // Each merchant a borrower of its own (BENCH_MERCHANTS, default 40,000), carrying the sample's
    // surveys in turn: a submission is then mostly a borrower's first, as in a market's day. With
    // BENCH_MERCHANTS=200 every borrower applies again and again: its exposure ledger fills, and
    // the later applications are declined or sized against what it holds (issue #12).
    const merchantCount = Number(process.env.BENCH_MERCHANTS ?? 40_000);
    const rows = sampleMerchants('bench', merchantCount);
    for (let i = 0; i < rows.length; i += 2_000)
      await database.db.insert(merchants).values(rows.slice(i, i + 2_000));
    await database.close();
    const bodies = rows.map((_, i) => JSON.stringify(sampleBody('bench', i)));

    const servicePort = 31000 + (process.pid % 1000);
    const refPort = servicePort + 1;
    const service = start(
      'dist/server.js',
      {
        DATABASE_URL: url,
        PORT: String(servicePort),
        HOST: '127.0.0.1',
        ADMIN_API_KEY: ADMIN_KEY,
        SEED_DEMO: 'false',
        LOG_LEVEL: 'warn',
        RATE_LIMIT_MAX: '1000000',
        OFFER_EXPIRY_INTERVAL_MS: '0',
        NODE_ENV: 'production',
        PII_DIGEST_KEY: randomBytes(24).toString('hex'),
        WEBHOOK_SECRET_KEY: randomBytes(24).toString('hex'),
      },
      // BENCH_SERVICE_FLAGS: node flags for the service alone, e.g. to try a V8 heap setting.
      (process.env.BENCH_SERVICE_FLAGS ?? '').split(' ').filter(Boolean),
    );
    children.push(service);
    const reference = start('test/bench/reference-server.cjs', {
      DATABASE_URL: url,
      PORT: String(refPort),
    });
    children.push(reference);
    await waitReady(`http://127.0.0.1:${servicePort}/health/ready`, service);
    await waitReady(`http://127.0.0.1:${refPort}/`, reference);

    const keyRes = await fetch(`http://127.0.0.1:${servicePort}/v1/api-keys`, {
      method: 'POST',
      headers: { authorization: `Bearer ${ADMIN_KEY}`, 'content-type': 'application/json' },
      body: JSON.stringify({
        role: 'officer',
        name: 'bench officer',
        owner: 'bench-officer',
        marketIds: demoMarkets.map((m) => m.id),
      }),
    });
    const officer = ((await keyRes.json()) as { secret: string }).secret;
    const auth = { authorization: `Bearer ${officer}` };

    // Warm both up (JIT, pool, caches), then measure.
    await load(`http://127.0.0.1:${servicePort}/v1/applications`, bodies, auth).catch(
      () => undefined,
    );
    const refCpu = cpuMeter(reference);
    const refRun = await load(`http://127.0.0.1:${refPort}/ref`, bodies, {});
    const refUse = refCpu.read(refRun.total);
    const svcCpu = cpuMeter(service);
    const svcRun = await load(`http://127.0.0.1:${servicePort}/v1/applications`, bodies, auth);
    const svcUse = svcCpu.read(svcRun.total);
    const half = Math.max(1, Math.round(svcRun.rps / 2));
    const halfBurst = await load(`http://127.0.0.1:${servicePort}/v1/applications`, bodies, auth, {
      overallRate: half,
    });
    let paced = 0;
    const pacedAt = (url: string, headers: Record<string, string>) =>
      pacedLoad({
        url,
        rate: half,
        seconds: SECONDS,
        connections: CONNECTIONS,
        request: (i) => ({
          body: bodies[i % bodies.length] as string,
          headers: {
            ...headers,
            'content-type': 'application/json',
            'idempotency-key': `bench-${process.pid}-paced-${++paced}`,
          },
        }),
      });
    const halfPaced = await pacedAt(`http://127.0.0.1:${servicePort}/v1/applications`, auth);
    // The same pace on the reference: a control for stalls of the machine itself.
    const refPaced = await pacedAt(`http://127.0.0.1:${refPort}/ref`, {});

    const fmt = (label: string, r: Omit<Run, 'total'>) =>
      `${label.padEnd(44)} ${r.rps.toFixed(0).padStart(7)} ${String(r.p50).padStart(6)} ${String(r.p975).padStart(7)} ${String(r.p99).padStart(6)} ${String(r.non2xx).padStart(7)} ${String(r.errors).padStart(6)}`;
    console.log(
      `\nPOST /v1/applications vs bare reference: ${CONNECTIONS} connections, ${SECONDS} s each, PostgreSQL, Node ${process.version}, ${os.cpus().length} cores`,
    );
    console.log(
      `${'run'.padEnd(44)} ${'req/s'.padStart(7)} ${'p50ms'.padStart(6)} ${'p97.5ms'.padStart(7)} ${'p99ms'.padStart(6)} ${'non2xx'.padStart(7)} ${'errors'.padStart(6)}`,
    );
    console.log(fmt('reference (tx, 2 INSERTs)', refRun));
    console.log(fmt('service POST /v1/applications', svcRun));
    console.log(fmt(`service at half max, paced (${half} req/s)`, halfPaced));
    console.log(fmt(`service at half max, autocannon bursts`, halfBurst));
    console.log(fmt(`reference at the same pace (${half} req/s)`, refPaced));
    if (refUse && svcUse) {
      console.log(
        '\nCPU per request (ms): server process / load generator / PostgreSQL and the rest',
      );
      console.log(`  reference ${refUse}`);
      console.log(`  service   ${svcUse}`);
    }
    console.log(
      `\nthroughput ratio service/reference: ${(svcRun.rps / refRun.rps).toFixed(2)} (goal >= 0.80)`,
    );
    console.log(
      `p99 at half the service's max rate, evenly paced: ${halfPaced.p99} ms (goal < 50 ms; the reference at that pace: ${refPaced.p99} ms)`,
    );
  } finally {
    await Promise.all(children.map(stop));
    await dropDatabase(name);
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
