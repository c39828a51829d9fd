import { Injectable } from '@nestjs/common';
import { billableDevicesInMonth, monthBounds, type PopupClass, type SeatPeriod } from '@thankstar/contracts';
import type { EntityManager } from 'typeorm';
import type { DayKind } from '../calendar/business-calendar';
import { firstDay, lastDay } from '../calendar/month';
import type { RatedCallCount } from '../invoicing/invoice';
import type { Exemption, PopupPrices } from './rate';

export interface RatedCallRow {
  tenantId: string;
  callId: string;
  popupId: string;
  popupClass: string;
  rangAt: string;
  localDate: string;
  popupYen: number;
  listInputYen: number;
  exemption: Exemption | null;
  planVersionId: string | null;
  dayKind: DayKind | null;
  listInputSurchargeYen: number;
  /** The month the call is billed in: its local month, or a later one if that was invoiced (0007). */
  billedMonth: string;
}

/**
 * A late rated call (billed after its own month; decision 0007); `alias` is the table's alias with
 * its dot. The predicate of the partial index rated_calls_late (migration 1764400900000), so the
 * planner can use that index.
 */
export const lateCall = (alias = ''): string =>
  `make_date(substr(${alias}billed_month, 1, 4)::int, substr(${alias}billed_month, 6, 2)::int, 1) > ${alias}local_date`;

/** The calls of one tenant billed in a month with the same price, by the month they belong to. */
export interface BilledCallCount extends RatedCallCount {
  tenantId: string;
  /** The call's own local month (YYYY-MM); before the billed month for a late call. */
  usedMonth: string;
}

/** One day and class of a month's usage. */
export interface UsageDay {
  date: string;
  class: string;
  popups: number;
  billedPopups: number;
  amountYen: number;
}

/** An after-hours call whose price depends on presence. */
export interface AfterHoursCall {
  callId: string;
  popupClass: PopupClass;
  rangAt: string;
  exemption: Exemption | null;
  popupYen: number;
  listInputYen: number;
  listInputSurchargeYen: number;
  prices: PopupPrices;
}

const statements = {
  insertRatedCalls: `INSERT INTO rated_calls (tenant_id, call_id, popup_id, class, rang_at, local_date, popup_yen, list_input_yen,
         amount_yen, exemption, plan_version_id, day_kind, list_input_surcharge_yen, billed_month)
       SELECT t, c, p, k, r, d, py, ly, py + ly, e, v, dk, s, bm
         FROM unnest($1::uuid[], $2::text[], $3::uuid[], $4::text[], $5::timestamptz[], $6::date[], $7::int[],
                     $8::int[], $9::text[], $10::uuid[], $11::text[], $12::int[], $13::text[])
              WITH ORDINALITY AS x(t, c, p, k, r, d, py, ly, e, v, dk, s, bm, n)
        ORDER BY n
       ON CONFLICT (tenant_id, call_id) DO NOTHING RETURNING call_id`,
  anyoneInAtMany: `SELECT DISTINCT x.t AS tenant_id, (extract(epoch FROM x.at) * 1000)::bigint::text AS ms
         FROM unnest($1::uuid[], $2::timestamptz[]) AS x(t, at)
        WHERE EXISTS (SELECT 1 FROM presence_intervals p
                       WHERE p.tenant_id = x.t AND p.connected_at <= x.at
                         AND (p.disconnected_at IS NULL OR p.disconnected_at > x.at))`,
  anyoneInAt: `SELECT 1 FROM presence_intervals
        WHERE tenant_id = $1 AND connected_at <= $2 AND (disconnected_at IS NULL OR disconnected_at > $2) LIMIT 1`,
  afterHoursBilledMonths: `SELECT DISTINCT r.billed_month FROM presence_intervals p
         JOIN rated_calls r ON r.tenant_id = p.tenant_id AND r.day_kind = 'after-hours' AND r.rang_at >= p.connected_at
        WHERE p.tenant_id = $1 AND p.lease_id = $2 AND p.connected_at IS NOT NULL`,
  afterHoursCallsDuring: `SELECT r.call_id, r.class, r.rang_at, r.exemption, r.popup_yen, r.list_input_yen, r.list_input_surcharge_yen,
              v.popup_prices
         FROM presence_intervals p
         JOIN rated_calls r ON r.tenant_id = p.tenant_id AND r.day_kind = 'after-hours'
              AND r.rang_at >= p.connected_at
         JOIN plan_versions v ON v.id = r.plan_version_id
        WHERE p.tenant_id = $1 AND p.lease_id = $2 AND p.connected_at IS NOT NULL
          AND NOT EXISTS (SELECT 1 FROM invoices i WHERE i.tenant_id = r.tenant_id AND i.kind = 'invoice'
                            AND i.status IN ('issued', 'paid') AND i.month = r.billed_month)
        FOR UPDATE OF r`,
  updateRating: `UPDATE rated_calls SET popup_yen = $3::int, list_input_yen = $4::int, amount_yen = $3::int + $4::int, exemption = $5
        WHERE tenant_id = $1 AND call_id = $2`,
  connected: `INSERT INTO presence_intervals (lease_id, tenant_id, connected_at) VALUES ($2, $1, $3)
       ON CONFLICT (lease_id) DO UPDATE SET connected_at = EXCLUDED.connected_at
       WHERE presence_intervals.tenant_id = EXCLUDED.tenant_id`,
  disconnected: `INSERT INTO presence_intervals (lease_id, tenant_id, disconnected_at) VALUES ($2, $1, $3)
       ON CONFLICT (lease_id) DO UPDATE SET disconnected_at = EXCLUDED.disconnected_at
       WHERE presence_intervals.tenant_id = EXCLUDED.tenant_id`,
  seatRegistered: `INSERT INTO seats (seat_id, tenant_id, device_id, registered_at) VALUES ($2, $1, $3, $4)
       ON CONFLICT (seat_id) DO UPDATE SET registered_at = EXCLUDED.registered_at
       WHERE seats.tenant_id = EXCLUDED.tenant_id`,
  seatDeregistered: `INSERT INTO seats (seat_id, tenant_id, device_id, deregistered_at) VALUES ($2, $1, $3, $4)
       ON CONFLICT (seat_id) DO UPDATE SET deregistered_at = EXCLUDED.deregistered_at
       WHERE seats.tenant_id = EXCLUDED.tenant_id`,
  seatsTouchingMonth: `SELECT s.tenant_id, s.device_id, s.registered_at, s.deregistered_at
           FROM unnest($1::uuid[], $2::timestamptz[], $3::timestamptz[]) AS x(t, month_start, month_end)
           JOIN seats s ON s.tenant_id = x.t AND s.registered_at < x.month_end
            AND (s.deregistered_at IS NULL OR s.deregistered_at >= x.month_start)`,
  billedCallCounts: `
    SELECT tenant_id, to_char(local_date, 'YYYY-MM') AS used_month, class, popup_yen, list_input_yen, exemption,
           count(*)::int AS n
      FROM (SELECT tenant_id, local_date, class, popup_yen, list_input_yen, exemption FROM rated_calls
             WHERE tenant_id = ANY($1::uuid[]) AND local_date BETWEEN $2 AND $3 AND billed_month = $4
            UNION ALL
            SELECT tenant_id, local_date, class, popup_yen, list_input_yen, exemption FROM rated_calls
             WHERE tenant_id = ANY($1::uuid[]) AND billed_month = $4 AND ${lateCall()}) r
     GROUP BY tenant_id, used_month, class, popup_yen, list_input_yen, exemption`,
  usageByDay: `
    SELECT local_date::text AS date, class, count(*)::int AS "popups",
           count(*) FILTER (WHERE amount_yen > 0)::int AS "billedPopups", sum(amount_yen)::int AS "amountYen"
      FROM rated_calls
     WHERE tenant_id = $1 AND local_date BETWEEN $2 AND $3
     GROUP BY local_date, class ORDER BY local_date, class`,
  lastPricedMonthAfter: `
    SELECT to_char(max(local_date), 'YYYY-MM') AS month FROM rated_calls
     WHERE tenant_id = $1 AND amount_yen > 0 AND local_date >= (($2 || '-01')::date + interval '1 month')`,
};

/** Every statement of rating, for the SQL review file (sql/rating.repository.sql). */
export const ratingSql: Record<string, string> = statements;
const sql = statements;

/** The SQL of rating (rated calls, presence, seats): every method takes the tenant id first. */
@Injectable()
export class RatingRepository {
  /**
   * Rated once per tenant and call, a batch in one statement: calls already stored, and repeats
   * of a call within the batch after its first, change nothing. Returns the rows inserted.
   */
  async insertRatedCalls(m: EntityManager, rows: readonly RatedCallRow[]): Promise<number> {
    if (rows.length === 0) return 0;
    const col = <T>(f: (r: RatedCallRow) => T) => rows.map(f);
    const inserted: unknown[] = await m.query(sql.insertRatedCalls, [
      col((r) => r.tenantId),
      col((r) => r.callId),
      col((r) => r.popupId),
      col((r) => r.popupClass),
      col((r) => r.rangAt),
      col((r) => r.localDate),
      col((r) => r.popupYen),
      col((r) => r.listInputYen),
      col((r) => r.exemption),
      col((r) => r.planVersionId),
      col((r) => r.dayKind),
      col((r) => r.listInputSurchargeYen),
      col((r) => r.billedMonth),
    ]);
    return inserted.length;
  }

  /**
   * Which of these (tenant, instant) pairs had an operator client of the tenant connected, in one
   * query; keys are `${tenantId}|${epoch ms}`.
   */
  async anyoneInAtMany(m: EntityManager, moments: readonly { tenantId: string; at: string }[]): Promise<Set<string>> {
    if (moments.length === 0) return new Set();
    const rows: { tenant_id: string; ms: string }[] = await m.query(sql.anyoneInAtMany, [
      moments.map((x) => x.tenantId),
      moments.map((x) => x.at),
    ]);
    return new Set(rows.map((r) => `${r.tenant_id}|${r.ms}`));
  }

  /** Whether any operator client of the tenant was connected at that instant. */
  async anyoneInAt(m: EntityManager, tenantId: string, at: string): Promise<boolean> {
    const rows: unknown[] = await m.query(sql.anyoneInAt, [tenantId, at]);
    return rows.length > 0;
  }

  /** The months the after-hours calls since a lease connected are billed in (to lock them first). */
  async afterHoursBilledMonths(m: EntityManager, tenantId: string, leaseId: string): Promise<string[]> {
    const rows: { billed_month: string }[] = await m.query(sql.afterHoursBilledMonths, [tenantId, leaseId]);
    return rows.map((r) => r.billed_month);
  }

  /**
   * After-hours calls since a lease connected (its window may have just opened or closed), billed
   * in months not yet invoiced (an issued invoice never changes; decision 0007), with what
   * re-rating them needs.
   */
  async afterHoursCallsDuring(m: EntityManager, tenantId: string, leaseId: string): Promise<AfterHoursCall[]> {
    const rows = await m.query(sql.afterHoursCallsDuring, [tenantId, leaseId]);
    return rows.map((r: Record<string, unknown>) => ({
      callId: r.call_id as string,
      popupClass: r.class as PopupClass,
      rangAt: (r.rang_at as Date).toISOString(),
      exemption: r.exemption as Exemption | null,
      popupYen: r.popup_yen as number,
      listInputYen: r.list_input_yen as number,
      listInputSurchargeYen: r.list_input_surcharge_yen as number,
      prices: r.popup_prices as PopupPrices,
    }));
  }

  async updateRating(
    m: EntityManager,
    tenantId: string,
    callId: string,
    rated: { popupYen: number; listInputYen: number; exemption: Exemption | null },
  ): Promise<void> {
    await m.query(sql.updateRating, [tenantId, callId, rated.popupYen, rated.listInputYen, rated.exemption]);
  }

  async connected(m: EntityManager, tenantId: string, leaseId: string, at: string): Promise<void> {
    await m.query(sql.connected, [tenantId, leaseId, at]);
  }

  async disconnected(m: EntityManager, tenantId: string, leaseId: string, at: string): Promise<void> {
    await m.query(sql.disconnected, [tenantId, leaseId, at]);
  }

  async seatRegistered(
    m: EntityManager,
    tenantId: string,
    seatId: string,
    deviceId: string,
    at: string,
  ): Promise<void> {
    await m.query(sql.seatRegistered, [tenantId, seatId, deviceId, at]);
  }

  async seatDeregistered(
    m: EntityManager,
    tenantId: string,
    seatId: string,
    deviceId: string,
    at: string,
  ): Promise<void> {
    await m.query(sql.seatDeregistered, [tenantId, seatId, deviceId, at]);
  }

  /**
   * PCs billed in the month starting `firstDay` (YYYY-MM-01), for many tenants (each in its own
   * zone) in one query; absent = 0. The SQL only reads each tenant's seat rows that may touch the
   * month (a superset, boundaries inclusive); which PCs are billed, once per device however often
   * re-registered, is decided by `billableDevicesInMonth` from libs/contracts, the same rule
   * licensing's billableSeats applies.
   */
  async pcsRegisteredInMonthMany(
    m: EntityManager,
    tenants: readonly { tenantId: string; timezone: string }[],
    firstDay: string,
  ): Promise<Map<string, number>> {
    if (tenants.length === 0) return new Map();
    const month = firstDay.slice(0, 7);
    const bounds = tenants.map((t) => monthBounds(month, t.timezone));
    const rows: { tenant_id: string; device_id: string; registered_at: Date; deregistered_at: Date | null }[] =
      await m.query(sql.seatsTouchingMonth, [
        tenants.map((t) => t.tenantId),
        bounds.map((b) => b.start.toISOString()),
        bounds.map((b) => b.end.toISOString()),
      ]);
    const byTenant = new Map<string, SeatPeriod[]>();
    for (const r of rows) {
      const list = byTenant.get(r.tenant_id) ?? [];
      list.push({ deviceId: r.device_id, registeredAt: r.registered_at, deregisteredAt: r.deregistered_at });
      byTenant.set(r.tenant_id, list);
    }
    const out = new Map<string, number>();
    for (const t of tenants) {
      const periods = byTenant.get(t.tenantId.toLowerCase()) ?? byTenant.get(t.tenantId) ?? [];
      const n = billableDevicesInMonth(periods, month, t.timezone).length;
      if (n > 0) out.set(t.tenantId, n);
    }
    return out;
  }

  /**
   * The calls billed in `month` (billed_month, decision 0007) of these tenants, counted by the
   * month each belongs to, class, prices and exemption: on-time ones through the by-day index,
   * late ones through the partial index of late calls.
   */
  async billedCallCounts(m: EntityManager, tenantIds: readonly string[], month: string): Promise<BilledCallCount[]> {
    if (tenantIds.length === 0) return [];
    const rows: {
      tenant_id: string;
      used_month: string;
      class: RatedCallCount['popupClass'];
      popup_yen: number;
      list_input_yen: number;
      exemption: RatedCallCount['exemption'];
      n: number;
    }[] = await m.query(sql.billedCallCounts, [tenantIds, firstDay(month), lastDay(month), month]);
    return rows.map((r) => ({
      tenantId: r.tenant_id,
      usedMonth: r.used_month,
      popupClass: r.class,
      popupYen: r.popup_yen,
      listInputYen: r.list_input_yen,
      exemption: r.exemption,
      count: r.n,
    }));
  }

  /** Popups of a tenant's month per local day and class (the usage screen). */
  usageByDay(m: EntityManager, tenantId: string, month: string): Promise<UsageDay[]> {
    return m.query(sql.usageByDay, [tenantId, firstDay(month), lastDay(month)]);
  }

  /** The last month after `month` in which a call of the tenant was priced (amount > 0), or null. */
  async lastPricedMonthAfter(m: EntityManager, tenantId: string, month: string): Promise<string | null> {
    const [row]: { month: string | null }[] = await m.query(sql.lastPricedMonthAfter, [tenantId, month]);
    return row?.month ?? null;
  }
}
