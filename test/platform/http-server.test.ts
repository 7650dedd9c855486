import net from 'node:net';
import { bearer, createTestApp, type TestApp } from '../helpers/test-app';

/**
 * Slow clients: a raw socket that sends part of a request and stalls. Without server timeouts
 * it held its connection (and file handle) for as long as it liked.
 */

interface RawClient {
  /** Everything the server sent. */
  received(): string;
  /** Resolves with how long the socket stayed open, or 'open' if it still is after `withinMs`. */
  closed(withinMs: number): Promise<number | 'open'>;
  destroy(): void;
}

async function rawClient(app: TestApp['app'], firstBytes: string): Promise<RawClient> {
  const { port } = app.server.address() as net.AddressInfo;
  const socket = net.connect(port, '127.0.0.1');
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', resolve);
    socket.once('error', reject);
  });
  const started = performance.now();
  let data = '';
  let closedAfter: number | null = null;
  const closed = new Promise<void>((resolve) =>
    socket.once('close', () => {
      closedAfter = performance.now() - started;
      resolve();
    }),
  );
  socket.on('data', (chunk) => {
    data += chunk.toString();
  });
  socket.on('error', () => {});
  socket.write(firstBytes);
  return {
    received: () => data,
    async closed(withinMs) {
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([
        closed,
        new Promise((resolve) => {
          timer = setTimeout(resolve, withinMs);
        }),
      ]);
      clearTimeout(timer);
      return closedAfter ?? 'open';
    },
    destroy: () => socket.destroy(),
  };
}

/**
 * How long a test waits for the server to close a socket. A window, not the property: what
 * closed it is told by what the server sent (a 408 is the request or headers timeout's own
 * answer, which the 5 s connection timeout never sends; a 401 with Connection: close is the
 * 401's own, well before the default 30 s timeouts). Wide, so that a loaded machine (2 cores,
 * two jest workers) cannot turn a slow close into a failure; before the fix they stayed open.
 */
const CLOSE_WITHIN_MS = 15_000;

const partialPost = (path: string, headers: Record<string, string>) =>
  `POST ${path} HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n` +
  `Content-Length: 1000\r\n${Object.entries(headers)
    .map(([k, v]) => `${k}: ${v}\r\n`)
    .join('')}\r\n{"principal": 1000`;

describe('slow clients with short timeouts', () => {
  let t: TestApp;
  const clients: RawClient[] = [];
  beforeAll(async () => {
    t = await createTestApp({
      env: { HEADERS_TIMEOUT_MS: '200', REQUEST_TIMEOUT_MS: '400', CONNECTION_TIMEOUT_MS: '5000' },
    });
    await t.app.listen({ host: '127.0.0.1', port: 0 });
  });
  afterAll(async () => {
    for (const c of clients) c.destroy();
    await t.close();
  });

  it('closes a connection whose body stalls, with a 408 in the error shape', async () => {
    const client = await rawClient(t.app, partialPost('/v1/schedules/quote', bearer(t.adminKey)));
    clients.push(client);
    // 400 ms configured; before, it stayed open for good.
    expect(await client.closed(CLOSE_WITHIN_MS)).not.toBe('open');
    expect(client.received()).toMatch(/^HTTP\/1\.1 408 /);
    const body = JSON.parse(client.received().split('\r\n\r\n')[1] ?? '');
    expect(body).toMatchObject({ statusCode: 408, code: 'REQUEST_TIMEOUT' });
    expect(body.messageZh).toBeTruthy();
  });

  it('closes a connection whose headers never finish', async () => {
    const client = await rawClient(t.app, 'GET /health/live HTTP/1.1\r\nHost: localhost\r\n');
    clients.push(client);
    expect(await client.closed(CLOSE_WITHIN_MS)).not.toBe('open');
    expect(client.received()).toMatch(/^HTTP\/1\.1 408 /);
  });

  it('still serves an ordinary request', async () => {
    expect((await t.http.get('/health/live')).status).toBe(200);
  });
});

describe('unauthenticated connections', () => {
  let t: TestApp;
  const clients: RawClient[] = [];
  beforeAll(async () => {
    // Default timeouts (30 s): the close below is the 401's own, not a timeout's.
    t = await createTestApp();
    await t.app.listen({ host: '127.0.0.1', port: 0 });
  });
  afterAll(async () => {
    for (const c of clients) c.destroy();
    await t.close();
  });

  it('are closed after the 401, even with the body still to come', async () => {
    const client = await rawClient(t.app, partialPost('/v1/applications', {}));
    clients.push(client);
    expect(await client.closed(CLOSE_WITHIN_MS)).not.toBe('open');
    const head = client.received().split('\r\n\r\n')[0] ?? '';
    expect(head).toMatch(/^HTTP\/1\.1 401 /);
    expect(head.toLowerCase()).toContain('connection: close');
  });

  it('are closed after the 401 to a wrong key, keep-alive asked or not', async () => {
    const client = await rawClient(
      t.app,
      'GET /v1/api-keys HTTP/1.1\r\nHost: localhost\r\nConnection: keep-alive\r\n' +
        'Authorization: Bearer not-a-key\r\n\r\n',
    );
    clients.push(client);
    expect(await client.closed(CLOSE_WITHIN_MS)).not.toBe('open');
    expect(client.received()).toMatch(/^HTTP\/1\.1 401 /);
    expect(client.received()).toContain('"code":"UNAUTHORIZED"');
  });
});
