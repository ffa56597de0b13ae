import type http from 'node:http';
import { type Identity } from '@ticketing/kit/auth';
import { appError, forbidden, rateLimited, unauthenticated } from '@ticketing/kit/graphql';
import {
  type DocumentNode,
  type ExecutionArgs,
  type ExecutionResult,
  GraphQLError,
  type GraphQLSchema,
  getOperationAST,
  Kind,
  type OperationDefinitionNode,
  parse,
  print,
  specifiedRules,
  type ValidationRule,
  validate,
} from 'graphql';
import { getArgumentValues, getVariableValues } from 'graphql/execution/values';
import { useServer } from 'graphql-ws/use/ws';
import { type WebSocket, WebSocketServer } from 'ws';
import type { Authenticator, Credentials } from '../Authenticator';
import { deriveEntityQuery } from './deriveEntityQuery';
import { LIVE_FIELDS } from './liveFields';
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
}

interface Connection {
  socket: WebSocket;
  credentials: Credentials;
  identity: Identity | null;
  subscriptions: Set<string>;
}

interface OperationContext {
  identity: Identity | null;
  live?: LiveSubscription;
}

type Extra = { connection?: Connection };

/** graphql-ws (graphql-transport-ws) on the gateway's HTTP server: the Subscription fields of the supergraph. */
export class SubscriptionServer {
  private readonly wss: WebSocketServer;
  private readonly connections = new Set<Connection>();
  private readonly timers: NodeJS.Timeout[] = [];
  private readonly disposable: { dispose(): void | Promise<void> };
  private stopping: Promise<void> | undefined;

  constructor(private readonly options: SubscriptionServerOptions) {
    this.wss = new WebSocketServer({ server: options.httpServer, path: options.path ?? '/graphql' });
    this.disposable = useServer<Record<string, unknown> | undefined, Extra>(
      {
        onConnect: (ctx) => this.connect(ctx.extra, ctx.connectionParams),
        onClose: (ctx) => {
          if (ctx.extra.connection) this.connections.delete(ctx.extra.connection);
        },
        onSubscribe: (ctx, id, payload) => this.prepare(ctx.extra, id, payload),
        onComplete: (ctx, id) => {
          ctx.extra.connection?.subscriptions.delete(id);
        },
        subscribe: (args) => this.subscribe(args),
        execute: (args) => this.execute(args),
      },
      this.wss,
    );
    this.keepAlive(options.keepAliveMs ?? 15_000);
    this.recheck(options.recheckMs ?? 10_000);
  }

  /** Ends every subscription and connection. Safe twice. */
  stop(): Promise<void> {
    this.stopping ??= (async () => {
      for (const t of this.timers) clearInterval(t);
      this.options.hub.closeAll();
      await this.disposable.dispose();
      await new Promise((resolve) => this.wss.close(resolve));
    })();
    return this.stopping;
  }

  private async connect(
    extra: Extra & { socket: WebSocket; request: http.IncomingMessage },
    params: Record<string, unknown> | undefined,
  ) {
    const authorization =
      typeof params?.authorization === 'string' ? params.authorization : extra.request.headers.authorization;
    const credentials: Credentials = { authorization, cookie: extra.request.headers.cookie };
    const auth = await this.options.authenticator.authenticate(credentials);
    if (!auth.ok) return false; // an unknown or revoked API key: 4403 Forbidden
    const connection = {
      socket: extra.socket,
      credentials,
      identity: auth.identity,
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
    const connection = extra.connection;
    if (!schema || !connection)
      return [appError('INTERNAL_SERVER_ERROR', 'The API is starting; try again shortly')];
    let document: DocumentNode;
    try {
      document = parse(payload.query);
    } catch (err) {
      return [withCode(err, 'GRAPHQL_PARSE_FAILED')];
    }
    const invalid = validate(schema, document, [...specifiedRules, ...(this.options.validationRules ?? [])]);
    if (invalid.length) return invalid.map((e) => withCode(e, 'GRAPHQL_VALIDATION_FAILED'));
    const operation = getOperationAST(document, payload.operationName);
    if (!operation) return [withCode(new GraphQLError('Unknown operation'), 'GRAPHQL_VALIDATION_FAILED')];
    const variables = getVariableValues(schema, operation.variableDefinitions ?? [], payload.variables ?? {});
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
    const live = await this.liveSubscription(schema, document, operation, variables.coerced, connection);
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
  ): Promise<LiveSubscription | GraphQLError[]> {
    const field = operation.selectionSet.selections[0];
    const fieldDef =
      field?.kind === Kind.FIELD ? schema.getSubscriptionType()?.getFields()[field.name.value] : undefined;
    const live = field?.kind === Kind.FIELD ? LIVE_FIELDS[field.name.value] : undefined;
    if (!field || field.kind !== Kind.FIELD || !fieldDef || !live) {
      return [
        withCode(new GraphQLError('Select one Subscription field directly'), 'GRAPHQL_VALIDATION_FAILED'),
      ];
    }
    const args = getArgumentValues(fieldDef, field, variables);
    if (live.buyerOnly) {
      if (!connection.identity) return [unauthenticated()];
      const seen = await this.options.run(
        'query($id: ID!) { order(id: $id) { id } }',
        { id: args.id },
        connection.identity,
      );
      if (!(seen.data as { order?: unknown } | null | undefined)?.order) {
        return [forbidden('Only the buyer can follow this order')];
      }
    }
    const derived = deriveEntityQuery(document, operation, field, live.queryField);
    return { topic: live.topic(args), ...derived, variables, identity: connection.identity };
  }

  private subscribe(args: ExecutionArgs): AsyncIterableIterator<ExecutionResult> {
    const live = (args.contextValue as OperationContext).live;
    if (!live) throw new Error('subscription was not prepared');
    return this.options.hub.subscribe(live);
  }

  /** Queries and mutations sent over the socket go through the gateway like HTTP ones. */
  private execute(args: ExecutionArgs): Promise<ExecutionResult> {
    const { identity } = args.contextValue as OperationContext;
    const variables = (args.variableValues ?? {}) as Record<string, unknown>;
    return this.options.run(print(args.document), variables, identity, args.operationName ?? undefined);
  }

  private keepAlive(intervalMs: number) {
    const alive = new WeakSet<WebSocket>();
    this.wss.on('connection', (socket) => {
      alive.add(socket);
      socket.on('pong', () => alive.add(socket));
    });
    const timer = setInterval(() => {
      for (const socket of this.wss.clients) {
        if (!alive.has(socket)) {
          socket.terminate();
          continue;
        }
        alive.delete(socket);
        socket.ping();
      }
    }, intervalMs);
    timer.unref();
    this.timers.push(timer);
  }

  private recheck(intervalMs: number) {
    const timer = setInterval(async () => {
      for (const c of [...this.connections]) {
        if (!c.identity) continue;
        const auth = await this.options.authenticator.authenticate(c.credentials).catch(() => null);
        if (auth && (!auth.ok || auth.identity?.userId !== c.identity.userId))
          c.socket.close(4403, 'Forbidden');
      }
    }, intervalMs);
    timer.unref();
    this.timers.push(timer);
  }
}

function withCode(err: unknown, code: string): GraphQLError {
  const e = err instanceof GraphQLError ? err : new GraphQLError(String(err));
  return new GraphQLError(e.message, { nodes: e.nodes, extensions: { ...e.extensions, code } });
}
