import { Injectable } from '@nestjs/common';
import type { CustomFieldType, PopupPayload } from '@thankstar/contracts';
import { normalizePhoneNumber } from '@thankstar/phone';
import type { EntityManager } from 'typeorm';
import type { CustomFieldDefinition } from '../custom-fields/validate';
import type { CustomerPhone, PhoneType, Purchase, PurchaseTotals } from '../customers/customer';
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

/** Every popup sent, as sent: `pendingPopups` and `popup(callId)` serve the stored payload. */
@Injectable()
export class PopupsRepository {
  /** False when the call already has a popup (a duplicate or replayed ring). */
  async insert(m: EntityManager, tenantId: string, p: PopupPayload): Promise<boolean> {
    const rows: unknown[] = await m.query(
      `INSERT INTO popups (id, tenant_id, call_id, class, rang_at, payload) VALUES ($1, $2, $3, $4, $5, $6)
       ON CONFLICT (tenant_id, call_id) DO NOTHING RETURNING id`,
      [p.popupId, tenantId, p.callId, p.class, p.rangAt, JSON.stringify(p)],
    );
    return rows.length > 0;
  }

  async findByCall(
    m: EntityManager,
    tenantId: string,
    callId: string,
    forUpdate = false,
  ): Promise<PopupPayload | null> {
    const rows: { payload: PopupPayload }[] = await m.query(
      `SELECT payload FROM popups WHERE tenant_id = $1 AND call_id = $2${forUpdate ? ' FOR UPDATE' : ''}`,
      [tenantId, callId],
    );
    return rows[0]?.payload ?? null;
  }

  async replacePayload(m: EntityManager, tenantId: string, p: PopupPayload): Promise<void> {
    await m.query('UPDATE popups SET payload = $3 WHERE tenant_id = $1 AND call_id = $2', [
      tenantId,
      p.callId,
      JSON.stringify(p),
    ]);
  }

  /** The newest `limit` popups that rang after `since`, returned oldest first. */
  async rangSince(m: EntityManager, tenantId: string, since: Date, limit: number): Promise<PopupPayload[]> {
    const rows: { payload: PopupPayload }[] = await m.query(
      `SELECT payload FROM (
         SELECT payload, rang_at, id FROM popups WHERE tenant_id = $1 AND rang_at > $2 ORDER BY rang_at DESC, id DESC LIMIT $3
       ) newest ORDER BY rang_at, id`,
      [tenantId, since, limit],
    );
    return rows.map((r) => r.payload);
  }

  /**
   * The popup's history of one customer in one statement (one round trip on the hot path):
   * numbers, the tenant's custom fields, the last `limit` purchases and totals, the last `limit`
   * interactions and the open follow-ups, soonest first.
   */
  async customerHistory(
    m: EntityManager,
    tenantId: string,
    customerId: string,
    limit: number,
  ): Promise<CustomerHistory> {
    const rows: {
      phones: { id: string; raw: string; e164: string | null; type: PhoneType; label: string | null }[];
      definitions: { key: string; label: string; type: CustomFieldType; options: string[]; required: boolean }[];
      purchases: {
        id: string;
        purchasedOn: string;
        item: string;
        quantity: number;
        amountYen: number;
        channel: string | null;
      }[];
      totals: PurchaseTotals;
      recent: CustomerHistory['recent'];
      followUps: CustomerHistory['followUps'];
    }[] = await m.query(
      `SELECT
         (SELECT COALESCE(json_agg(x), '[]') FROM (SELECT id, raw, e164, type, label FROM customer_phones
            WHERE tenant_id = $1 AND customer_id = $2 ORDER BY created_at, id) x) AS phones,
         (SELECT COALESCE(json_agg(x), '[]') FROM (SELECT key, label, type, options, required FROM custom_field_definitions
            WHERE tenant_id = $1 ORDER BY position, created_at) x) AS definitions,
         (SELECT COALESCE(json_agg(x), '[]') FROM (SELECT id, to_char(purchased_on, 'YYYY-MM-DD') AS "purchasedOn", item, quantity,
            amount_yen AS "amountYen", channel FROM purchases
            WHERE tenant_id = $1 AND customer_id = $2 ORDER BY purchased_on DESC, created_at DESC LIMIT $3) x) AS purchases,
         (SELECT json_build_object('count', count(*), 'lifetimeValueYen', COALESCE(sum(amount_yen), 0),
            'lastPurchaseOn', to_char(max(purchased_on), 'YYYY-MM-DD'))
            FROM purchases WHERE tenant_id = $1 AND customer_id = $2) AS totals,
         (SELECT COALESCE(json_agg(x), '[]') FROM (SELECT id, occurred_at AS "occurredAt", summary, notes, outcome,
            operator_name AS "operatorName" FROM interactions
            WHERE tenant_id = $1 AND customer_id = $2 ORDER BY occurred_at DESC, id LIMIT $3) x) AS recent,
         (SELECT COALESCE(json_agg(x), '[]') FROM (SELECT id, to_char(follow_up_on, 'YYYY-MM-DD') AS "followUpOn",
            follow_up_assignee_id AS "followUpAssigneeId", follow_up_assignee_name AS "followUpAssigneeName", notes, summary
            FROM interactions WHERE tenant_id = $1 AND customer_id = $2 AND follow_up_on IS NOT NULL AND NOT follow_up_done
            ORDER BY follow_up_on, occurred_at LIMIT $3) x) AS "followUps"`,
      [tenantId, customerId, limit],
    );
    const r = rows[0] as (typeof rows)[number];
    return {
      phones: r.phones.map((p) => ({
        ...p,
        customerId,
        display: p.e164 ? normalizePhoneNumber(p.e164).display : null,
      })),
      definitions: r.definitions,
      purchases: r.purchases.map((p) => ({ ...p, customerId, amountYen: Number(p.amountYen) })),
      totals: { ...r.totals, count: Number(r.totals.count), lifetimeValueYen: Number(r.totals.lifetimeValueYen) },
      recent: r.recent.map((i) => ({ ...i, occurredAt: new Date(i.occurredAt).toISOString() })),
      followUps: r.followUps,
    };
  }
}
