import { bool, int, list, oneOf, readSettings, SettingsError, secret, str, url } from './settings';

describe('readSettings', () => {
  const spec = {
    PORT: int({ default: 4001, min: 1, max: 65535 }),
    JWT_KEY: str({ devDefault: 'dev-key' }),
    NATS_URL: url({ default: 'nats://127.0.0.1:4222', protocols: ['nats'] }),
    SECURE: bool({ default: false }),
    ORIGINS: list({ default: [] }),
    CURRENCY: oneOf(['usd', 'eur'] as const, { default: 'usd' }),
  };

  test('given nothing set, uses the defaults outside production', () => {
    expect(readSettings(spec, {})).toEqual({
      PORT: 4001,
      JWT_KEY: 'dev-key',
      NATS_URL: 'nats://127.0.0.1:4222',
      SECURE: false,
      ORIGINS: [],
      CURRENCY: 'usd',
    });
  });

  test('given values, parses them', () => {
    const s = readSettings(spec, { PORT: '80', SECURE: 'yes', ORIGINS: 'a, b,,', CURRENCY: 'eur' });
    expect(s).toMatchObject({ PORT: 80, SECURE: true, ORIGINS: ['a', 'b'], CURRENCY: 'eur' });
  });

  test('in production, a setting with only a dev default is required, named in the error', () => {
    expect(() => readSettings(spec, { NODE_ENV: 'production' })).toThrow(
      /JWT_KEY: is required in production/,
    );
  });

  test('reports every bad variable at once, by name', () => {
    try {
      readSettings(spec, { PORT: 'eighty', NATS_URL: 'http://x', CURRENCY: 'gbp' });
      throw new Error('expected a SettingsError');
    } catch (err) {
      expect(err).toBeInstanceOf(SettingsError);
      const problems = (err as SettingsError).problems;
      expect(problems).toEqual([
        'PORT: must be an integer, got "eighty"',
        'NATS_URL: must use nats, got "http:"',
        'CURRENCY: must be one of usd, eur, got "gbp"',
      ]);
    }
  });
});

describe('secret: a production service refuses to start with a development key', () => {
  const spec = {
    JWT_KEY: secret({ devDefault: 'dev-jwt-key-not-for-production', minLength: 32 }),
    STRIPE_SECRET_KEY: secret({ devDefault: 'sk_test_123' }),
  };
  const real = { JWT_KEY: 'q'.repeat(48), STRIPE_SECRET_KEY: 'sk_live_abc' };

  test('given development, the dev values are used', () => {
    expect(readSettings(spec, {})).toEqual({
      JWT_KEY: 'dev-jwt-key-not-for-production',
      STRIPE_SECRET_KEY: 'sk_test_123',
    });
  });

  test('given production with real secrets, they are used', () => {
    expect(readSettings(spec, { NODE_ENV: 'production', ...real })).toEqual(real);
  });

  test.each([
    [
      'the dev value set explicitly',
      { JWT_KEY: 'dev-jwt-key-not-for-production' },
      /JWT_KEY: is a development/,
    ],
    ['the example placeholder', { JWT_KEY: `change-me-session-signing-key${'x'.repeat(9)}` }, /placeholder/],
    ['a short key', { JWT_KEY: 'short-but-real' }, /JWT_KEY: must be at least 32 characters/],
    ["stripe-mock's key", { STRIPE_SECRET_KEY: 'sk_test_123' }, /STRIPE_SECRET_KEY: is a development/],
    ['nothing', { JWT_KEY: undefined }, /JWT_KEY: is required in production/],
  ])('given production with %s, it refuses to start', (_, env, message) => {
    expect(() => readSettings(spec, { NODE_ENV: 'production', ...real, ...env })).toThrow(message);
  });
});

describe('url', () => {
  const spec = { MONGO_URI: url({ protocols: ['mongodb', 'mongodb+srv'] }) };

  test('given a replica set with several seed hosts, keeps the URL as written', () => {
    const uri = 'mongodb://app:pw@db-0:27017,db-1:27017,db-2:27017/tickets?replicaSet=rs0';
    expect(readSettings(spec, { MONGO_URI: uri }).MONGO_URI).toBe(uri);
  });

  test('given a malformed URL, the error names the variable but not its password', () => {
    expect(() => readSettings(spec, { MONGO_URI: 'mongodb://app:hunter2@db:port/x' })).toThrow(
      'MONGO_URI: must be a URL, got "mongodb://***@db:port/x"',
    );
  });
});
