import type { EntityManager } from 'typeorm';
import type { Exemption } from './rate';

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
}

/** The SQL of rating: every method takes the tenant id first. */
export const ratingRepository = {
  /** Rated once per tenant and call: a second popup of the same call changes nothing. */
  async insertRatedCall(m: EntityManager, row: RatedCallRow): Promise<boolean> {
    const inserted: unknown[] = await m.query(
      `INSERT INTO rated_calls (tenant_id, call_id, popup_id, class, rang_at, local_date, popup_yen, list_input_yen,
         amount_yen, exemption, plan_version_id)
       VALUES ($1, $2, $3, $4, $5, $6, $7::int, $8::int, $7::int + $8::int, $9, $10)
       ON CONFLICT (tenant_id, call_id) DO NOTHING RETURNING call_id`,
      [
        row.tenantId,
        row.callId,
        row.popupId,
        row.popupClass,
        row.rangAt,
        row.localDate,
        row.popupYen,
        row.listInputYen,
        row.exemption,
        row.planVersionId,
      ],
    );
    return inserted.length > 0;
  },

  /** Whether any operator client of the tenant was connected at that instant. */
  async anyoneInAt(m: EntityManager, tenantId: string, at: string): Promise<boolean> {
    const rows: unknown[] = await m.query(
      `SELECT 1 FROM presence_intervals
        WHERE tenant_id = $1 AND connected_at <= $2 AND (disconnected_at IS NULL OR disconnected_at > $2) LIMIT 1`,
      [tenantId, at],
    );
    return rows.length > 0;
  },

  async connected(m: EntityManager, tenantId: string, leaseId: string, at: string): Promise<void> {
    await m.query(
      `INSERT INTO presence_intervals (lease_id, tenant_id, connected_at) VALUES ($2, $1, $3)
       ON CONFLICT (lease_id) DO UPDATE SET connected_at = EXCLUDED.connected_at
       WHERE presence_intervals.tenant_id = EXCLUDED.tenant_id`,
      [tenantId, leaseId, at],
    );
  },

  async disconnected(m: EntityManager, tenantId: string, leaseId: string, at: string): Promise<void> {
    await m.query(
      `INSERT INTO presence_intervals (lease_id, tenant_id, disconnected_at) VALUES ($2, $1, $3)
       ON CONFLICT (lease_id) DO UPDATE SET disconnected_at = EXCLUDED.disconnected_at
       WHERE presence_intervals.tenant_id = EXCLUDED.tenant_id`,
      [tenantId, leaseId, at],
    );
  },

  async seatRegistered(
    m: EntityManager,
    tenantId: string,
    seatId: string,
    deviceId: string,
    at: string,
  ): Promise<void> {
    await m.query(
      `INSERT INTO seats (seat_id, tenant_id, device_id, registered_at) VALUES ($2, $1, $3, $4)
       ON CONFLICT (seat_id) DO UPDATE SET registered_at = EXCLUDED.registered_at
       WHERE seats.tenant_id = EXCLUDED.tenant_id`,
      [tenantId, seatId, deviceId, at],
    );
  },

  async seatDeregistered(
    m: EntityManager,
    tenantId: string,
    seatId: string,
    deviceId: string,
    at: string,
  ): Promise<void> {
    await m.query(
      `INSERT INTO seats (seat_id, tenant_id, device_id, deregistered_at) VALUES ($2, $1, $3, $4)
       ON CONFLICT (seat_id) DO UPDATE SET deregistered_at = EXCLUDED.deregistered_at
       WHERE seats.tenant_id = EXCLUDED.tenant_id`,
      [tenantId, seatId, deviceId, at],
    );
  },

  /** Desktop PCs registered at any time in the month (first day given), month bounds in the tenant's zone. */
  async pcsRegisteredInMonth(m: EntityManager, tenantId: string, firstDay: string, timezone: string): Promise<number> {
    const [row] = await m.query(
      `SELECT count(*)::int AS n FROM seats
        WHERE tenant_id = $1
          AND registered_at < (($2::date + interval '1 month')::timestamp AT TIME ZONE $3)
          AND (deregistered_at IS NULL OR deregistered_at >= ($2::date::timestamp AT TIME ZONE $3))`,
      [tenantId, firstDay, timezone],
    );
    return row.n;
  },
};
