import { addressKind, webhookUrlProblem } from '../../../src/modules/webhooks/url-guard';

describe('the webhook URL guard (SSRF)', () => {
  it('tells public addresses from internal ones', () => {
    const cases: [string, string][] = [
      ['8.8.8.8', 'public'],
      ['93.184.216.34', 'public'],
      ['2606:4700:4700::1111', 'public'],
      ['127.0.0.1', 'loopback'],
      ['127.255.0.9', 'loopback'],
      ['::1', 'loopback'],
      ['169.254.169.254', 'link-local'],
      ['fe80::1', 'link-local'],
      ['10.0.0.1', 'private'],
      ['172.16.5.4', 'private'],
      ['172.31.255.255', 'private'],
      ['192.168.1.1', 'private'],
      ['100.64.0.1', 'private'],
      ['0.0.0.0', 'private'],
      ['224.0.0.1', 'private'],
      ['255.255.255.255', 'private'],
      ['fd00::1', 'private'],
      ['::ffff:127.0.0.1', 'private'],
      ['::ffff:8.8.8.8', 'private'],
      ['64:ff9b::a00:1', 'private'],
      ['::', 'private'],
    ];
    for (const [ip, kind] of cases) expect([ip, addressKind(ip)]).toEqual([ip, kind]);
    expect(addressKind('172.32.0.1')).toBe('public');
  });

  const production = { production: true, resolve: async () => ['93.184.216.34'] };
  const development = { production: false, resolve: async () => ['127.0.0.1'] };

  it('in production: HTTPS only, every resolved address public', async () => {
    expect(await webhookUrlProblem('https://hooks.example.com/x', production)).toBeNull();
    expect((await webhookUrlProblem('http://hooks.example.com/x', production))?.message).toMatch(
      /https/,
    );
    // A name with one internal address among public ones is refused.
    const mixed = { production: true, resolve: async () => ['93.184.216.34', '10.0.0.7'] };
    expect((await webhookUrlProblem('https://hooks.example.com/x', mixed))?.message).toMatch(
      /private/,
    );
    const nowhere = {
      production: true,
      resolve: async () => {
        throw new Error('ENOTFOUND');
      },
    };
    expect((await webhookUrlProblem('https://nowhere.invalid/x', nowhere))?.message).toMatch(
      /does not resolve/,
    );
    for (const url of [
      'https://127.0.0.1/',
      'https://[::1]/',
      'https://0x7f.1/',
      'https://2130706433/',
    ])
      expect((await webhookUrlProblem(url, production))?.message).toMatch(/loopback/);
  });

  it('outside production: HTTP and loopback allowed, link-local never', async () => {
    expect(await webhookUrlProblem('http://localhost:8080/hooks', development)).toBeNull();
    expect(await webhookUrlProblem('http://10.0.0.5/hooks', development)).toBeNull();
    expect((await webhookUrlProblem('http://169.254.169.254/', development))?.message).toMatch(
      /link-local/,
    );
    expect((await webhookUrlProblem('file:///etc/passwd', development))?.messageZh).toEqual(
      expect.any(String),
    );
    expect((await webhookUrlProblem('//no-scheme', development))?.message).toMatch(/absolute/);
  });
});
