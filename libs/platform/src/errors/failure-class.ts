/**
 * Whether a failure will go away by itself (retry it) or fail the same way every time (set the
 * message aside). The one owner of this rule for consumers and for the outbox relay: a pure
 * function of the error, no Nest/TypeORM/kafkajs imports, so it is unit-tested on plain objects.
 *
 * - `transient`: the database or the broker is restarting, overloaded or briefly locked. Retrying
 *   with backoff loses nothing; dead-lettering would turn a one-second blip into manual replay.
 * - `permanent`: the message itself is the problem (schema, data, constraint, domain rule, a record
 *   the broker refuses). Retrying only blocks everything behind it.
 *
 * Unknown errors are `permanent`: a handler bug must not stall a partition forever. Kafka errors
 * other than record refusals are `transient` (coordinator moves, leader elections, connections
 * dropped by a restarting broker all throw kafkajs errors, several marked non-retriable).
 */
export type FailureClass = 'transient' | 'permanent';

/** SQLSTATE codes that mean "try again later" (Postgres restarting, overloaded or contended). */
const TRANSIENT_SQLSTATES = new Set([
  '40001', // serialization_failure
  '40P01', // deadlock_detected
  '55P03', // lock_not_available (lock_timeout)
  '57014', // query_canceled (statement_timeout)
  '57P01', // admin_shutdown
  '57P02', // crash_shutdown
  '57P03', // cannot_connect_now (starting up, shutting down)
  '53000', // insufficient_resources
  '53100', // disk_full
  '53200', // out_of_memory
  '53300', // too_many_connections
  '58000', // system_error (I/O)
  '58030', // io_error
  '25006', // read_only_sql_transaction (a failover's standby)
  '08000', // connection_exception and the rest of class 08 (matched below)
]);

/** Node socket errors: the server is not there (yet). */
const TRANSIENT_ERRNOS = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'EPIPE',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EAI_AGAIN',
  'ENOTFOUND',
  'ECONNABORTED',
]);

/** Messages of node-postgres and pg-pool that carry no code. */
const TRANSIENT_MESSAGES = [
  /connection terminated/i,
  /connection timeout/i,
  /timeout exceeded when trying to connect/i,
  /terminating connection/i,
  /not currently accepting connections/i,
  /the database system is (starting up|shutting down|in recovery mode)/i,
  /client has encountered a connection error/i,
  /cannot use a pool after calling end/i,
  /socket hang up/i,
];

/** Kafka record errors the broker will answer the same way every time (kafkajs `type`). */
export const KAFKA_RECORD_REFUSALS = new Set([
  'MESSAGE_TOO_LARGE',
  'RECORD_LIST_TOO_LARGE',
  'INVALID_RECORD',
  'CORRUPT_MESSAGE',
  'INVALID_TIMESTAMP',
  'UNSUPPORTED_COMPRESSION_TYPE',
  'INVALID_REQUIRED_ACKS',
  'TOPIC_AUTHORIZATION_FAILED',
  'INVALID_TOPIC_EXCEPTION',
]);

interface ErrorLike {
  name?: unknown;
  code?: unknown;
  type?: unknown;
  message?: unknown;
  retriable?: unknown;
  cause?: unknown;
  originalError?: unknown;
  driverError?: unknown;
}

/** The error and what it wraps (cause, kafkajs' originalError, TypeORM's driverError), outermost first. */
function chain(err: unknown): ErrorLike[] {
  const out: ErrorLike[] = [];
  let current: unknown = err;
  for (let depth = 0; depth < 8 && current !== null && typeof current === 'object'; depth++) {
    const e = current as ErrorLike;
    out.push(e);
    // AggregateError (pg's connect to several addresses) counts as its first error.
    const aggregated = (current as { errors?: unknown[] }).errors;
    current = e.driverError ?? e.originalError ?? e.cause ?? (Array.isArray(aggregated) ? aggregated[0] : undefined);
  }
  return out;
}

export function classifyFailure(err: unknown): FailureClass {
  const errors = chain(err);
  // A record the broker refuses anywhere in the chain decides: retrying sends the same bytes.
  if (errors.some((e) => typeof e.type === 'string' && KAFKA_RECORD_REFUSALS.has(e.type))) return 'permanent';
  for (const e of errors) {
    const code = typeof e.code === 'string' ? e.code : undefined;
    // Errnos first: EPIPE has the shape of a SQLSTATE.
    if (code && TRANSIENT_ERRNOS.has(code)) return 'transient';
    if (code && /^[0-9A-Z]{5}$/.test(code)) {
      // A SQLSTATE decides on its own: a 23505 wrapped in anything stays permanent. 55000 is
      // mostly a real state error, but "not accepting connections" is a database being fenced
      // off for maintenance (ALTER DATABASE … ALLOW_CONNECTIONS false) and comes back.
      if (code === '55000' && /not currently accepting connections/i.test(String(e.message))) return 'transient';
      return TRANSIENT_SQLSTATES.has(code) || code.startsWith('08') ? 'transient' : 'permanent';
    }
    const name = typeof e.name === 'string' ? e.name : '';
    if (name.startsWith('KafkaJS')) return 'transient';
    const message = typeof e.message === 'string' ? e.message : '';
    if (TRANSIENT_MESSAGES.some((re) => re.test(message))) return 'transient';
  }
  return 'permanent';
}

/** True when the broker refused the record itself (the relay parks such a row instead of retrying). */
export function isRecordRefusal(err: unknown): boolean {
  return chain(err).some((e) => typeof e.type === 'string' && KAFKA_RECORD_REFUSALS.has(e.type));
}

/** A short reason for logs and park records: `MESSAGE_TOO_LARGE: …`. */
export function failureReason(err: unknown): string {
  const errors = chain(err);
  const typed = errors.find((e) => typeof e.type === 'string');
  const first = errors[0];
  const code = typeof typed?.type === 'string' ? typed.type : typeof first?.code === 'string' ? first.code : undefined;
  const message =
    err instanceof Error ? err.message : typeof first?.message === 'string' ? first.message : String(err ?? '');
  return (code ? `${code}: ${message}` : message).slice(0, 1_000);
}
