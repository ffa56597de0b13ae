import { randomBytes, randomUUID } from 'node:crypto';

/** Answers by operation and code ("createOrder OK", "payOrder SERVICE_UNAVAILABLE"), every attempt counted. */
export type Answers = Map<string, number>;

interface Reply {
  code: string;
  data?: Record<string, unknown> | null;
}

/** Codes a client is told to retry after a while (the gateway replica down is "NO_ANSWER"). */
const RETRY = new Set(['SERVICE_UNAVAILABLE', 'SERVICE_BUSY', 'NO_ANSWER', 'RATE_LIMITED']);

/**
 * A client as a well-behaved integrator writes one: spread over the gateway replicas (the other
 * when one does not answer, as a load balancer would), each mutation with an Idempotency-Key that
 * its retries repeat, retrying after a pause what it is told is temporary, signing in again when
 * its session is gone (Redis flushed).
 */
export class Shopper {
  private cookie = '';
  readonly email = `chaos.${randomBytes(6).toString('hex')}@example.com`;
  private readonly password = 'password-123';

  constructor(
    private readonly gateways: string[],
    private readonly answers: Answers,
  ) {}

  async signUp(): Promise<void> {
    const r = await this.call(
      'signUp',
      'mutation ($e: String!, $p: String!) { signUp(email: $e, password: $p) { id } }',
      { e: this.email, p: this.password },
    );
    if (r.code !== 'OK') throw new Error(`sign-up: ${r.code}`);
  }

  /** One operation until it has an answer that is not "try again" (bounded, so a run always ends). */
  async call(op: string, query: string, variables: Record<string, unknown> = {}): Promise<Reply> {
    const key = query.trimStart().startsWith('mutation') ? randomUUID() : undefined;
    let reply: Reply = { code: 'NO_ANSWER' };
    for (let attempt = 0; attempt < 40; attempt++) {
      reply = await this.send(query, variables, key);
      this.answers.set(`${op} ${reply.code}`, (this.answers.get(`${op} ${reply.code}`) ?? 0) + 1);
      if (reply.code === 'UNAUTHENTICATED' && op !== 'signIn' && op !== 'signUp' && (await this.signIn()))
        continue;
      if (!RETRY.has(reply.code)) return reply;
      await new Promise((r) => setTimeout(r, 250 + Math.random() * 750));
    }
    return reply;
  }

  private async signIn(): Promise<boolean> {
    this.cookie = '';
    const r = await this.call(
      'signIn',
      'mutation ($e: String!, $p: String!) { signIn(email: $e, password: $p) { id } }',
      { e: this.email, p: this.password },
    );
    return r.code === 'OK';
  }

  private async send(query: string, variables: Record<string, unknown>, key?: string): Promise<Reply> {
    const first = Math.floor(Math.random() * this.gateways.length);
    for (let i = 0; i < this.gateways.length; i++) {
      const url = this.gateways[(first + i) % this.gateways.length] as string;
      let res: Response;
      try {
        res = await fetch(url, {
          method: 'POST',
          headers: {
            'content-type': 'application/json',
            ...(this.cookie ? { cookie: this.cookie } : {}),
            ...(key ? { 'idempotency-key': key } : {}),
          },
          body: JSON.stringify({ query, variables }),
          signal: AbortSignal.timeout(15_000),
        });
      } catch {
        continue; // this replica is down: the other one
      }
      const session = res.headers.getSetCookie().find((c) => c.startsWith('session='));
      if (session) this.cookie = session.split(';')[0] as string;
      const body = (await res.json().catch(() => ({}))) as {
        data?: Record<string, unknown> | null;
        errors?: Array<{ extensions?: { code?: string } }>;
      };
      const code = body.errors?.length ? (body.errors[0]?.extensions?.code ?? 'NO_CODE') : 'OK';
      return { code, data: body.data ?? null };
    }
    return { code: 'NO_ANSWER' };
  }
}
