import net from 'node:net';
import { buildApp } from '../../src/app';
import { loadConfig } from '../../src/config';
import { createTestDatabase } from '../helpers/test-database';

/** A promise and the function that settles it. */
function signal(): { promise: Promise<void>; fire: () => void } {
  let fire = () => {};
  const promise = new Promise<void>((resolve) => {
    fire = resolve;
  });
  return { promise, fire };
}

describe('requests arriving while the server closes', () => {
  it('finishes the one in flight and answers a new one 503 in the error shape, Connection: close', async () => {
    const testDb = await createTestDatabase();
    const app = await buildApp({
      config: loadConfig({ NODE_ENV: 'test', LOG_LEVEL: 'silent', OFFER_EXPIRY_INTERVAL_MS: '0' }),
      database: testDb.database,
    });
    // Each step waits for the one before it, not for a guessed number of milliseconds: under
    // load the first request could still be unread when close() began (and get the 503), or
    // the second arrive after the first had been answered and the connection closed.
    const inHandler = signal();
    const release = signal();
    app.get('/test-slow', async () => {
      inHandler.fire();
      await release.promise;
      return { done: true };
    });
    // Registered after closingGate's own preClose hook, so it runs once the gate is shut.
    const closing = signal();
    app.addHook('preClose', async () => closing.fire());
    const secondArrived = signal();
    app.server.on('request', (req: { url?: string }) => {
      if (req.url === '/health/live') secondArrived.fire();
    });
    await app.listen({ host: '127.0.0.1', port: 0 });
    const { port } = app.server.address() as net.AddressInfo;

    const socket = net.connect(port, '127.0.0.1');
    let received = '';
    socket.on('data', (chunk) => {
      received += chunk.toString();
    });
    const ended = new Promise((resolve) => socket.on('close', resolve));
    await new Promise((resolve) => socket.once('connect', resolve));
    socket.write('GET /test-slow HTTP/1.1\r\nHost: localhost\r\n\r\n');
    await inHandler.promise;
    const closed = app.close();
    await closing.promise;
    // The same connection, still busy, so the server kept it: a request arriving now.
    socket.write('GET /health/live HTTP/1.1\r\nHost: localhost\r\n\r\n');
    await secondArrived.promise;
    release.fire();
    await ended;
    await closed;
    await testDb.dispose();

    const answers = received.split(/(?=HTTP\/1\.1 )/);
    expect(answers[0]).toMatch(/^HTTP\/1\.1 200/);
    expect(answers[0]).toContain('{"done":true}');
    expect(answers[1]).toMatch(/^HTTP\/1\.1 503/);
    expect(answers[1]).toMatch(/connection: close/i);
    expect(answers[1]).toMatch(/retry-after: \d+/i);
    const body = JSON.parse(answers[1]?.split('\r\n\r\n')[1] ?? '{}');
    expect(body).toMatchObject({ statusCode: 503, code: 'SERVICE_UNAVAILABLE' });
    expect(body.messageZh).toBeTruthy();
  });
});
