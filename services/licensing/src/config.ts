import { Global, Module } from '@nestjs/common';
import { env, loadConfig } from '@thankstar/platform';
import { defaultLoginLimit, loginLimitOf } from './identity/login-limit';

/**
 * Every environment variable licensing's own code reads (docs/conventions.md, "Configuration"),
 * validated at start: a typo stops the service naming the variable. Variables libs/platform
 * reads (database, Kafka, THANKSTAR_FORWARDING_SECRET, LICENSING_KEY_SECRET through SecretSealer,
 * …) are the platform's. The README's table is `configTable(configShape)`.
 */
export const configShape = {
  PORT: env.port(4004, 'HTTP port (GraphQL subgraph, the gateway’s lease and seat calls, JWKS).'),
  NODE_ENV: env.string('development', '`production` requires SMTP_URL and an https PUBLIC_APP_URL.'),
  ACCESS_TOKEN_TTL_SECONDS: env.int(
    900,
    'Lifetime of an access token; a retired signing key stays in the JWKS this long.',
    { min: 1 },
  ),
  REFRESH_TOKEN_TTL_SECONDS: env.int(30 * 86_400, 'Lifetime of a refresh token (rotated on every use).', { min: 1 }),
  INVITATION_TTL_SECONDS: env.int(7 * 86_400, 'How long an invitation link works.', { min: 1 }),
  PASSWORD_RESET_TTL_SECONDS: env.int(3_600, 'How long a password-reset link works.', { min: 1 }),
  LOGIN_FREE_FAILURES: env.int(
    defaultLoginLimit.freeFailures,
    'Failures of one account from one address before the delays start.',
    {
      min: 1,
      max: 100,
    },
  ),
  LOGIN_FIRST_DELAY_SECONDS: env.int(
    defaultLoginLimit.firstDelaySeconds,
    'The first delay of a pair; each further failure doubles it.',
    {
      min: 1,
      max: 3_600,
    },
  ),
  LOGIN_MAX_DELAY_SECONDS: env.int(
    defaultLoginLimit.maxDelaySeconds,
    'Ceiling of a pair’s delay (not below LOGIN_FIRST_DELAY_SECONDS).',
    {
      min: 1,
      max: 86_400,
    },
  ),
  LOGIN_PAIR_MEMORY_SECONDS: env.int(
    defaultLoginLimit.pairMemorySeconds,
    'A pair’s failures are forgotten after this long without a new one.',
    {
      min: 60,
      max: 30 * 86_400,
    },
  ),
  LOGIN_WINDOW_SECONDS: env.int(
    defaultLoginLimit.windowSeconds,
    'Sliding window of the per-address cap and the per-account ceiling.',
    {
      min: 60,
      max: 86_400,
    },
  ),
  LOGIN_ATTEMPTS_PER_ADDRESS: env.int(
    defaultLoginLimit.perAddress,
    'Failures from one address across accounts in the window.',
    {
      min: 1,
      max: 100_000,
    },
  ),
  LOGIN_ACCOUNT_CEILING: env.int(
    defaultLoginLimit.accountCeiling,
    'Failures of one account from anywhere in the window before its ceiling.',
    {
      min: 1,
      max: 1_000_000,
    },
  ),
  LOGIN_ACCOUNT_CEILING_DELAY_SECONDS: env.int(
    defaultLoginLimit.accountCeilingDelaySeconds,
    'Wait between attempts of an address that already failed at an account over its ceiling.',
    { min: 1, max: 3_600 },
  ),
  SMTP_URL: env.optionalString(
    'Mail relay, smtp://user:pass@host:587 or smtps://…:465. Required in production; unset elsewhere, mails are only logged.',
  ),
  SMTP_REQUIRE_TLS: env.optionalString(
    '`false` lets smtp:// stay plain in production (a local sink only); true there otherwise.',
  ),
  MAIL_FROM: env.string('Thankstar <no-reply@thankstar.jp>', 'Sender of invitations and password resets.'),
  PUBLIC_APP_URL: env.optionalString(
    'The web app the mailed links point to (https in production, localhost excepted); http://127.0.0.1:5173 when unset outside production.',
  ),
  LEASE_TTL_SECONDS: env.int(45, 'A lease without a heartbeat for this long expires.', { min: 1 }),
  LEASE_HEARTBEAT_SECONDS: env.int(15, 'How often a client heartbeats its lease (told to it on acquire).', { min: 1 }),
  LEASE_SWEEP_SECONDS: env.int(5, 'How often the sweeper ends expired leases.', { min: 1 }),
  LEASE_EVENTS_DELAY_MS: env.int(50, 'How soon after a grant or release its session event goes to the outbox.'),
};

/** The validated configuration (from `source`, the process environment by default). */
export function loadLicensingConfig(source: Record<string, string | undefined> = process.env) {
  const config = loadConfig('licensing', configShape, source);
  // One variable cannot check another in the schema: the sign-in limits check themselves here.
  loginLimitOf(config);
  return config;
}

export type Config = ReturnType<typeof loadLicensingConfig>;

/** Inject with `@Inject(CONFIG) config: Config`. */
export const CONFIG = Symbol('licensing.config');

/** Provides CONFIG everywhere; loaded when the app's modules are created, so tests may set variables first. */
@Global()
@Module({
  providers: [{ provide: CONFIG, useFactory: () => loadLicensingConfig() }],
  exports: [CONFIG],
})
export class ConfigModule {}
