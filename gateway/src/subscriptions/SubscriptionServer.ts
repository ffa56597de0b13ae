import type http from 'node:http';
import { type Identity } from '@ticketing/kit/auth';
import { appError, forbidden, rateLimited, unauthenticated } from '@ticketing/kit/graphql';
import {
  type DocumentNode,
  type ExecutionArgs,
  type ExecutionResult,
  type FormattedExecutionResult,
  GraphQLError,
  type GraphQLField,
  type GraphQLObjectType,
  type GraphQLSchema,
  getOperationAST,
  Kind,
  type OperationDefinitionNode,
  parse,
  print,
  type SelectionNode,
  specifiedRules,
  type ValidationRule,
  type VariableDefinitionNode,
  validate,
} from 'graphql';
import { getArgumentValues, getVariableValues } from 'graphql/execution/values';
import { useServer } from 'graphql-ws/use/ws';
import { type WebSocket, WebSocketServer } from 'ws';
import type { Authenticator, Credentials } from '../Authenticator';
import { type OperationGuard, throttled } from '../limits/OperationGuard';
import { deriveEntityQuery } from './deriveEntityQuery';
import { LIVE_FIELDS, type LiveField } from './liveFields';
import type { LiveSubscription, RunQuery, SubscriptionHub } from './SubscriptionHub';

export interface SubscriptionServerOptions {
  httpServer: http.Server;
  /** Same path as HTTP. Default /graphql. */
  path?: string;
  /** The supergraph's API schema, once loaded. */
  schema: () => GraphQLSchema | undefined;
  hub: SubscriptionHub;
  run: RunQuery;
  authenticator: Authenticator;
  /** Extra validation (the gateway's depth limit). */
  validationRules?: ValidationRule[];
  /** Default 20. */
  maxSubscriptionsPerConnection?: number;
  /** The server pings this often and drops a peer that did not answer the previous ping. Default 15 000 ms. */
  keepAliveMs?: number;
  /** Each connection's identity is checked again this often; a revoked session is disconnected. Default 10 000 ms. */
  recheckMs?: number;
  /** The operation and rate limits of HTTP, on every operation sent over a socket. */
  guard?: OperationGuard;
  /** Updates a peer has not read yet, past which its socket is dropped (it stopped reading). Default 1 MiB. */
  maxBufferedBytes?: number;
  /** A larger message is refused before it is parsed (the socket closes with 1009). Default 100 KiB. */
  maxPayloadBytes?: number;
  /** Tokens of a document (graphql's parse stops past them). Default 5 000. */
  maxTokens?: number;
  /** Browser origins allowed to open a socket (CORS_ORIGINS); a request without Origin is no browser's. */
  allowedOrigins?: string[];
  /** Default 50 and 10. */
  maxConnectionsPerAddress?: number;
  maxConnectionsPerUser?: number;
  /** The client's address of an upgrade request (TRUST_PROXY applied). */
  clientAddress?: (req: http.IncomingMessage) => string | undefined;
}

interface Connection {
  socket: WebSocket;
  credentials: Credentials;
  identity: Identity | null;
  clientAddress: string | undefined;
  subscriptions: Set<string>;
}

interface OperationContext {
  identity: Identity | null;
  live?: LiveSubscription;
}

type Extra = { connection?: Connection };

/** A peer's unsent updates past which it is dropped: 1 MiB, thousands of status changes. */
const MAX_BUFFERED_BYTES = 1_048_576;

/** graphql-ws (graphql-transport-ws) on the gateway's HTTP server: the Subscription fields of the supergraph. */
export class SubscriptionServer {
  private readonly wss: WebSocketServer;
  private readonly connections = new Set<Connection>();
  /** Open sockets by client address, counted from the upgrade on (before any message). */
  private readonly perAddress = new Map<string, number>();
  private readonly pings: NodeJS.Timeout;
  private readonly rechecks: NodeJS.Timeout;
  private readonly disposable: { dispose(): void | Promise<void> };
  private stopping: Promise<void> | undefined;

  constructor(private readonly options: SubscriptionServerOptions) {
    this.wss = new WebSocketServer({
      server: options.httpServer,
      path: options.path ?? '/graphql',
      // ws refuses a larger frame or message before it is buffered whole, let alone parsed.
      maxPayload: options.maxPayloadBytes ?? 100 * 1024,
      // Frames go out as they are: compressing each update once per socket would cost more CPU than
      // the few hundred bytes it saves (ws's default, stated so it stays).
      perMessageDeflate: false,
      verifyClient: (info, done) => this.verify(info.req, info.origin, done),
    });
    this.countAddresses();
    this.disposable = useServer<Record<string, unknown> | undefined, Extra>(
      {
        onConnect: (ctx) => this.connect(ctx.extra, ctx.connectionParams),
        // Not yet set when the socket closes before connection_init: nothing to delete then.
        onClose: (ctx) => {
          this.connections.delete(ctx.extra.connection as Connection);
        },
        // A failure here is that operation's error: graphql-ws would close the socket on a throw.
        onSubscribe: (ctx, id, payload) =>
          this.prepare(ctx.extra, id, payload).catch(() => [
            appError('INTERNAL_SERVER_ERROR', 'Internal server error'),
          ]),
        // Operations exist only once connection_init was accepted, which sets the connection.
        onComplete: (ctx, id) => {
          (ctx.extra.connection as Connection).subscriptions.delete(id);
        },
        // Results of the gateway's own pipeline carry errors already formatted (plain objects):
        // graphql-ws would call toJSON on each, which threw and closed the socket with 4500. Sent as
        // they are, JSON.stringify calls toJSON where there is one (graphql-js's own errors).
        onNext: (_ctx, _id, _payload, _args, result) => result as FormattedExecutionResult,
        subscribe: (args) => this.subscribe(args),
        execute: (args) => this.execute(args),
      },
      this.wss,
      // No pings of graphql-ws's own (every 12 s, per socket): keepAlive below pings already.
      0,
    );
    this.pings = this.keepAlive(options.keepAliveMs ?? 15_000);
    this.rechecks = this.recheck(options.recheckMs ?? 10_000);
  }

  /** Ends every subscription and connection. Safe twice. */
  stop(): Promise<void> {
    this.stopping ??= (async () => {
      clearInterval(this.pings);
      clearInterval(this.rechecks);
      this.options.hub.closeAll();
      // Closes every socket (1001) and the WebSocket server.
      await this.disposable.dispose();
    })();
    return this.stopping;
  }

  /** The upgrade: a browser's Origin must be allowed (no cross-site socket), and the address under its cap. */
  private verify(
    req: http.IncomingMessage,
    origin: string | undefined,
    done: (ok: boolean, status?: number, message?: string) => void,
  ): void {
    const allowed = this.options.allowedOrigins;
    const max = this.options.maxConnectionsPerAddress ?? 50;
    if (origin && allowed && !allowed.includes(origin) && !sameOrigin(origin, req))
      done(false, 403, 'Origin not allowed');
    else if ((this.perAddress.get(this.addressOf(req)) ?? 0) >= max) done(false, 429, 'Too many connections');
    else done(true);
  }

  /** The client's address (TRUST_PROXY applied), else the peer's; 'unknown' once its socket is gone. */
  private addressOf(req: http.IncomingMessage): string {
    // Stryker disable next-line StringLiteral: any constant does for a socket already gone (a live one has its address)
    return this.options.clientAddress?.(req) ?? req.socket.remoteAddress ?? 'unknown';
  }

  private countAddresses(): void {
    this.wss.on('connection', (socket, req) => {
      const address = this.addressOf(req);
      this.perAddress.set(address, (this.perAddress.get(address) ?? 0) + 1);
      socket.once('close', () => {
        const n = (this.perAddress.get(address) ?? 1) - 1;
        // Stryker disable next-line ConditionalExpression,EqualityOperator: n is never negative; keeping a 0 instead of deleting it only holds memory
        if (n > 0) this.perAddress.set(address, n);
        else this.perAddress.delete(address);
      });
    });
  }

  private async connect(
    extra: Extra & { socket: WebSocket; request: http.IncomingMessage },
    params: Record<string, unknown> | undefined,
  ) {
    const authorization = paramAuthorization(params) ?? extra.request.headers.authorization;
    const credentials: Credentials = { authorization, cookie: extra.request.headers.cookie };
    const auth = await this.options.authenticator.authenticate(credentials);
    if (!auth.ok) return false; // an unknown or revoked API key: 4403 Forbidden
    const userId = auth.identity?.userId;
    const maxPerUser = this.options.maxConnectionsPerUser ?? 10;
    if (userId && [...this.connections].filter((c) => c.identity?.userId === userId).length >= maxPerUser) {
      extra.socket.close(4429, 'Too many connections for this user');
      // Stryker disable next-line BooleanLiteral: the socket is closing with 4429 already; ws drops graphql-ws's ack or 4403 either way
      return false;
    }
    const connection = {
      socket: extra.socket,
      credentials,
      identity: auth.identity,
      clientAddress: this.addressOf(extra.request),
      subscriptions: new Set<string>(),
    };
    extra.connection = connection;
    this.connections.add(connection);
    return true;
  }

  private async prepare(
    extra: Extra,
    id: string,
    payload: { query: string; operationName?: string | null; variables?: Record<string, unknown> | null },
  ): Promise<ExecutionArgs | readonly GraphQLError[]> {
    const schema = this.options.schema();
    // Operations exist only once connection_init was accepted, which sets the connection.
    const connection = extra.connection as Connection;
    if (!schema) return [appError('INTERNAL_SERVER_ERROR', 'The API is starting; try again shortly')];
    let document: DocumentNode;
    try {
      document = parse(payload.query, { maxTokens: this.options.maxTokens ?? 5000 });
    } catch (err) {
      return [withCode(err, 'GRAPHQL_PARSE_FAILED')];
    }
    const refused = await this.guard(connection, document, payload);
    if (refused) return [refused];
    const invalid = validate(schema, document, [...specifiedRules, ...(this.options.validationRules ?? [])]);
    if (invalid.length) return invalid.map((e) => withCode(e, 'GRAPHQL_VALIDATION_FAILED'));
    const operation = getOperationAST(document, payload.operationName);
    if (!operation) return [withCode(new GraphQLError('Unknown operation'), 'GRAPHQL_VALIDATION_FAILED')];
    // The parser always gives an operation its (possibly empty) list of variable definitions.
    const definitions = operation.variableDefinitions as readonly VariableDefinitionNode[];
    const variables = getVariableValues(schema, definitions, payload.variables ?? {});
    if (variables.errors) return variables.errors.map((e) => withCode(e, 'BAD_USER_INPUT'));

    const base = {
      schema,
      document,
      operationName: payload.operationName,
      variableValues: variables.coerced,
    };
    const context: OperationContext = { identity: connection.identity };
    if (operation.operation !== 'subscription') return { ...base, contextValue: context };

    // The slot is taken before any await, so subscriptions sent together cannot all pass the cap.
    const max = this.options.maxSubscriptionsPerConnection ?? 20;
    if (connection.subscriptions.size >= max)
      return [rateLimited(`At most ${max} subscriptions per connection`)];
    connection.subscriptions.add(id);
    const live = await this.liveSubscription(schema, document, operation, variables.coerced, connection, id);
    if (Array.isArray(live)) {
      connection.subscriptions.delete(id);
      return live;
    }
    return { ...base, contextValue: { ...context, live } };
  }

  private async liveSubscription(
    schema: GraphQLSchema,
    document: DocumentNode,
    operation: OperationDefinitionNode,
    variables: Record<string, unknown>,
    connection: Connection,
    id: string,
  ): Promise<LiveSubscription | GraphQLError[]> {
    // Validation passed: the operation selects one root field (maybe through a fragment), which the
    // Subscription type has.
    const field = operation.selectionSet.selections[0] as SelectionNode;
    if (field.kind !== Kind.FIELD || !LIVE_FIELDS[field.name.value]) {
      return [
        withCode(new GraphQLError('Select one Subscription field directly'), 'GRAPHQL_VALIDATION_FAILED'),
      ];
    }
    const live = LIVE_FIELDS[field.name.value] as LiveField;
    const fieldDef = (schema.getSubscriptionType() as GraphQLObjectType).getFields()[field.name.value];
    const args = getArgumentValues(fieldDef as GraphQLField<unknown, unknown>, field, variables);
    if (live.buyerOnly) {
      if (!connection.identity) return [unauthenticated()];
      const seen = await this.options.run(
        'query($id: ID!) { order(id: $id) { id } }',
        { id: args.id },
        connection.identity,
      );
      // A result without data is a request error (GraphQL spec), which this fixed, valid query with
      // its coerced id never gets.
      // Stryker disable next-line OptionalChaining: data is always there for this query (above)
      if (!(seen.data as { order?: unknown } | null | undefined)?.order) {
        return [forbidden('Only the buyer can follow this order')];
      }
    }
    const derived = deriveEntityQuery(document, operation, field, live.queryField);
    // graphql-ws's `next` message with this subscription's id; the hub adds the payload it
    // serialised once for every subscriber of the same group.
    const head = `{"id":${JSON.stringify(id)},"type":"next","payload":`;
    const socket = connection.socket;
    const send = (payload: string) => this.sendNext(socket, `${head}${payload}}`);
    return { topic: live.topic(args), ...derived, variables, identity: connection.identity, send };
  }

  /** On a closing or closed socket, ws drops the frame. */
  private sendNext(socket: WebSocket, frame: string): void {
    // A peer that stopped reading: what it does not read would pile up here without end.
    // Stryker disable next-line EqualityOperator: exactly at the limit, dropped or not, either is right
    if (socket.bufferedAmount > (this.options.maxBufferedBytes ?? MAX_BUFFERED_BYTES)) {
      socket.terminate();
      return;
    }
    socket.send(frame);
  }

  /** The limits of HTTP, before validation; the cost is spent from the caller's rate limit. */
  private async guard(
    connection: Connection,
    document: DocumentNode,
    payload: { operationName?: string | null; variables?: Record<string, unknown> | null },
  ): Promise<GraphQLError | undefined> {
    const guard = this.options.guard;
    if (!guard) return undefined;
    const { measure, refusal } = guard.inspect(document, payload.operationName, payload.variables);
    const state = await guard.spend(
      connection.identity,
      connection.clientAddress,
      refusal ? 1 : (measure?.cost ?? 1),
    );
    if (state && !state.allowed) return throttled(state);
    return refusal;
  }

  /** Only ever called for a subscription that `prepare` accepted, which made it live. */
  private subscribe(args: ExecutionArgs): AsyncIterableIterator<ExecutionResult> {
    return this.options.hub.subscribe((args.contextValue as OperationContext).live as LiveSubscription);
  }

  /** Queries and mutations sent over the socket go through the gateway like HTTP ones. */
  private async execute(args: ExecutionArgs): Promise<ExecutionResult> {
    const { identity } = args.contextValue as OperationContext;
    try {
      return await this.options.run(
        print(args.document),
        // Coerced by `prepare`.
        args.variableValues as Record<string, unknown>,
        identity,
        args.operationName ?? undefined,
      );
    } catch {
      // Sent as this operation's error; the socket and its other operations go on.
      return { errors: [appError('INTERNAL_SERVER_ERROR', 'Internal server error')] };
    }
  }

  private keepAlive(intervalMs: number): NodeJS.Timeout {
    const alive = new WeakSet<WebSocket>();
    this.wss.on('connection', (socket) => {
      alive.add(socket);
      socket.on('pong', () => alive.add(socket));
    });
    const timer = setInterval(() => {
      for (const socket of this.wss.clients) {
        if (alive.has(socket)) {
          alive.delete(socket);
          socket.ping();
        } else socket.terminate();
      }
    }, intervalMs);
    return timer.unref();
  }

  private recheck(intervalMs: number): NodeJS.Timeout {
    const timer = setInterval(async () => {
      for (const c of [...this.connections]) {
        if (!c.identity) continue;
        // A failed check (Redis down) closes nothing.
        const auth = await this.options.authenticator.authenticate(c.credentials).catch(() => undefined);
        if (auth && (!auth.ok || auth.identity?.userId !== c.identity.userId))
          c.socket.close(4403, 'Forbidden');
      }
    }, intervalMs);
    return timer.unref();
  }
}

/** The gateway's own pages (the explorer at /graphql) are same-origin, whatever CORS_ORIGINS says. */
function sameOrigin(origin: string, req: http.IncomingMessage): boolean {
  return URL.canParse(origin) && new URL(origin).host === req.headers.host;
}

/** connectionParams' authorization in any case (`authorization`, `Authorization`), as HTTP headers are. */
function paramAuthorization(params: Record<string, unknown> = {}): string | undefined {
  const value = Object.entries(params).find(([key]) => key.toLowerCase() === 'authorization')?.[1];
  return typeof value === 'string' ? value : undefined;
}

function withCode(err: unknown, code: string): GraphQLError {
  const e = err instanceof GraphQLError ? err : new GraphQLError(String(err));
  return new GraphQLError(e.message, { nodes: e.nodes, extensions: { ...e.extensions, code } });
}
