import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startTestStack, type TestStack } from './startTestStack';

// Issue 19, point 1: every example of docs/integrators.md marked `run=<name>` runs, in order and
// in one shell session (exported variables carry over), against a fresh stack with the gateway's
// real limits, and prints what the guide says it prints. A new runnable block needs a check here.

const ROOT = path.resolve(__dirname, '../..');
const GUIDE = readFileSync(path.join(ROOT, 'docs/integrators.md'), 'utf8');
const LOCAL = 'http://localhost:4000';

interface Example {
  name: string;
  script: string;
}
/** The fenced ```sh run=<name> blocks of the guide, in order. */
function examples(markdown: string): Example[] {
  return [...markdown.matchAll(/^```sh run=([\w-]+)\n([\s\S]*?)^```$/gm)].map((m) => ({
    name: m[1] ?? '',
    script: m[2] ?? '',
  }));
}

const checks: Record<string, (out: string, env: Record<string, string>) => void> = {
  setup: (out) => expect(out).toMatch(/^type TicketConnection \{\n {2}edges: \[TicketEdge!\]!/),
  'sign-up': (out, env) =>
    expect(JSON.parse(out)).toEqual({ signUp: { id: expect.any(String), email: env.EMAIL } }),
  'api-key': (out, env) => {
    expect(out).toBe('KEY is set\n');
    expect(env.KEY?.length).toBeGreaterThan(20);
  },
  bearer: (out, env) => expect(JSON.parse(out)).toEqual({ me: { email: env.EMAIL } }),
  'create-tickets': (out, env) => {
    const [retry, reused, second, third] = out.trim().split('\n');
    expect(JSON.parse(retry ?? '')).toEqual({
      id: env.TICKET_ID,
      title: 'Jazz night, row 4',
      priceMoney: { amount: '49.99', currencyCode: 'USD' },
      status: 'AVAILABLE',
    });
    expect([reused, second, third]).toEqual([
      '"IDEMPOTENCY_KEY_REUSED"',
      '"Jazz night, row 5"',
      '"Jazz night, row 6"',
    ]);
  },
  pages: (out) => expect(out).toBe('["Jazz night, row 6","Jazz night, row 5"]\n["Jazz night, row 4"]\n'),
  money: (out) =>
    expect(
      out
        .trim()
        .split('\n')
        .map((line) => JSON.parse(line)),
    ).toEqual([
      { price: 20.5, priceMoney: { amount: '20.50', currencyCode: 'USD' } },
      {
        field: 'priceMoney.amount',
        message: 'must have at most 2 decimals in USD',
        code: 'TOO_MANY_DECIMALS',
      },
      {
        field: 'priceMoney.amount',
        message: 'must be a decimal such as "49.99": digits, optionally a point and decimals',
        code: 'INVALID_DECIMAL',
      },
    ]),
  buy: (out) =>
    expect(out.split('\n')).toEqual([
      'api key: created',
      'order: CREATED, ticket RESERVED, price 49.99 USD',
      'declined: BAD_USER_INPUT on paymentMethodId',
      'payment: COMPLETED 49.99 USD, order COMPLETE',
      expect.stringMatching(/^events: .*COMPLETE$/),
      '',
    ]),
  errors: (out) =>
    expect(out).toBe(
      'HTTP 401 "UNAUTHENTICATED"\nHTTP 403 "FORBIDDEN"\nHTTP 200 null\nHTTP 200 "GRAPHQL_VALIDATION_FAILED"\n',
    ),
  limits: (out) => expect(out).toMatch(/^\{"requested":\d+,"limit":1000\}\nRateLimit-Limit: 4000\r?\n$/i),
  persisted: (out) =>
    expect(out).toBe(
      '"PERSISTED_QUERY_NOT_FOUND"\n{"orderHoldSeconds":900}\n{"orderHoldSeconds":900}\nwithout the preflight header: HTTP 400\n',
    ),
};

/** Runs one block with the session's exported variables, and records them again afterwards. */
function run(script: string, cwd: string): Promise<{ out: string; env: Record<string, string> }> {
  const wrapped = `set -eo pipefail\n[ -f .env ] && . ./.env\n${script}\nexport -p > .env\n`;
  return new Promise((resolve, reject) => {
    execFile('bash', ['-c', wrapped], { cwd, timeout: 30_000 }, (err, stdout, stderr) => {
      if (err) return reject(new Error(`${err.message}\n${stdout}\n${stderr}`));
      const env = Object.fromEntries(
        [...readFileSync(path.join(cwd, '.env'), 'utf8').matchAll(/^declare -x (\w+)="(.*)"$/gm)].map((m) => [
          m[1] ?? '',
          m[2] ?? '',
        ]),
      );
      resolve({ out: stdout, env });
    });
  });
}

let stack: TestStack;
let cwd: string;
beforeAll(async () => {
  // The gateway's documented limits (startTestStack turns the rate limits off by default).
  stack = await startTestStack('integrator_guide', {
    RATE_LIMIT_API_KEY_POINTS: '4000',
    RATE_LIMIT_USER_POINTS: '2000',
    RATE_LIMIT_ANONYMOUS_POINTS: '1000',
  });
  cwd = mkdtempSync(path.join(tmpdir(), 'integrator-guide-'));
  symlinkSync(path.join(ROOT, 'docs'), path.join(cwd, 'docs'));
});
afterAll(async () => {
  await stack?.stop();
  if (cwd) rmSync(cwd, { recursive: true, force: true });
});

test('every runnable example of the guide has a check, and every check an example', () => {
  expect(examples(GUIDE).map((e) => e.name)).toEqual(Object.keys(checks));
});

test('the guide’s examples run against the stack and print what it says', async () => {
  const origin = new URL(stack.gateway.url).origin;
  for (const example of examples(GUIDE)) {
    const { out, env } = await run(example.script.replaceAll(LOCAL, origin), cwd).catch((err: Error) => {
      throw new Error(`example ${example.name}: ${err.message}`);
    });
    try {
      checks[example.name]?.(out, env);
    } catch (err) {
      throw new Error(`example ${example.name} printed:\n${out}\n${(err as Error).message}`);
    }
  }
}, 60_000);
