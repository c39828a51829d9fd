import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { WebhookEvent } from './webhook-events';

export interface WebhookEndpoint {
  id: string;
  tenantId: string;
  url: string;
  description: string;
  eventTypes: string[];
  enabled: boolean;
  disabledReason: 'ADMIN' | 'FAILING' | null;
  disabledAt: string | null;
  failedInARow: number;
  createdAt: string;
  updatedAt: string;
}

export type DeliveryStatus = 'PENDING' | 'DELIVERED' | 'FAILED';

export interface WebhookDelivery {
  id: string;
  tenantId: string;
  endpointId: string;
  eventId: string;
  eventType: string;
  status: DeliveryStatus;
  attempts: number;
  nextAttemptAt: string | null;
  firstAttemptAt: string | null;
  lastAttemptAt: string | null;
  deliveredAt: string | null;
  responseStatus: number | null;
  latencyMs: number | null;
  responseExcerpt: string | null;
  lastError: string | null;
  replayOf: string | null;
  createdAt: string;
}

export interface WebhookAttempt {
  attempt: number;
  at: string;
  responseStatus: number | null;
  latencyMs: number;
  responseExcerpt: string | null;
  error: string | null;
}

/** A delivery taken by the worker: what it needs to send, with its endpoint's address and sealed secret. */
export interface ClaimedDelivery {
  id: string;
  tenantId: string;
  endpointId: string;
  eventId: string;
  body: string;
  attempts: number;
  firstAttemptAt: Date;
  url: string;
  secretSealed: string;
}

const endpointColumns = `id, tenant_id, url, description, event_types, enabled, disabled_reason, disabled_at,
       failed_in_a_row, created_at, updated_at`;
const deliveryColumns = `id, tenant_id, endpoint_id, event_id, event_type, status, attempts, next_attempt_at,
       first_attempt_at, last_attempt_at, delivered_at, response_status, latency_ms, response_excerpt,
       last_error, replay_of, created_at`;

/** Every statement of outbound webhooks (reviewed as sql/webhooks.repository.sql). */
export const webhooksSql = {
  listEndpoints: `SELECT ${endpointColumns} FROM webhook_endpoints WHERE tenant_id = $1 ORDER BY created_at, id`,
  endpointById: `SELECT ${endpointColumns} FROM webhook_endpoints WHERE tenant_id = $1 AND id = $2`,
  countEndpoints: 'SELECT count(*)::int AS n FROM webhook_endpoints WHERE tenant_id = $1',
  insertEndpoint: `
    INSERT INTO webhook_endpoints (tenant_id, url, description, event_types, secret_sealed)
    VALUES ($1, $2, $3, $4, $5) RETURNING ${endpointColumns}`,
  // Enabling again clears the failure state; disabling by hand records why. (UPDATEs are wrapped in
  // a CTE: TypeORM answers a bare UPDATE … RETURNING with [rows, count] instead of rows.)
  updateEndpoint: `
    WITH u AS (UPDATE webhook_endpoints SET
           url = coalesce($3, url),
           description = coalesce($4, description),
           event_types = coalesce($5::text[], event_types),
           enabled = coalesce($6::boolean, enabled),
           disabled_reason = CASE WHEN $6::boolean IS NULL THEN disabled_reason WHEN $6::boolean THEN NULL ELSE 'ADMIN' END,
           disabled_at = CASE WHEN $6::boolean IS NULL THEN disabled_at WHEN $6::boolean THEN NULL
                              WHEN enabled THEN now() ELSE disabled_at END,
           failed_in_a_row = CASE WHEN $6::boolean THEN 0 ELSE failed_in_a_row END,
           updated_at = now()
     WHERE tenant_id = $1 AND id = $2 RETURNING ${endpointColumns})
    SELECT * FROM u`,
  deleteEndpoint:
    'WITH gone AS (DELETE FROM webhook_endpoints WHERE tenant_id = $1 AND id = $2 RETURNING id) SELECT id FROM gone',
  // Whether any enabled endpoint of the tenant could take an event: asked before opening a transaction.
  tenantListens: `
    SELECT EXISTS (SELECT 1 FROM webhook_endpoints WHERE tenant_id = $1 AND enabled AND event_types && $2::text[]) AS listens`,
  // One row per enabled endpoint of the tenant subscribed to the type and registered before the
  // event happened (an endpoint receives nothing from before it existed); once per endpoint and event.
  recordEvent: `
    INSERT INTO webhook_deliveries (tenant_id, endpoint_id, event_id, event_type, order_key, body)
    SELECT $1::uuid, e.id, $2::uuid, $3::text, $4::text, $5::text FROM webhook_endpoints e
     WHERE e.tenant_id = $1 AND e.enabled AND $3 = ANY (e.event_types) AND e.created_at <= $6::timestamptz
    ON CONFLICT (endpoint_id, event_id) WHERE replay_of IS NULL DO NOTHING
    RETURNING id`,
  // The test event and replays: one row for one endpoint, outside any call's order.
  insertDelivery: `
    INSERT INTO webhook_deliveries (tenant_id, endpoint_id, event_id, event_type, order_key, body, replay_of)
    VALUES ($1, $2, $3, $4, NULL, $5, $6) RETURNING ${deliveryColumns}`,
  deliveryForReplay: `
    SELECT d.endpoint_id, d.event_id, d.event_type, d.body FROM webhook_deliveries d
     WHERE d.tenant_id = $1 AND d.id = $2`,
  listDeliveries: `
    SELECT ${deliveryColumns} FROM webhook_deliveries
     WHERE tenant_id = $1 AND ($2::uuid IS NULL OR endpoint_id = $2) AND ($3::text IS NULL OR status = $3)
     ORDER BY seq DESC LIMIT $4`,
  deliveryById: `SELECT ${deliveryColumns} FROM webhook_deliveries WHERE tenant_id = $1 AND id = $2`,
  attemptsOf: `
    SELECT attempt, at, response_status, latency_ms, response_excerpt, error FROM webhook_attempts
     WHERE tenant_id = $1 AND delivery_id = $2 ORDER BY attempt`,
  /*
   * The worker's claim, across tenants (the worker serves them all): due deliveries of enabled
   * endpoints whose call has no earlier delivery still pending (per-call order: a later event waits
   * until the earlier one is delivered or given up), at most $3 in flight per endpoint (counting
   * those other replicas hold), $1 in all. Each is leased for $2 seconds; a worker that dies
   * leaves it to be taken again when the lease ends. One statement, no transaction held.
   */
  claimDue: `
    WITH ready AS (
      SELECT d.id, d.endpoint_id, d.next_attempt_at, d.seq FROM webhook_deliveries d
        JOIN webhook_endpoints e ON e.id = d.endpoint_id AND e.enabled
       WHERE d.status = 'PENDING' AND d.next_attempt_at <= now()
         AND (d.locked_until IS NULL OR d.locked_until < now())
         AND NOT EXISTS (
               SELECT 1 FROM webhook_deliveries p
                WHERE p.endpoint_id = d.endpoint_id AND p.order_key = d.order_key
                  AND p.status = 'PENDING' AND p.seq < d.seq)
       ORDER BY d.next_attempt_at, d.seq
       LIMIT 200
       FOR UPDATE OF d SKIP LOCKED
    ), ranked AS (
      SELECT r.id, r.next_attempt_at, r.seq,
             row_number() OVER (PARTITION BY r.endpoint_id ORDER BY r.next_attempt_at, r.seq)
               + (SELECT count(*) FROM webhook_deliveries f
                   WHERE f.endpoint_id = r.endpoint_id AND f.status = 'PENDING' AND f.locked_until >= now()) AS slot
        FROM ready r
    ), chosen AS (
      SELECT id FROM ranked WHERE slot <= $3 ORDER BY next_attempt_at, seq LIMIT $1
    ), claimed AS (
    UPDATE webhook_deliveries d
       SET locked_until = now() + make_interval(secs => $2),
           attempts = d.attempts + 1,
           first_attempt_at = coalesce(d.first_attempt_at, now())
      FROM chosen, webhook_endpoints e
     WHERE d.id = chosen.id AND e.id = d.endpoint_id
    RETURNING d.id, d.tenant_id, d.endpoint_id, d.event_id, d.body, d.attempts, d.first_attempt_at,
              e.url, e.secret_sealed, d.seq)
    SELECT id, tenant_id, endpoint_id, event_id, body, attempts, first_attempt_at, url, secret_sealed
      FROM claimed ORDER BY seq`,
  insertAttempt: `
    INSERT INTO webhook_attempts (tenant_id, delivery_id, attempt, at, response_status, latency_ms, response_excerpt, error)
    VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
  // $4: DELIVERED, PENDING (retry at $5) or FAILED (given up).
  finishAttempt: `
    UPDATE webhook_deliveries SET status = $3, next_attempt_at = coalesce($5, next_attempt_at), locked_until = NULL,
           last_attempt_at = $4, delivered_at = CASE WHEN $3 = 'DELIVERED' THEN $4 ELSE delivered_at END,
           response_status = $6, latency_ms = $7, response_excerpt = $8, last_error = $9
     WHERE tenant_id = $1 AND id = $2`,
  endpointSucceeded: 'UPDATE webhook_endpoints SET failed_in_a_row = 0 WHERE id = $1 AND failed_in_a_row <> 0',
  // A delivery given up: one more in a row; at the limit the endpoint is disabled (FAILING).
  endpointGaveUp: `
    WITH u AS (UPDATE webhook_endpoints SET failed_in_a_row = failed_in_a_row + 1,
           enabled = CASE WHEN failed_in_a_row + 1 >= $2 THEN false ELSE enabled END,
           disabled_reason = CASE WHEN failed_in_a_row + 1 >= $2 AND enabled THEN 'FAILING' ELSE disabled_reason END,
           disabled_at = CASE WHEN failed_in_a_row + 1 >= $2 AND enabled THEN now() ELSE disabled_at END
     WHERE id = $1
    RETURNING tenant_id, url, enabled, disabled_reason, failed_in_a_row)
    SELECT * FROM u`,
} satisfies Record<string, string>;

type Row = Record<string, unknown>;
const iso = (v: unknown) => (v instanceof Date ? v.toISOString() : v == null ? null : String(v));

const toEndpoint = (r: Row): WebhookEndpoint => ({
  id: r.id as string,
  tenantId: r.tenant_id as string,
  url: r.url as string,
  description: r.description as string,
  eventTypes: r.event_types as string[],
  enabled: r.enabled as boolean,
  disabledReason: r.disabled_reason as WebhookEndpoint['disabledReason'],
  disabledAt: iso(r.disabled_at),
  failedInARow: r.failed_in_a_row as number,
  createdAt: iso(r.created_at) as string,
  updatedAt: iso(r.updated_at) as string,
});

const toDelivery = (r: Row): WebhookDelivery => ({
  id: r.id as string,
  tenantId: r.tenant_id as string,
  endpointId: r.endpoint_id as string,
  eventId: r.event_id as string,
  eventType: r.event_type as string,
  status: r.status as DeliveryStatus,
  attempts: r.attempts as number,
  nextAttemptAt: r.status === 'PENDING' ? iso(r.next_attempt_at) : null,
  firstAttemptAt: iso(r.first_attempt_at),
  lastAttemptAt: iso(r.last_attempt_at),
  deliveredAt: iso(r.delivered_at),
  responseStatus: (r.response_status as number | null) ?? null,
  latencyMs: (r.latency_ms as number | null) ?? null,
  responseExcerpt: (r.response_excerpt as string | null) ?? null,
  lastError: (r.last_error as string | null) ?? null,
  replayOf: (r.replay_of as string | null) ?? null,
  createdAt: iso(r.created_at) as string,
});

@Injectable()
export class WebhooksRepository {
  async listEndpoints(m: EntityManager, tenantId: string): Promise<WebhookEndpoint[]> {
    return ((await m.query(webhooksSql.listEndpoints, [tenantId])) as Row[]).map(toEndpoint);
  }

  async endpointById(m: EntityManager, tenantId: string, id: string): Promise<WebhookEndpoint | null> {
    const [r] = (await m.query(webhooksSql.endpointById, [tenantId, id])) as Row[];
    return r ? toEndpoint(r) : null;
  }

  async countEndpoints(m: EntityManager, tenantId: string): Promise<number> {
    const [r] = (await m.query(webhooksSql.countEndpoints, [tenantId])) as { n: number }[];
    return r?.n ?? 0;
  }

  async insertEndpoint(
    m: EntityManager,
    tenantId: string,
    e: { url: string; description: string; eventTypes: string[]; secretSealed: string },
  ): Promise<WebhookEndpoint> {
    const [r] = (await m.query(webhooksSql.insertEndpoint, [
      tenantId,
      e.url,
      e.description,
      e.eventTypes,
      e.secretSealed,
    ])) as Row[];
    return toEndpoint(r as Row);
  }

  async updateEndpoint(
    m: EntityManager,
    tenantId: string,
    id: string,
    e: { url?: string | null; description?: string | null; eventTypes?: string[] | null; enabled?: boolean | null },
  ): Promise<WebhookEndpoint | null> {
    const [r] = (await m.query(webhooksSql.updateEndpoint, [
      tenantId,
      id,
      e.url ?? null,
      e.description ?? null,
      e.eventTypes ?? null,
      e.enabled ?? null,
    ])) as Row[];
    return r ? toEndpoint(r) : null;
  }

  async deleteEndpoint(m: EntityManager, tenantId: string, id: string): Promise<boolean> {
    return ((await m.query(webhooksSql.deleteEndpoint, [tenantId, id])) as Row[]).length > 0;
  }

  async tenantListens(m: EntityManager, tenantId: string, types: readonly string[]): Promise<boolean> {
    const [r] = (await m.query(webhooksSql.tenantListens, [tenantId, types])) as { listens: boolean }[];
    return r?.listens ?? false;
  }

  /** The event's deliveries in the caller's transaction; how many rows were written. */
  async recordEvent(m: EntityManager, tenantId: string, e: WebhookEvent, body: string): Promise<number> {
    const rows = (await m.query(webhooksSql.recordEvent, [
      tenantId,
      e.id,
      e.type,
      e.orderKey,
      body,
      e.occurredAt,
    ])) as Row[];
    return rows.length;
  }

  async insertDelivery(
    m: EntityManager,
    tenantId: string,
    d: { endpointId: string; eventId: string; eventType: string; body: string; replayOf: string | null },
  ): Promise<WebhookDelivery> {
    const [r] = (await m.query(webhooksSql.insertDelivery, [
      tenantId,
      d.endpointId,
      d.eventId,
      d.eventType,
      d.body,
      d.replayOf,
    ])) as Row[];
    return toDelivery(r as Row);
  }

  async deliveryForReplay(
    m: EntityManager,
    tenantId: string,
    id: string,
  ): Promise<{ endpointId: string; eventId: string; eventType: string; body: string } | null> {
    const [r] = (await m.query(webhooksSql.deliveryForReplay, [tenantId, id])) as Row[];
    return r
      ? {
          endpointId: r.endpoint_id as string,
          eventId: r.event_id as string,
          eventType: r.event_type as string,
          body: r.body as string,
        }
      : null;
  }

  async listDeliveries(
    m: EntityManager,
    tenantId: string,
    filter: { endpointId: string | null; status: DeliveryStatus | null; limit: number },
  ): Promise<WebhookDelivery[]> {
    const rows = (await m.query(webhooksSql.listDeliveries, [
      tenantId,
      filter.endpointId,
      filter.status,
      filter.limit,
    ])) as Row[];
    return rows.map(toDelivery);
  }

  async deliveryById(m: EntityManager, tenantId: string, id: string): Promise<WebhookDelivery | null> {
    const [r] = (await m.query(webhooksSql.deliveryById, [tenantId, id])) as Row[];
    return r ? toDelivery(r) : null;
  }

  async attemptsOf(m: EntityManager, tenantId: string, deliveryId: string): Promise<WebhookAttempt[]> {
    const rows = (await m.query(webhooksSql.attemptsOf, [tenantId, deliveryId])) as Row[];
    return rows.map((r) => ({
      attempt: r.attempt as number,
      at: iso(r.at) as string,
      responseStatus: (r.response_status as number | null) ?? null,
      latencyMs: r.latency_ms as number,
      responseExcerpt: (r.response_excerpt as string | null) ?? null,
      error: (r.error as string | null) ?? null,
    }));
  }

  /** Across tenants: the worker's claim (see webhooksSql.claimDue). */
  async claimDue(
    m: EntityManager,
    limits: { max: number; leaseSeconds: number; perEndpoint: number },
  ): Promise<ClaimedDelivery[]> {
    const rows = (await m.query(webhooksSql.claimDue, [limits.max, limits.leaseSeconds, limits.perEndpoint])) as Row[];
    return rows.map((r) => ({
      id: r.id as string,
      tenantId: r.tenant_id as string,
      endpointId: r.endpoint_id as string,
      eventId: r.event_id as string,
      body: r.body as string,
      attempts: r.attempts as number,
      firstAttemptAt: r.first_attempt_at as Date,
      url: r.url as string,
      secretSealed: r.secret_sealed as string,
    }));
  }

  async finishAttempt(
    m: EntityManager,
    d: ClaimedDelivery,
    outcome: {
      status: DeliveryStatus;
      at: Date;
      nextAttemptAt: Date | null;
      responseStatus: number | null;
      latencyMs: number;
      excerpt: string | null;
      error: string | null;
    },
  ): Promise<void> {
    await m.query(webhooksSql.insertAttempt, [
      d.tenantId,
      d.id,
      d.attempts,
      outcome.at,
      outcome.responseStatus,
      outcome.latencyMs,
      outcome.excerpt,
      outcome.error,
    ]);
    await m.query(webhooksSql.finishAttempt, [
      d.tenantId,
      d.id,
      outcome.status,
      outcome.at,
      outcome.nextAttemptAt,
      outcome.responseStatus,
      outcome.latencyMs,
      outcome.excerpt,
      outcome.error,
    ]);
  }

  async endpointSucceeded(m: EntityManager, endpointId: string): Promise<void> {
    await m.query(webhooksSql.endpointSucceeded, [endpointId]);
  }

  /** One more delivery given up; returns whether this disabled the endpoint. */
  async endpointGaveUp(
    m: EntityManager,
    endpointId: string,
    disableAfter: number,
  ): Promise<{ tenantId: string; url: string; disabledNow: boolean } | null> {
    const [r] = (await m.query(webhooksSql.endpointGaveUp, [endpointId, disableAfter])) as Row[];
    if (!r) return null;
    return {
      tenantId: r.tenant_id as string,
      url: r.url as string,
      disabledNow:
        r.enabled === false && r.disabled_reason === 'FAILING' && (r.failed_in_a_row as number) === disableAfter,
    };
  }
}
