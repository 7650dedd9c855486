import {
  ConfigError,
  DEVELOPMENT_PII_DIGEST_KEY,
  DEVELOPMENT_WEBHOOK_SECRET_KEY,
  loadConfig,
  trustProxy,
} from '../src/config';

describe('loadConfig', () => {
  it('applies defaults for an empty environment', () => {
    const config = loadConfig({});
    expect(config.PORT).toBe(3000);
    expect(config.DATA_DIR).toBe('./data');
    expect(config.DATABASE_URL).toBeUndefined();
    expect(config.LOG_LEVEL).toBe('info');
  });

  it('treats empty strings as unset', () => {
    expect(loadConfig({ DATABASE_URL: '', PORT: '' }).DATABASE_URL).toBeUndefined();
  });

  it.each([
    ['PORT', 'eighty'],
    ['PORT', '70000'],
    ['DATABASE_URL', 'mysql://localhost/x'],
    ['LOG_LEVEL', 'loud'],
    ['ADMIN_API_KEY', 'short'],
    ['ADMIN_API_KEY_OWNER', 'ops lead'],
    ['ADMIN_API_KEY_OWNER', 'key:key_1'],
    ['TRUST_PROXY', 'yes please'],
    ['TRUST_PROXY', 'true'],
    ['TRUST_PROXY', '10.0.0.0/33'],
    ['TRUST_PROXY', '10.0.0'],
    ['DATABASE_PREPARED_STATEMENTS', 'off'],
    ['DATABASE_MIGRATION_URL', 'http://h/db'],
  ])('rejects a bad %s and names it', (name, value) => {
    expect(() => loadConfig({ [name]: value })).toThrow(ConfigError);
    expect(() => loadConfig({ [name]: value })).toThrow(new RegExp(`${name}:`));
  });

  it('reads DATABASE_PREPARED_STATEMENTS as a boolean, on by default', () => {
    expect(loadConfig({}).DATABASE_PREPARED_STATEMENTS).toBe(true);
    expect(loadConfig({ DATABASE_PREPARED_STATEMENTS: 'false' }).DATABASE_PREPARED_STATEMENTS).toBe(
      false,
    );
  });

  it('names the person behind ADMIN_API_KEY: "admin" unless told, compared lower-case', () => {
    expect(loadConfig({}).ADMIN_API_KEY_OWNER).toBe('admin');
    expect(loadConfig({ ADMIN_API_KEY_OWNER: ' Ops.Lead@Bank.example ' }).ADMIN_API_KEY_OWNER).toBe(
      'ops.lead@bank.example',
    );
  });

  it('accepts a postgres URL', () => {
    expect(loadConfig({ DATABASE_URL: 'postgres://u@h:5432/db' }).DATABASE_URL).toBe(
      'postgres://u@h:5432/db',
    );
  });
});

describe('PII_DIGEST_KEY in production', () => {
  const production =
    (env: Record<string, string> = {}) =>
    () =>
      loadConfig({ NODE_ENV: 'production', WEBHOOK_SECRET_KEY: 'w'.repeat(32), ...env });

  it('refuses to start without one, naming the variable', () => {
    expect(production()).toThrow(ConfigError);
    expect(production()).toThrow(/PII_DIGEST_KEY: must be set in production/);
  });

  it('refuses the public development key and short keys', () => {
    expect(production({ PII_DIGEST_KEY: DEVELOPMENT_PII_DIGEST_KEY })).toThrow(/PII_DIGEST_KEY:/);
    expect(production({ PII_DIGEST_KEY: 'x'.repeat(31) })).toThrow(
      /PII_DIGEST_KEY: must be at least 32 characters in production/,
    );
  });

  it('starts with a key of 32+ characters; development keeps its default', () => {
    const key = 'k'.repeat(32);
    expect(production({ PII_DIGEST_KEY: key })().PII_DIGEST_KEY).toBe(key);
    expect(loadConfig({}).PII_DIGEST_KEY).toBe(DEVELOPMENT_PII_DIGEST_KEY);
  });
});

describe('WEBHOOK_SECRET_KEY in production', () => {
  const production =
    (env: Record<string, string> = {}) =>
    () =>
      loadConfig({ NODE_ENV: 'production', PII_DIGEST_KEY: 'p'.repeat(32), ...env });

  it('refuses to start without one, with the public development key or a short one', () => {
    expect(production()).toThrow(/WEBHOOK_SECRET_KEY: must be set in production/);
    expect(production({ WEBHOOK_SECRET_KEY: DEVELOPMENT_WEBHOOK_SECRET_KEY })).toThrow(
      /WEBHOOK_SECRET_KEY:/,
    );
    expect(production({ WEBHOOK_SECRET_KEY: 'x'.repeat(31) })).toThrow(
      /WEBHOOK_SECRET_KEY: must be at least 32 characters in production/,
    );
  });

  it('starts with a key of 32+ characters; development keeps its default', () => {
    const key = 'k'.repeat(32);
    expect(production({ WEBHOOK_SECRET_KEY: key })().WEBHOOK_SECRET_KEY).toBe(key);
    expect(loadConfig({}).WEBHOOK_SECRET_KEY).toBe(DEVELOPMENT_WEBHOOK_SECRET_KEY);
    expect(loadConfig({}).WEBHOOK_WORKER).toBe('on');
    expect(loadConfig({ WEBHOOK_WORKER: 'off' }).WEBHOOK_WORKER).toBe('off');
  });
});

describe('trustProxy', () => {
  it('reads false, a hop count and addresses', () => {
    expect(loadConfig({ TRUST_PROXY: 'loopback, 10.0.0.0/8,::1' }).TRUST_PROXY).toBe(
      'loopback, 10.0.0.0/8,::1',
    );
    expect(trustProxy('false')).toBe(false);
    const hops = trustProxy('2') as (address: string, hop: number) => boolean;
    expect([0, 1, 2].map((hop) => hops('10.0.0.1', hop))).toEqual([true, true, false]);
    expect(trustProxy('10.0.0.0/8,127.0.0.1')).toBe('10.0.0.0/8,127.0.0.1');
  });
});
