import { logSafePath, REDACT_PATHS } from '../../src/platform/logging';
import { captureLogger } from '../helpers/capture-logger';
import { bearer, createTestApp, type TestApp } from '../helpers/test-app';

describe('logs', () => {
  let t: TestApp;
  const capture = captureLogger({
    level: 'info',
    redact: { paths: REDACT_PATHS, censor: '[redacted]' },
  });
  beforeAll(async () => {
    t = await createTestApp({ loggerInstance: capture.logger });
  });
  afterAll(() => t.close());

  it('carry the request id and never the API key', async () => {
    await t.http
      .get('/v1/api-keys?limit=1')
      .set(bearer(t.adminKey))
      .set('x-request-id', 'trace-42');
    await t.http
      .get('/v1/api-keys')
      .set('authorization', 'Bearer mlk_AAAAAAAAAAAA_leakleakleakleakleakleakleakleak');
    const all = capture.lines.join('');
    expect(all).toContain('"reqId":"trace-42"');
    expect(all).not.toContain(t.adminKey);
    expect(all).not.toContain('leakleak');
  });

  it('redact personal identifiers wherever a logged object carries them', () => {
    capture.logger.info(
      {
        merchant: { idNumber: '11010519491231002X', phone: '13912345678' },
        idNumber: '11010519491231002X',
      },
      'x',
    );
    const last = capture.lines[capture.lines.length - 1] ?? '';
    expect(last).not.toContain('11010519491231002X');
    expect(last).not.toContain('13912345678');
    expect(last).toContain('[redacted]');
  });
});

describe('logSafePath', () => {
  it('keeps our ids, also those with six digits in a row by chance', () => {
    for (const id of ['app_01m8xnx73tqzakym010547d9zz', 'off_01m8xnx73t053238q0k8hzy5hy']) {
      expect(logSafePath(`/v1/applications/${id}/accept?x=1`)).toBe(
        `/v1/applications/${id}/accept`,
      );
    }
  });

  it('redacts a run of digits as long as a phone or an identity number, in an id-shaped segment too', () => {
    const idShaped = ['mer_x13912345678zzzzzzzzzzzzzz', 'mer_11010519491231002xzzzzzzzz'];
    for (const segment of idShaped) expect(segment).toMatch(/^[a-z]{3}_[0-9a-z]{26}$/);
    for (const segment of [
      '13912345678',
      '11010519491231002X',
      '91350100M000100Y43',
      'abc123456',
      ...idShaped,
    ]) {
      expect(logSafePath(`/v1/merchants/${segment}`)).toBe('/v1/merchants/[redacted]');
    }
  });
});
