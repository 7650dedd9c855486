/**
 * The real server (src/server.ts) as a child process, and a bare HTTP client for it, for the
 * process fault tests. Not a test file: jest only runs *.test.ts.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import path from 'node:path';

export const ROOT = path.resolve(__dirname, '../..');
export const CHILD_ADMIN_KEY = 'fault-admin-key-0123456789abcdef';
/** Connections the child opens carry this application_name, so pg_stat_activity finds them. */
export const CHILD_APP_NAME = 'mla-fault-child';

export interface ChildServer {
  proc: ChildProcess;
  port: number;
  /** Resolves with the exit code (null when killed by a signal) and the signal. */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null; at: number }>;
  /** The last few kB of its stdout and stderr, for failure messages. */
  output(): string;
}

const running = new Set<ChildProcess>();

export async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** Starts `node --import tsx src/server.ts` on the database and waits until it is ready. */
export async function startServer(
  databaseUrl: string,
  env: Record<string, string> = {},
  readyWithinMs = 20_000,
): Promise<ChildServer> {
  const port = await freePort();
  const proc = spawn(process.execPath, ['--import', 'tsx', 'src/server.ts'], {
    cwd: ROOT,
    env: {
      PATH: process.env.PATH ?? '',
      HOME: process.env.HOME ?? '',
      NODE_ENV: 'production',
      DATABASE_URL: databaseUrl,
      PGAPPNAME: CHILD_APP_NAME,
      HOST: '127.0.0.1',
      PORT: String(port),
      ADMIN_API_KEY: CHILD_ADMIN_KEY,
      // Production refuses the public development key.
      PII_DIGEST_KEY: 'fault-test-pii-digest-key-0123456789abcdef',
      WEBHOOK_SECRET_KEY: 'fault-test-webhook-secret-key-0123456789abcdef',
      SEED_DEMO: 'true',
      LOG_LEVEL: 'warn',
      RATE_LIMIT_MAX: '100000',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  running.add(proc);
  let out = '';
  const keep = (chunk: Buffer) => {
    out = (out + chunk.toString()).slice(-8_000);
  };
  proc.stdout?.on('data', keep);
  proc.stderr?.on('data', keep);
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null; at: number }>(
    (resolve) =>
      proc.once('exit', (code, signal) => {
        running.delete(proc);
        resolve({ code, signal, at: performance.now() });
      }),
  );
  const child: ChildServer = { proc, port, exited, output: () => out };

  const deadline = performance.now() + readyWithinMs;
  let gone = false;
  void exited.then(() => {
    gone = true;
  });
  while (performance.now() < deadline && !gone) {
    const res = await send(port, 'GET', '/health/ready', undefined, {}, 1_000);
    if (res.status === 200) return child;
    await new Promise((r) => setTimeout(r, 100));
  }
  proc.kill('SIGKILL');
  throw new Error(`server not ready within ${readyWithinMs} ms:\n${out}`);
}

/** SIGKILLs every child still running (afterAll). */
export async function killLeftovers(): Promise<void> {
  await Promise.all(
    [...running].map(
      (proc) =>
        new Promise<void>((resolve) => {
          proc.once('exit', () => resolve());
          proc.kill('SIGKILL');
        }),
    ),
  );
}

export interface Answer {
  /** 0: no complete HTTP answer (refused, reset, timed out). */
  status: number;
  headers: http.IncomingHttpHeaders;
  body: unknown;
  error?: string;
}

export interface SendHooks {
  /** The whole request has been written to the socket. */
  onSent?: () => void;
}

/** One request on its own connection (no keep-alive), bounded by `timeoutMs`. */
export function send(
  port: number,
  method: string,
  urlPath: string,
  body: unknown,
  headers: Record<string, string>,
  timeoutMs: number,
  hooks: SendHooks = {},
): Promise<Answer> {
  return new Promise((resolve) => {
    const payload = body === undefined ? undefined : JSON.stringify(body);
    let settled = false;
    const done = (a: Answer) => {
      if (!settled) {
        settled = true;
        resolve(a);
      }
    };
    const req = http.request(
      {
        host: '127.0.0.1',
        port,
        method,
        path: urlPath,
        agent: false,
        headers: {
          ...headers,
          ...(payload === undefined
            ? {}
            : {
                'content-type': 'application/json',
                'content-length': Buffer.byteLength(payload),
              }),
        },
        timeout: timeoutMs,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('error', (err) => done({ status: 0, headers: {}, body: null, error: String(err) }));
        res.on('end', () => {
          if (!res.complete) {
            done({ status: 0, headers: res.headers, body: null, error: 'incomplete response' });
            return;
          }
          const text = Buffer.concat(chunks).toString();
          let parsed: unknown = text;
          try {
            parsed = JSON.parse(text);
          } catch {}
          done({ status: res.statusCode ?? 0, headers: res.headers, body: parsed });
        });
      },
    );
    req.on('timeout', () => req.destroy(new Error(`no answer within ${timeoutMs} ms`)));
    req.on('error', (err) => done({ status: 0, headers: {}, body: null, error: String(err) }));
    req.on('finish', () => hooks.onSent?.());
    req.end(payload);
  });
}

/**
 * What the kernel holds for the server's port (Linux, from /proc/net/tcp; null elsewhere):
 * connections waiting to be accepted, and accepted ones whose bytes the process has not read.
 * Both zero means the process has every request that was sent (Node parses what it reads).
 */
export function unreadByServer(
  port: number,
): { acceptQueue: number; unreadSockets: number; established: number } | null {
  let text: string;
  try {
    text = readFileSync('/proc/net/tcp', 'utf8');
  } catch {
    return null;
  }
  const hexPort = port.toString(16).toUpperCase().padStart(4, '0');
  let acceptQueue = 0;
  let unreadSockets = 0;
  let established = 0;
  for (const line of text.split('\n').slice(1)) {
    const [, local, , state, queues] = line.trim().split(/\s+/);
    if (!local?.endsWith(`:${hexPort}`) || !queues) continue;
    const rx = Number.parseInt(queues.split(':')[1] ?? '0', 16);
    if (state === '0A') acceptQueue += rx;
    if (state === '01') {
      established += 1;
      if (rx > 0) unreadSockets += 1;
    }
  }
  return { acceptQueue, unreadSockets, established };
}

/** Resolves true when a TCP connection to the port is refused, false when it is accepted. */
export function refusesConnections(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(false);
    });
    socket.once('error', (err: NodeJS.ErrnoException) => resolve(err.code === 'ECONNREFUSED'));
  });
}
