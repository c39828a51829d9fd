import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  CALL_EVENTS_TOPIC,
  callEventSchema,
  errorCatalogue,
  INTERACTIONS_TOPIC,
  interactionChangeSchema,
  POPUPS_TOPIC,
  type PopupPayload,
  popupSchema,
  SESSIONS_TOPIC,
  sessionEventSchema,
} from '@thankstar/contracts';
import {
  AccessRevocationList,
  createLogger,
  DomainError,
  defaultQueryLimits,
  domainErrorExtras,
  forwardingSecretFromEnv,
  JsonLogger,
  JwtVerifier,
  KafkaJsBus,
  logLevelFromEnv,
  platformTopics,
  requestContext,
  useProcessLogger,
  withRevocations,
  withTracing,
} from '@thankstar/platform';
import { documentLimits } from './http/document-limits';
import { type GraphQLHttpOptions, type QueryLimits, startGraphQLHttp } from './http/graphql-http';
import { type CallUpdate, callUpdateOf } from './live/call-update';
import { type InteractionUpdate, interactionUpdateOf } from './live/interaction-update';
import { type LeaseEnd, leaseEndOf } from './live/lease-ends';
import { LicensingLeases } from './live/licensing-leases';
import type { SlowClientLimits } from './live/live-connection';
import { consumeLiveFeed } from './live/live-feed.consumer';
import { type LiveContext, startLiveServer } from './live/live-socket-server';
import { buildSubscriptionSchema } from './live/subscription-schema';
import { TenantFanout } from './live/tenant-fanout';
import { apiSchemaOf, loadSupergraphSdl } from './supergraph/load-supergraph';

export interface GatewayOptions {
  /** 0 picks a free port (tests). */
  port: number;
  host: string;
  /** Names this instance's consumer groups: every instance gets every popup. */
  instanceId: string;
  subgraphUrls: Record<string, string>;
  jwksUrl: string;
  kafkaBrokers: string[];
  introspection: boolean;
  /** licensing's HTTP base URL for concurrent-connection leases; absent, sockets take none. */
  licensingHttpUrl?: string;
  /** Defaults to gateway/supergraph.graphql. */
  supergraphSdl?: string;
  limits?: Partial<GatewayLimits>;
  /** Our proxies in front of the gateway (admin-ui's nginx, an ingress); 0 trusts no X-Forwarded-For. */
  trustedProxyHops?: number;
  /** Proves the client address forwarded to subgraphs; defaults to THANKSTAR_FORWARDING_SECRET. */
  forwardingSecret?: string;
}

export interface GatewayLimits extends SlowClientLimits, QueryLimits {
  maxBodyBytes: number;
  rateLimits: GraphQLHttpOptions['rateLimits'];
  maxSocketMessageBytes: number;
  /** Subscriptions one socket may run at once. */
  maxSubscriptionsPerSocket: number;
  connectionInitTimeoutMs: number;
  /** Ping interval of the live sockets; a socket that misses a pong is dropped and its lease freed. */
  keepAliveMs: number;
}

export const defaultLimits: GatewayLimits = {
  maxBodyBytes: 256 * 1024,
  // A person clicks; a console polls a little. Anonymous calls are mostly sign-ins: keep them slow
  // (per client address, so one noisy client does not slow an office's others). Refreshes come
  // once per token lifetime per client, from their own allowance.
  rateLimits: {
    user: { burst: 60, perSecond: 20 },
    tenant: { burst: 300, perSecond: 100 },
    anonymous: { burst: 20, perSecond: 1 },
    refresh: { burst: 30, perSecond: 2 },
  },
  // The document limits have one owner (libs/platform), shared with the subgraphs.
  ...defaultQueryLimits,
  maxSocketMessageBytes: 64 * 1024,
  maxSubscriptionsPerSocket: 20,
  connectionInitTimeoutMs: 5_000,
  keepAliveMs: 15_000,
  maxPendingEvents: 100,
  maxBufferedBytes: 1024 * 1024,
};

export interface RunningGateway {
  instanceId: string;
  port: number;
  /** http://host:port/graphql; the same path serves graphql-ws. */
  url: string;
  liveConnections(): number;
  close(): Promise<void>;
}

export async function startGateway(options: GatewayOptions): Promise<RunningGateway> {
  const limits = { ...defaultLimits, ...options.limits };
  // JSON lines through pino (LOG_LEVEL), the same logger as the services; errors keep their stack.
  const logger = new JsonLogger(
    useProcessLogger(
      createLogger({ service: 'gateway', level: logLevelFromEnv() }).child({ instance: options.instanceId }),
    ),
  );
  const supergraphSdl = options.supergraphSdl ?? loadSupergraphSdl();
  const bus = withTracing(new KafkaJsBus({ clientId: `gateway-${options.instanceId}`, brokers: options.kafkaBrokers }));
  await bus.ensureTopics(platformTopics);
  // Tokens of disabled users (and from before a password reset) are refused, and their sockets closed.
  const revocations = new AccessRevocationList();
  revocations.start(bus, `gateway.${options.instanceId}`, (message) => logger.warn(message));
  const verifier = withRevocations(JwtVerifier.remote(options.jwksUrl), revocations);
  const popups = new TenantFanout<PopupPayload>();
  const callUpdates = new TenantFanout<CallUpdate>();
  const interactionUpdates = new TenantFanout<InteractionUpdate>();
  // Leases licensing ended (a revoked PC, an admin, a newer tab): their sockets close at once.
  const leaseEnds = new TenantFanout<LeaseEnd>();
  const consumers = await Promise.all([
    consumeLiveFeed(
      bus,
      options.instanceId,
      { name: undefined, topic: POPUPS_TOPIC, schema: popupSchema, fanout: popups, toItem: (e) => e.payload },
      logger,
    ),
    consumeLiveFeed(
      bus,
      options.instanceId,
      {
        name: 'call-updates',
        topic: CALL_EVENTS_TOPIC,
        schema: callEventSchema,
        fanout: callUpdates,
        toItem: (e) => callUpdateOf(e.payload),
      },
      logger,
    ),
    consumeLiveFeed(
      bus,
      options.instanceId,
      {
        name: 'interactions',
        topic: INTERACTIONS_TOPIC,
        schema: interactionChangeSchema,
        fanout: interactionUpdates,
        toItem: (e) => interactionUpdateOf(e.payload),
      },
      logger,
    ),
    consumeLiveFeed(
      bus,
      options.instanceId,
      { name: 'lease-ends', topic: SESSIONS_TOPIC, schema: sessionEventSchema, fanout: leaseEnds, toItem: leaseEndOf },
      logger,
    ),
  ]);

  const graphqlHttp = await startGraphQLHttp({
    supergraphSdl,
    subgraphUrls: options.subgraphUrls,
    verifier,
    introspection: options.introspection,
    maxBodyBytes: limits.maxBodyBytes,
    rateLimits: limits.rateLimits,
    queryLimits: limits,
    trustedProxyHops: options.trustedProxyHops ?? 0,
    forwardingSecret: options.forwardingSecret ?? forwardingSecretFromEnv(),
    logError: (message) => logger.error(message),
  });

  const route = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const path = new URL(req.url ?? '/', 'http://gateway').pathname;
    if (path === '/graphql') {
      // The request's trace (continued from its traceparent) and, with tracing on, its SERVER span:
      // the Apollo gateway's own spans and the subgraph fetches hang below it.
      return new Promise<void>((resolve, reject) =>
        requestContext(req, res, () => {
          graphqlHttp.handle(req, res).then(resolve, reject);
        }),
      );
    }
    if (path === '/health/live') return sendJson(res, 200, { status: 'ok' });
    if (path === '/health') {
      // Ready when it can serve GraphQL: the supergraph is loaded (startGraphQLHttp resolved before
      // the server listened) and the revocation list has caught up once (before that a revoked
      // token would pass). The broker is a degraded detail: queries and mutations do not need it,
      // and live sockets stay open and resume when it is back
      // (docs/decisions/0010-readiness-without-broker.md).
      const caughtUp = revocations.caughtUp();
      const broker = await withTimeout(bus.ping(), 2_000).then(
        () => 'up' as const,
        () => 'down' as const,
      );
      return sendJson(res, caughtUp ? 200 : 503, {
        status: caughtUp ? 'ok' : 'unavailable',
        supergraph: 'loaded',
        broker,
        revocations: caughtUp ? 'caught-up' : 'catching-up',
      });
    }
    sendJson(res, 404, {
      code: 'NOT_FOUND',
      message: `${path} はありません。API は /graphql です。`,
      messageEn: `${path} does not exist; the API is at /graphql.`,
    });
  };
  const httpServer = createServer((req, res) => {
    route(req, res).catch((err: unknown) => {
      if (err instanceof DomainError)
        return sendJson(res, err.status, { code: err.code, message: err.message, ...domainErrorExtras(err) });
      logger.error(err);
      sendJson(res, 500, {
        code: 'INTERNAL',
        message: errorCatalogue.INTERNAL.ja,
        messageEn: errorCatalogue.INTERNAL.en,
      });
    });
  });

  const live = startLiveServer({
    httpServer,
    path: '/graphql',
    schema: buildSubscriptionSchema<LiveContext>(apiSchemaOf(supergraphSdl), {
      popups: (_root, _args, ctx) => ctx.connection.follow('Subscription.popups', popups),
      callUpdates: (_root, _args, ctx) => ctx.connection.follow('Subscription.callUpdates', callUpdates),
      interactionUpdates: (_root, _args, ctx) =>
        ctx.connection.follow('Subscription.interactionUpdates', interactionUpdates),
    }),
    verifier,
    limits,
    connectionInitTimeoutMs: limits.connectionInitTimeoutMs,
    keepAliveMs: limits.keepAliveMs,
    maxMessageBytes: limits.maxSocketMessageBytes,
    maxSubscriptionsPerSocket: limits.maxSubscriptionsPerSocket,
    checkDocument: documentLimits(limits).checkDocument,
    ...(options.licensingHttpUrl ? { leases: new LicensingLeases(options.licensingHttpUrl), leaseEnds } : {}),
    revocations,
  });

  await new Promise<void>((resolve, reject) => {
    httpServer.once('error', reject);
    httpServer.listen(options.port, options.host, resolve);
  });
  const port = (httpServer.address() as AddressInfo).port;

  return {
    instanceId: options.instanceId,
    port,
    url: `http://${options.host}:${port}/graphql`,
    liveConnections: () => live.connectionCount(),
    close: async () => {
      await live.close();
      await new Promise<void>((resolve) => httpServer.close(() => resolve()));
      await Promise.allSettled([...consumers.map((c) => c.stop()), revocations.stop()]);
      await graphqlHttp.stop();
      await bus.close();
    },
  };
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  if (res.headersSent) {
    res.end();
    return;
  }
  res.statusCode = status;
  res.setHeader('content-type', 'application/json; charset=utf-8');
  res.end(JSON.stringify(body));
}

function withTimeout<T>(p: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([
    p,
    new Promise<T>((_, reject) => {
      timer = setTimeout(() => reject(new Error('timeout')), ms);
    }),
  ]).finally(() => clearTimeout(timer));
}
