/**
 * Slow clients (npm run bench:slow-clients): N raw connections each send a request's headers
 * and the start of its body, then stall; prints how many the server still holds over time,
 * without a key (401, closed at once) and with a valid key (closed at REQUEST_TIMEOUT_MS).
 * Embedded database; the clients run in this process too, so the figures include their work.
 * N (default 3000), REQUEST_TIMEOUT_MS (default 5000) and HEADERS_TIMEOUT_MS (2000) from the env.
 */
import net from 'node:net';
import { buildApp } from '../../src/app';
import { loadConfig } from '../../src/config';
import { connect } from '../../src/db/connect';

const N = Number(process.env.N ?? 3000);
const KEY = 'bench-admin-key-0123456789abcdef';
const CHECKPOINTS_MS = [1_000, 3_000, 6_000, 12_000, 20_000, 40_000];

async function run(withKey: boolean) {
  const database = await connect({ dataDir: 'memory' });
  await database.migrate();
  const config = loadConfig({
    LOG_LEVEL: 'silent',
    OFFER_EXPIRY_INTERVAL_MS: '0',
    ADMIN_API_KEY: KEY,
    RATE_LIMIT_MAX: '1000000',
    AUTH_FAILURE_LIMIT: '1000000',
    REQUEST_TIMEOUT_MS: process.env.REQUEST_TIMEOUT_MS ?? '5000',
    HEADERS_TIMEOUT_MS: process.env.HEADERS_TIMEOUT_MS ?? '2000',
  });
  const app = await buildApp({ config, database });
  await app.listen({ host: '127.0.0.1', port: 0 });
  const { port } = app.server.address() as net.AddressInfo;
  const head =
    'POST /v1/schedules/quote HTTP/1.1\r\nHost: bench\r\nContent-Type: application/json\r\n' +
    `Content-Length: 1000\r\n${withKey ? `Authorization: Bearer ${KEY}\r\n` : ''}\r\n{"principal":`;
  const sockets: net.Socket[] = [];
  const started = performance.now();
  for (let i = 0; i < N; i++) {
    const socket = net.connect(port, '127.0.0.1');
    socket.on('error', () => {});
    socket.resume();
    socket.write(head);
    sockets.push(socket);
    if (i % 200 === 0) await new Promise((r) => setImmediate(r));
  }
  console.log(
    `${withKey ? 'valid key' : 'no key'}: ${N} stalled requests (REQUEST_TIMEOUT_MS=${config.REQUEST_TIMEOUT_MS})`,
  );
  for (const at of CHECKPOINTS_MS) {
    await new Promise((r) => setTimeout(r, Math.max(0, at - (performance.now() - started))));
    const open = await new Promise<number>((r) => app.server.getConnections((_e, n) => r(n)));
    console.log(`  t=${at / 1000}s: server holds ${open} connections`);
    if (open === 0) break;
  }
  for (const socket of sockets) socket.destroy();
  await app.close();
  await database.close();
}

async function main() {
  await run(false);
  await run(true);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
