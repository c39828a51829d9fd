import { Global, Module } from '@nestjs/common';
import { env, loadConfig } from '@thankstar/platform';
import { parseAllowedCidrs } from './sip/registrar-address';

/**
 * Every environment variable telephony's own code reads, validated once when the app module is
 * created (docs/conventions.md). The README's "Configuration" table is `configTable(configShape)`
 * (src/config.test.ts keeps them equal). Variables the platform reads (KAFKA_BROKERS,
 * TELEPHONY_DATABASE_URL, JWKS_URL, …) are not here; nor are TELEPHONY_SECRET_KEY and
 * TELEPHONY_SECRET_KEY_PREVIOUS, which the platform's SecretSealer reads at each use (keys/secret-box.ts).
 */

const allowedCidrsDescription =
  'ranges the SIP listener may send to besides public unicast addresses (none; e.g. `10.20.0.0/16` for a PBX over a VPN); see docs/security.md';
const allowedCidrs = env.optionalString(allowedCidrsDescription);

export const configShape = {
  PORT: env.port(4001, 'HTTP port (webhooks, Twilio, the subgraph)'),
  TWILIO_PUBLIC_URL: env.optionalString(
    'public scheme+host Twilio calls (signatures cover the full URL), e.g. `https://telephony.example.jp`; unset: the request’s own',
  ),
  SIP_LISTENER: env.boolean(false, '`on` to run SIP listeners in this instance (one replica only)'),
  SIP_BIND_HOST: env.optionalString('SIP bind address (UDP socket, TCP listening port and registrar connection)'),
  SIP_ADVERTISE_HOST: env.optionalString('the host put in Via/Contact (unset: the local address)'),
  SIP_BIND_PORT: env.int(
    0,
    'first SIP port of this instance (UDP and TCP); each SIP tenant gets its own port from SIP_BIND_PORT on, the one its Contact advertises (0: any free port, for tests and development)',
    { min: 0, max: 65_535 },
  ),
  SIP_BIND_PORTS: env.int(
    10,
    'how many ports from SIP_BIND_PORT this instance may use: at most this many SIP tenants per listener (the Service lists the same range)',
    { min: 1, max: 1_000 },
  ),
  // Checked at start: a range that does not parse stops the process instead of failing each configureSip.
  SIP_ALLOWED_CONTACT_CIDRS: allowedCidrs
    .refine(
      (value) => {
        try {
          parseAllowedCidrs(value);
          return true;
        } catch {
          return false;
        }
      },
      { message: 'is not a comma-separated list of addresses or CIDR ranges' },
    )
    .meta(allowedCidrs.meta() ?? {}),
  TELEPHONY_KEY_CACHE_MS: env.int(
    5_000,
    'longest a cached webhook key is used without reading it again (ms); changes arrive by NOTIFY',
  ),
  TELEPHONY_UNKNOWN_KEY_CACHE_MS: env.int(
    30_000,
    'how long a webhook key id found unknown is refused without a lookup (ms); key creation NOTIFYs',
  ),
  TELEPHONY_WRITE_BATCH: env.int(500, 'most call events per write transaction', { min: 1 }),
  TELEPHONY_RATE_LIMIT_BURST: env.number(500, 'per-tenant burst of call events, per instance'),
  TELEPHONY_RATE_LIMIT_PER_SECOND: env.number(200, 'per-tenant call events per second, per instance'),
};

export type TelephonyConfig = ReturnType<typeof loadTelephonyConfig>;

/** Reads and validates the service's variables (every bad one named in one error). */
export const loadTelephonyConfig = (source: Record<string, string | undefined> = process.env) =>
  loadConfig('telephony', configShape, source);

/** The token of the service's configuration: `@Inject(CONFIG) config: TelephonyConfig`. */
export const CONFIG = Symbol('TELEPHONY_CONFIG');

/** Loaded when the app module is created, so a test that sets variables before creating the app sees them. */
@Global()
@Module({
  providers: [{ provide: CONFIG, useFactory: () => loadTelephonyConfig() }],
  exports: [CONFIG],
})
export class ConfigModule {}

/** `npm run rekey` (keys/rekey-cli.ts): the two keys, from the environment, never from arguments (`ps` shows those). */
export const rekeyConfigShape = {
  TELEPHONY_SECRET_KEY_OLD: env.requiredString('the key the stored secrets are sealed with now'),
  TELEPHONY_SECRET_KEY_NEW: env.requiredString('the key to re-seal them with'),
};

export const loadRekeyConfig = () => loadConfig('telephony rekey', rekeyConfigShape);

/** `npm run call` and `npm run bench:ingest` (simulator/). */
export const simulatorConfigShape = {
  PORT: env.port(4001, 'port of the telephony instance `call` posts to when `--url` is not given'),
  STACK_NODE_ARGS: env.optionalString(
    'node flags for the service `bench:ingest` starts, e.g. `--cpu-prof --cpu-prof-dir=/tmp/prof`',
  ),
};

export const loadSimulatorConfig = () => loadConfig('telephony simulator', simulatorConfigShape);

/** The environment of a process the benchmark starts: this one's, over the defaults, under the overrides. */
export function childEnvironment(
  defaults: Record<string, string>,
  overrides: Record<string, string>,
): Record<string, string | undefined> {
  return { ...defaults, ...process.env, ...overrides };
}

/**
 * Points this process at another set of databases (the platform's database URLs take
 * THANKSTAR_DB_SUFFIX; the benchmark runs on `_bench`).
 */
export function useDatabaseSuffix(suffix: string): void {
  process.env.THANKSTAR_DB_SUFFIX = suffix;
}
