import { ApolloServerPluginInlineTraceDisabled } from '@apollo/server/plugin/disabled';
import { ApolloFederationDriver, type ApolloFederationDriverConfig } from '@nestjs/apollo';
import {
  type BeforeApplicationShutdown,
  type DynamicModule,
  type FactoryProvider,
  Inject,
  Injectable,
  Logger,
  type MiddlewareConsumer,
  Module,
  type NestModule,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import { APP_FILTER, APP_GUARD } from '@nestjs/core';
import { GraphQLModule } from '@nestjs/graphql';
import { TypeOrmModule } from '@nestjs/typeorm';
import { deadLetterTopic, topics } from '@thankstar/contracts';
import { DataSource } from 'typeorm';
import { auditPlugin } from '../audit/audit.plugin';
import { AuditLog1764400000002 } from '../audit/audit-log.migration';
import { auditLogResolver } from '../audit/audit-log.resolver';
import { auditRestMiddleware } from '../audit/audit-rest.middleware';
import { AuditWriter } from '../audit/audit-writer';
import { AccessRevocationList, withRevocations } from '../auth/access-revocations';
import { AuthGuard, TOKEN_VERIFIER } from '../auth/auth.guard';
import { gatewayOnlyFieldsPlugin } from '../auth/gateway-proof';
import { ReferencePrincipal } from '../auth/reference-principal';
import { JwtVerifier, type TokenVerifier } from '../auth/token-verifier';
import { platformConfig } from '../config/platform-config';
import { databaseUrl, dataSourceOptions, type ServiceDataSourceOptions } from '../database/data-source';
import { ErrorFilter, formatGraphQLError } from '../errors/error-filters';
import { argumentValidationPlugin } from '../graphql/argument-validation.plugin';
import { documentLimits, queryLimitsFromEnv, subgraphQueryLimits } from '../graphql/document-limits';
import { HealthController } from '../health/health.controller';
import { KafkaJsBus, kafkaBrokersFromEnv } from '../kafka/kafkajs-bus';
import type { MessageBus } from '../kafka/message-bus';
import { registerOutboxBacklog, registerOutboxParked } from '../observability/metrics';
import { MetricsController } from '../observability/metrics.controller';
import { RequestContextMiddleware } from '../observability/request-context.middleware';
import { withTracing } from '../observability/tracing-bus';
import { TracingShutdown } from '../observability/tracing-shutdown';
import { OUTBOX_RELAY, OutboxParkedController } from '../outbox/outbox-parked.controller';
import { OutboxRelay } from '../outbox/outbox-relay';
import { ACCESS_REVOCATIONS, MESSAGE_BUS, SERVICE_NAME } from './tokens';

export interface PlatformOptions extends ServiceDataSourceOptions {
  /** SDL files of this service's subgraph. */
  typePaths: string[];
  /**
   * Licensing verifies tokens with its own keys; every other service uses the JWKS endpoint.
   * Either way the revocation list is checked after the signature (TOKEN_VERIFIER wraps this one).
   */
  tokenVerifier?: FactoryProvider<TokenVerifier>;
}

/** The verifier of signatures and expiry alone; TOKEN_VERIFIER adds the revocation list. */
const SIGNATURE_VERIFIER = Symbol('SIGNATURE_VERIFIER');

/** The process's copy of `licensing.access-revocations.v1`, read from bootstrap to shutdown. */
@Injectable()
export class AccessRevocations extends AccessRevocationList implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('AccessRevocations');

  constructor(
    @Inject(MESSAGE_BUS) private readonly bus: MessageBus,
    @Inject(SERVICE_NAME) private readonly service: string,
  ) {
    super();
  }

  onApplicationBootstrap(): void {
    this.start(this.bus, this.service, (message) => this.logger.warn(message));
  }

  async onApplicationShutdown(): Promise<void> {
    await this.stop();
  }
}

/** Partitions per topic; see docs/scaling.md. Keys are tenant-based, so a tenant's events stay ordered. */
export const platformTopics = Object.keys(topics).flatMap((topic) => [
  { topic, partitions: 6 },
  { topic: deadLetterTopic(topic), partitions: 1 },
]);

@Injectable()
class OutboxRelayLifecycle implements OnApplicationBootstrap, OnApplicationShutdown {
  readonly relay: OutboxRelay;
  private unregisterBacklog: (() => void) | undefined;
  private unregisterParked: (() => void) | undefined;

  constructor(
    dataSource: DataSource,
    @Inject(MESSAGE_BUS) private readonly bus: MessageBus,
    @Inject(SERVICE_NAME) private readonly service: string,
  ) {
    const logger = new Logger('OutboxRelay');
    this.relay = new OutboxRelay(dataSource, bus, databaseUrl(service), {
      logger: { warn: (m) => logger.warn(m), error: (m) => logger.error(m) },
    });
  }

  async onApplicationBootstrap(): Promise<void> {
    // The service starts even when the broker is down: the outbox keeps events until it is back.
    void this.bus.ensureTopics(platformTopics).catch(() => undefined);
    await this.relay.start();
    this.unregisterBacklog = registerOutboxBacklog(this.service, () => this.relay.backlog());
    this.unregisterParked = registerOutboxParked(this.service, () => this.relay.parkedCount());
  }

  async onApplicationShutdown(): Promise<void> {
    this.unregisterBacklog?.();
    this.unregisterParked?.();
    await this.relay.stop();
    await this.bus.close();
  }
}

/** Writes what is still queued for the audit log before the database closes. */
@Injectable()
class AuditWriterLifecycle implements BeforeApplicationShutdown {
  constructor(private readonly writer: AuditWriter) {}

  async beforeApplicationShutdown(): Promise<void> {
    await this.writer.drain();
  }
}

@Module({})
export class PlatformModule implements NestModule {
  constructor(@Inject(AuditWriter) private readonly auditWriter: AuditWriter) {}

  /**
   * Every request runs in its own log context (trace, then tenant); see RequestContextMiddleware.
   * Data-changing REST calls are recorded in the audit log once answered (audit-rest.middleware.ts).
   */
  configure(consumer: MiddlewareConsumer): void {
    consumer.apply(RequestContextMiddleware).forRoutes('*');
    consumer.apply(auditRestMiddleware(() => this.auditWriter)).forRoutes('*');
  }

  static forService(options: PlatformOptions): DynamicModule {
    // The gateway's depth, alias, cost and directive limits, from the same GATEWAY_MAX_* settings:
    // a document sent straight to a subgraph is refused as it would be at the gateway.
    const limits = documentLimits(subgraphQueryLimits(queryLimitsFromEnv()));
    // A service that lists the audit_log migration records its changes and answers `<service>AuditLog`
    // (its schema declares the field); docs/decisions/0011-audit-log.md.
    const audited = Array.isArray(options.migrations) && options.migrations.includes(AuditLog1764400000002);
    const audit: { writer?: AuditWriter } = {};
    return {
      module: PlatformModule,
      global: true,
      imports: [
        TypeOrmModule.forRoot({
          ...dataSourceOptions(options),
          migrationsRun: platformConfig().MIGRATIONS_RUN,
        }),
        GraphQLModule.forRoot<ApolloFederationDriverConfig>({
          driver: ApolloFederationDriver,
          typePaths: options.typePaths,
          path: '/graphql',
          context: ({ req }: { req: unknown }) => ({ req }),
          introspection: platformConfig().NODE_ENV !== 'production',
          includeStacktraceInErrorResponses: false,
          formatError: formatGraphQLError,
          // Inline traces (ftv1) feed Apollo Studio, which we do not use: they only cost time.
          // `_service`/`_entities` answer only the gateway where the forwarding secret is set.
          // Every argument of every operation is checked in one place (NUL, lone surrogates,
          // length, UUID ids) before a resolver runs: graphql/argument-rules.ts.
          plugins: [
            ApolloServerPluginInlineTraceDisabled(),
            gatewayOnlyFieldsPlugin(),
            ...limits.plugins,
            argumentValidationPlugin(),
            auditPlugin(() => audit.writer),
          ],
          validationRules: limits.validationRules,
          parseOptions: limits.parseOptions,
        }),
      ],
      controllers: [HealthController, MetricsController, OutboxParkedController],
      providers: [
        { provide: SERVICE_NAME, useValue: options.service },
        {
          provide: MESSAGE_BUS,
          // Traced (producer and consumer spans) when the process started tracing; else the bus itself.
          useFactory: () =>
            withTracing(new KafkaJsBus({ clientId: `thankstar-${options.service}`, brokers: kafkaBrokersFromEnv() })),
        },
        options.tokenVerifier
          ? { ...options.tokenVerifier, provide: SIGNATURE_VERIFIER }
          : { provide: SIGNATURE_VERIFIER, useFactory: () => JwtVerifier.remote() },
        AccessRevocations,
        { provide: ACCESS_REVOCATIONS, useExisting: AccessRevocations },
        {
          provide: TOKEN_VERIFIER,
          useFactory: (verifier: TokenVerifier, revocations: AccessRevocations) =>
            withRevocations(verifier, revocations),
          inject: [SIGNATURE_VERIFIER, AccessRevocations],
        },
        { provide: APP_GUARD, useClass: AuthGuard },
        { provide: APP_FILTER, useClass: ErrorFilter },
        OutboxRelayLifecycle,
        {
          provide: OUTBOX_RELAY,
          useFactory: (lifecycle: OutboxRelayLifecycle) => lifecycle.relay,
          inject: [OutboxRelayLifecycle],
        },
        TracingShutdown,
        ReferencePrincipal,
        {
          provide: AuditWriter,
          useFactory: (dataSource: DataSource) => {
            const logger = new Logger('AuditLog');
            audit.writer = new AuditWriter(audited ? dataSource : undefined, { warn: (m) => logger.warn(m) });
            return audit.writer;
          },
          inject: [DataSource],
        },
        AuditWriterLifecycle,
        ...(audited ? [auditLogResolver(`${options.service}AuditLog`, options.service)] : []),
      ],
      exports: [
        ReferencePrincipal,
        MESSAGE_BUS,
        SERVICE_NAME,
        TOKEN_VERIFIER,
        OutboxRelayLifecycle,
        AccessRevocations,
        AuditWriter,
      ],
    };
  }
}

export { OutboxRelayLifecycle };
