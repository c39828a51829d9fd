import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';

/** A registered PC (`seats`): one live registration per device id and tenant. */
export interface Seat {
  id: string;
  tenantId: string;
  deviceId: string;
  name: string;
  userId: string;
  registeredAt: Date;
  deregisteredAt: Date | null;
  /** Whether a paired desktop client holds its credential (false for a seat registered by a typed id). */
  paired: boolean;
}

/** A seat as the PCs page lists it: when its PC was last seen and whether it is connected now. */
export interface SeatActivity {
  seatId: string;
  lastSeenAt: Date | null;
  connected: boolean;
}

const SEAT = `id, tenant_id AS "tenantId", device_id AS "deviceId", name, user_id AS "userId",
       registered_at AS "registeredAt", deregistered_at AS "deregisteredAt",
       credential_hash IS NOT NULL AS paired`;

/** The statement of `list`, with or without the deregistered seats. */
const listSql = (includeDeregistered: boolean) => `
    SELECT ${SEAT} FROM seats
    WHERE tenant_id = $1${includeDeregistered ? '' : ' AND deregistered_at IS NULL'}
    ORDER BY registered_at, id`;

const sql = {
  setCredential: `
    WITH s AS (
      UPDATE seats SET credential_hash = $3
      WHERE tenant_id = $1 AND id = $2 AND deregistered_at IS NULL
      RETURNING *
    )
    SELECT ${SEAT} FROM s`,
  // The PC's last sign of life: the last use of its credential, or its desktop lease's last
  // heartbeat (a live lease was extended to expires_at at its last heartbeat, TTL = $3 s).
  // leases is the leases feature's table, read here for the list only.
  activity: `
    SELECT s.id AS "seatId",
           greatest(s.credential_used_at,
                    (SELECT max(coalesce(l.ended_at, least(clock_timestamp(), l.expires_at - make_interval(secs => $3))))
                       FROM leases l WHERE l.seat_id = s.id)) AS "lastSeenAt",
           EXISTS (SELECT 1 FROM leases l
                    WHERE l.seat_id = s.id AND l.ended_at IS NULL AND l.expires_at > clock_timestamp()) AS connected
      FROM seats s
     WHERE s.tenant_id = $1 AND s.id = ANY($2::uuid[])`,
  register: `
    INSERT INTO seats (tenant_id, device_id, name, user_id, registered_by) VALUES ($1, $2, $3, $4, $5)
    ON CONFLICT (tenant_id, device_id) WHERE deregistered_at IS NULL DO NOTHING
    RETURNING ${SEAT}`,
  deregister: `
    WITH s AS (
      UPDATE seats SET deregistered_at = clock_timestamp()
      WHERE tenant_id = $1 AND id = $2 AND deregistered_at IS NULL
      RETURNING *
    )
    SELECT ${SEAT} FROM s`,
  listLive: listSql(false),
  listAll: listSql(true),
  liveByDevice: `SELECT ${SEAT} FROM seats WHERE tenant_id = $1 AND device_id = $2 AND deregistered_at IS NULL`,
  overlapping: `
    SELECT ${SEAT} FROM seats
    WHERE tenant_id = $1 AND registered_at < $3 AND (deregistered_at IS NULL OR deregistered_at >= $2)`,
};

/** The statements for review (sql/*.repository.sql, written by test/sql-review.test.ts). */
export const seatsSql: Record<string, string> = sql;

/** Registered PCs (desktop clients). Every method is scoped to one tenant. */
@Injectable()
export class SeatsRepository {
  /** The new seat, or undefined when the device already has a live seat in the tenant. */
  async register(
    m: EntityManager,
    tenantId: string,
    seat: { deviceId: string; name: string; userId: string; registeredBy: string },
  ): Promise<Seat | undefined> {
    const [row]: Seat[] = await m.query(sql.register, [
      tenantId,
      seat.deviceId,
      seat.name,
      seat.userId,
      seat.registeredBy,
    ]);
    return row;
  }

  /** Ends a live seat's registration now; undefined when there is no such live seat. */
  async deregister(m: EntityManager, tenantId: string, seatId: string): Promise<Seat | undefined> {
    const [row]: Seat[] = await m.query(sql.deregister, [tenantId, seatId]);
    return row;
  }

  async list(m: EntityManager, tenantId: string, includeDeregistered: boolean): Promise<Seat[]> {
    return m.query(includeDeregistered ? sql.listAll : sql.listLive, [tenantId]);
  }

  async liveByDevice(m: EntityManager, tenantId: string, deviceId: string): Promise<Seat | undefined> {
    const [row]: Seat[] = await m.query(sql.liveByDevice, [tenantId, deviceId]);
    return row;
  }

  /** Gives a live seat the hash of its (new) device credential; undefined when the seat is gone. */
  async setCredential(
    m: EntityManager,
    tenantId: string,
    seatId: string,
    credentialHash: string,
  ): Promise<Seat | undefined> {
    const [row]: Seat[] = await m.query(sql.setCredential, [tenantId, seatId, credentialHash]);
    return row;
  }

  /** Last seen and connected, per seat. */
  async activity(m: EntityManager, tenantId: string, seatIds: string[], ttlSeconds: number): Promise<SeatActivity[]> {
    return m.query(sql.activity, [tenantId, seatIds, ttlSeconds]);
  }

  /** Registrations that cover a moment of [start, end) (a superset of what is billed for it). */
  async overlapping(m: EntityManager, tenantId: string, start: Date, end: Date): Promise<Seat[]> {
    return m.query(sql.overlapping, [tenantId, start, end]);
  }
}
