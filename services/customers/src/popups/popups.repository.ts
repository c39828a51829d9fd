import { Injectable } from '@nestjs/common';
import type { CustomFieldType, PopupPayload } from '@thankstar/contracts';
import { normalizePhoneNumber } from '@thankstar/phone';
import { type OutboxRow, preparedQuery } from '@thankstar/platform';
import type { EntityManager } from 'typeorm';
import type { CustomFieldDefinition } from '../custom-fields/validate';
import type { Customer, CustomerPhone, PhoneType, Purchase, PurchaseTotals } from '../customers/customer';
import { customerColumns, toCustomer } from '../customers/customers.repository';
import type { Interaction } from '../interactions/interaction';

/** Everything a CUSTOMER popup shows besides the record itself. */
export interface CustomerHistory {
  phones: CustomerPhone[];
  definitions: CustomFieldDefinition[];
  purchases: Purchase[];
  totals: PurchaseTotals;
  recent: Pick<Interaction, 'id' | 'occurredAt' | 'summary' | 'notes' | 'outcome' | 'operatorName'>[];
  followUps: Pick<
    Interaction,
    'id' | 'followUpOn' | 'followUpAssigneeId' | 'followUpAssigneeName' | 'notes' | 'summary'
  >[];
}

/** What one ringing number resolves to: the list entries, the matching customers and, for one match, its history. */
export interface CallerLookup {
  /** The nuisance reason, when the number is on the nuisance list. */
  nuisance: { note: string | null } | null;
  /** The employee's label, when the number is a staff number. */
  employee: { note: string | null } | null;
  /** Matching customers, most recent contact first, at most `candidates + 1`. */
  matches: Customer[];
  /** Numbers of every matching customer. */
  phones: CustomerPhone[];
  /** The tenant's custom fields (empty when nothing matched). */
  definitions: CustomFieldDefinition[];
  /** Set only when exactly one customer matched and the number is on neither list. */
  history: Omit<CustomerHistory, 'phones' | 'definitions'> | null;
}

type PhoneJson = {
  id: string;
  customer_id: string;
  raw: string;
  e164: string | null;
  type: PhoneType;
  label: string | null;
};
type DefinitionJson = { key: string; label: string; type: CustomFieldType; options: string[]; required: boolean };
type PurchaseJson = {
  id: string;
  purchasedOn: string;
  item: string;
  quantity: number;
  amountYen: number;
  channel: string | null;
};

/**
 * The caller lookup reads the lists, customers, numbers, custom fields, purchases and interactions
 * in one statement on purpose (the hot path of every ring: one round trip, one plan, prepared):
 * the one place a feature reads other features' tables, reviewed in sql/popups.repository.sql.
 *
 * The whole caller lookup in ONE statement (one round trip on the hot path): nuisance and employee
 * lists by national digits, customers by E.164 or national digits (both indexed, a BitmapOr), and
 * for a single match with no list entry its last purchases, totals, interactions and follow-ups.
 * $1 tenant, $2 E.164, $3 national digits, $4 match limit, $5 history limit.
 */
const LOOKUP_SQL = `
WITH nuisance AS (
  SELECT reason AS note FROM nuisance_numbers WHERE tenant_id = $1 AND national_digits = $3
), employee AS (
  SELECT label AS note FROM employee_numbers WHERE tenant_id = $1 AND national_digits = $3
), matched AS (
  -- The last contact is the customer's newest interaction (one probe of interactions_customer
  -- each): nothing on a ring writes the customer's row, so rings of one caller never queue on it.
  SELECT ${customerColumns}, lc.last_contact_at FROM customers c
   LEFT JOIN LATERAL (SELECT max(i.occurred_at) AS last_contact_at FROM interactions i
                       WHERE i.tenant_id = $1 AND i.customer_id = c.id) lc ON true
   WHERE c.tenant_id = $1
     AND c.id IN (SELECT p.customer_id FROM customer_phones p
                   WHERE p.tenant_id = $1 AND (p.e164 = $2 OR p.national_digits = $3))
   ORDER BY lc.last_contact_at DESC NULLS LAST, c.updated_at DESC
   LIMIT $4
), target AS (
  SELECT id FROM matched
   WHERE (SELECT count(*) FROM matched) = 1 AND NOT EXISTS (SELECT 1 FROM nuisance) AND NOT EXISTS (SELECT 1 FROM employee)
)
SELECT
  (SELECT json_build_object('note', note) FROM nuisance LIMIT 1) AS nuisance,
  (SELECT json_build_object('note', note) FROM employee LIMIT 1) AS employee,
  (SELECT COALESCE(json_agg(m ORDER BY m.last_contact_at DESC NULLS LAST, m.updated_at DESC), '[]') FROM matched m) AS matches,
  (SELECT COALESCE(json_agg(x), '[]') FROM (SELECT id, customer_id, raw, e164, type, label FROM customer_phones
     WHERE tenant_id = $1 AND customer_id IN (SELECT id FROM matched) ORDER BY created_at, id) x) AS phones,
  (SELECT COALESCE(json_agg(x), '[]') FROM (SELECT key, label, type, options, required FROM custom_field_definitions
     WHERE tenant_id = $1 AND EXISTS (SELECT 1 FROM matched) ORDER BY position, created_at) x) AS definitions,
  (SELECT COALESCE(json_agg(x), '[]') FROM (SELECT id, to_char(purchased_on, 'YYYY-MM-DD') AS "purchasedOn", item, quantity,
     amount_yen AS "amountYen", channel FROM purchases
     WHERE tenant_id = $1 AND customer_id = (SELECT id FROM target) ORDER BY purchased_on DESC, created_at DESC LIMIT $5) x) AS purchases,
  (SELECT json_build_object('count', count(*), 'lifetimeValueYen', COALESCE(sum(amount_yen), 0),
     'lastPurchaseOn', to_char(max(purchased_on), 'YYYY-MM-DD'))
     FROM purchases WHERE tenant_id = $1 AND customer_id = (SELECT id FROM target)) AS totals,
  (SELECT COALESCE(json_agg(x), '[]') FROM (SELECT id, occurred_at AS "occurredAt", summary, notes, outcome,
     operator_name AS "operatorName" FROM interactions
     WHERE tenant_id = $1 AND customer_id = (SELECT id FROM target) ORDER BY occurred_at DESC, id LIMIT $5) x) AS recent,
  (SELECT COALESCE(json_agg(x), '[]') FROM (SELECT id, to_char(follow_up_on, 'YYYY-MM-DD') AS "followUpOn",
     follow_up_assignee_id AS "followUpAssigneeId", follow_up_assignee_name AS "followUpAssigneeName", notes, summary
     FROM interactions WHERE tenant_id = $1 AND customer_id = (SELECT id FROM target) AND follow_up_on IS NOT NULL
      AND NOT follow_up_done ORDER BY follow_up_on, occurred_at LIMIT $5) x) AS "followUps",
  (SELECT id FROM target) AS target`;

/** The prepared statement's name: bump the version whenever LOOKUP_SQL changes (libs/platform preparedQuery). */
const LOOKUP_NAME = 'customers.caller-lookup.v2';

/** Every statement on popups (reviewed as sql/popups.repository.sql). */
export const popupsSql = {
  lookup: LOOKUP_SQL,
  // The batch's dedup rows (per event id, as libs/platform idempotent() writes them one at a time):
  // the ids returned are the events not handled before.
  claimEvents: `
    INSERT INTO processed_events (consumer, event_id) SELECT $1, unnest($2::uuid[])
    ON CONFLICT DO NOTHING RETURNING event_id::text AS id`,
  countMatches: `
    SELECT count(DISTINCT customer_id) AS n FROM customer_phones
     WHERE tenant_id = $1 AND (e164 = $2 OR national_digits = $3)`,
  // Popup, call interaction and outbox row: see PopupsRepository.record.
  record: `
    WITH popup AS (
      INSERT INTO popups (id, tenant_id, call_id, class, rang_at, payload) VALUES ($1, $2, $3, $4, $5, $6)
      ON CONFLICT (tenant_id, call_id) DO NOTHING RETURNING id
    ), interaction AS (
      INSERT INTO interactions (id, tenant_id, customer_id, call_id, popup_id, kind, occurred_at, summary, notes_allowed)
      SELECT $7, $2, $8::uuid, $3, popup.id, 'CALL', $5, $9, $10 FROM popup
      ON CONFLICT (tenant_id, call_id) WHERE call_id IS NOT NULL DO NOTHING RETURNING id
    ), event AS (
      INSERT INTO outbox (topic, key, value) SELECT $11, $12, $13 FROM popup RETURNING id
    )
    SELECT (SELECT count(*) FROM popup)::int AS popped`,
  findByCall: 'SELECT payload FROM popups WHERE tenant_id = $1 AND call_id = $2',
  rangSince: `
    SELECT payload FROM (
      SELECT payload, rang_at, id FROM popups WHERE tenant_id = $1 AND rang_at > $2 ORDER BY rang_at DESC, id DESC LIMIT $3
    ) newest ORDER BY rang_at, id`,
} satisfies Record<string, string>;

/**
 * Every popup as it was when its call rang (written once; the live facts of the call are its
 * interaction's), and the caller lookup that builds it.
 */
@Injectable()
export class PopupsRepository {
  /**
   * Claims a batch's events for `consumer` in one statement: returns the ids seen for the first
   * time (their dedup rows commit with the batch's writes), so a redelivered event changes nothing.
   */
  async claimEvents(m: EntityManager, consumer: string, eventIds: string[]): Promise<Set<string>> {
    if (eventIds.length === 0) return new Set();
    const rows: { id: string }[] = await m.query(popupsSql.claimEvents, [consumer, eventIds]);
    return new Set(rows.map((r) => r.id));
  }

  /**
   * How many customers carry the number, for a MULTIPLE_MATCHES popup whose list is cut at 5.
   * Separate from LOOKUP_SQL (which reads one more match than it lists) because only a number
   * shared by more than 5 customers needs it: the hot path stays one statement.
   */
  async countMatches(
    m: EntityManager,
    tenantId: string,
    keys: { e164: string | null; nationalDigits: string | null },
  ): Promise<number> {
    const rows: { n: string }[] = await m.query(popupsSql.countMatches, [tenantId, keys.e164, keys.nationalDigits]);
    return Number(rows[0]?.n ?? 0);
  }

  /**
   * Records a new popup in ONE statement (one round trip on the hot path): the popup (unique per
   * call: a second ring of the call inserts nothing and the rest is skipped), its call interaction
   * (which is the customer's last contact: the caller lookup reads it from there) and the outbox row
   * of its event. It writes no existing row, so rings of one caller never wait on each other's
   * locks (they did while it stamped customers.last_contact_at, which is no longer read or written:
   * docs/benchmarks.md, issue 21). Returns false when the call had its popup already.
   */
  async record(
    m: EntityManager,
    tenantId: string,
    p: PopupPayload,
    call: { interactionId: string; customerId: string | null; summary: string },
    event: OutboxRow,
  ): Promise<boolean> {
    const rows: { popped: number }[] = await m.query(popupsSql.record, [
      p.popupId,
      tenantId,
      p.callId,
      p.class,
      p.rangAt,
      JSON.stringify(p),
      call.interactionId,
      call.customerId,
      call.summary,
      p.notesAllowed,
      event.topic,
      event.key,
      event.value,
    ]);
    return (rows[0]?.popped ?? 0) > 0;
  }

  /** The popup as stored when the call rang (popups are written once). */
  async findByCall(m: EntityManager, tenantId: string, callId: string): Promise<PopupPayload | null> {
    const rows: { payload: PopupPayload }[] = await m.query(popupsSql.findByCall, [tenantId, callId]);
    return rows[0]?.payload ?? null;
  }

  /** The newest `limit` popups that rang after `since`, returned oldest first. */
  async rangSince(m: EntityManager, tenantId: string, since: Date, limit: number): Promise<PopupPayload[]> {
    const rows: { payload: PopupPayload }[] = await m.query(popupsSql.rangSince, [tenantId, since, limit]);
    return rows.map((r) => r.payload);
  }

  /** See LOOKUP_SQL. Keys are the caller's E.164 and national digits; with neither nothing can match. */
  async lookup(
    m: EntityManager,
    tenantId: string,
    keys: { e164: string | null; nationalDigits: string | null },
    limits: { matches: number; history: number },
  ): Promise<CallerLookup> {
    const empty: CallerLookup = {
      nuisance: null,
      employee: null,
      matches: [],
      phones: [],
      definitions: [],
      history: null,
    };
    if (!keys.e164 && !keys.nationalDigits) return empty;
    const rows: {
      nuisance: { note: string | null } | null;
      employee: { note: string | null } | null;
      // biome-ignore lint/suspicious/noExplicitAny: a customers row as JSON, turned into a Customer below
      matches: any[];
      phones: PhoneJson[];
      definitions: DefinitionJson[];
      purchases: PurchaseJson[];
      totals: PurchaseTotals;
      recent: CustomerHistory['recent'];
      followUps: CustomerHistory['followUps'];
      target: string | null;
    }[] = await preparedQuery(m, LOOKUP_NAME, LOOKUP_SQL, [
      tenantId,
      keys.e164,
      keys.nationalDigits,
      limits.matches,
      limits.history,
    ]);
    const r = rows[0];
    if (!r) return empty;
    return {
      nuisance: r.nuisance,
      employee: r.employee,
      matches: r.matches.map((c) =>
        toCustomer({ ...c, created_at: new Date(c.created_at), updated_at: new Date(c.updated_at) }),
      ),
      phones: r.phones.map((p) => ({
        id: p.id,
        customerId: p.customer_id,
        raw: p.raw,
        e164: p.e164,
        display: p.e164 ? normalizePhoneNumber(p.e164).display : null,
        type: p.type,
        label: p.label,
      })),
      definitions: r.definitions,
      history: r.target
        ? {
            purchases: r.purchases.map((p) => ({
              ...p,
              customerId: r.target as string,
              amountYen: Number(p.amountYen),
            })),
            totals: {
              ...r.totals,
              count: Number(r.totals.count),
              lifetimeValueYen: Number(r.totals.lifetimeValueYen),
            },
            recent: r.recent.map((i) => ({ ...i, occurredAt: new Date(i.occurredAt).toISOString() })),
            followUps: r.followUps,
          }
        : null,
    };
  }
}
