import net from 'node:net';
import { buildApp } from '../../src/app';
import { loadConfig } from '../../src/config';
import { createTestDatabase } from '../helpers/test-database';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('requests arriving while the server closes', () => {
  it('finishes the one in flight and answers a new one 503 in the error shape, Connection: close', async () => {
    const testDb = await createTestDatabase();
    const app = await buildApp({
      config: loadConfig({ NODE_ENV: 'test', LOG_LEVEL: 'silent', OFFER_EXPIRY_INTERVAL_MS: '0' }),
      database: testDb.database,
    });
    app.get('/test-slow', async () => {
      await sleep(400);
      return { done: true };
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
    await sleep(100);
    const closed = app.close();
    await sleep(50);
    // The same connection, still busy, so the server kept it: a request arriving now.
    socket.write('GET /health/live HTTP/1.1\r\nHost: localhost\r\n\r\n');
    await Promise.race([ended, sleep(5000)]);
    socket.destroy();
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
