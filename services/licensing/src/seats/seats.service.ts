import { Injectable } from '@nestjs/common';
import { billableDevices, billablePeriods, isUuid, monthBounds, SESSIONS_TOPIC } from '@thankstar/contracts';
import { badInput, DomainError, enqueueEvent, notFound, type Principal } from '@thankstar/platform';
import { DataSource, type EntityManager } from 'typeorm';

export interface SeatRow {
  id: string;
  tenant_id: string;
  device_id: string;
  name: string;
  user_id: string;
  registered_at: Date;
  deregistered_at: Date | null;
}

/** A seat with the name of the user it is registered to (a user of the seat's own tenant). */
export interface SeatWithUser extends SeatRow {
  user_name: string;
}

export interface BillableSeats {
  month: string;
  timeZone: string;
  deviceIds: string[];
  /** The registration periods of the billed PCs that cover a moment of the month. */
  seats: SeatWithUser[];
}

/** Seats (`s`) with their user's name; the user is looked up in the seat's own tenant only. */
const WITH_USER = `SELECT s.*, u.name AS user_name FROM seats s
  LEFT JOIN users u ON u.id = s.user_id AND u.tenant_id = s.tenant_id`;

const seatNotRegistered = () => new DomainError('SEAT_NOT_REGISTERED');

/** Registered PCs (desktop clients). Every method is scoped to one tenant. */
@Injectable()
export class SeatsService {
  constructor(private readonly dataSource: DataSource) {}

  async register(
    principal: Principal,
    input: { deviceId: string; name: string; userId: string },
  ): Promise<SeatWithUser> {
    const deviceId = input.deviceId.trim();
    const name = input.name.trim();
    if (!deviceId || deviceId.length > 200)
      throw badInput({
        ja: 'PCのデバイスIDを1〜200文字で指定してください。',
        en: 'Give the PC’s device id (1 to 200 characters).',
      });
    if (!name || name.length > 100)
      throw badInput({
        ja: 'PCの名前は1〜100文字で指定してください。',
        en: 'Give the PC a name of 1 to 100 characters.',
      });
    const tenantId = principal.tenantId;
    return this.dataSource.transaction(async (m) => {
      if (!isUuid(input.userId)) throw notFound('user');
      const [user]: { id: string; name: string }[] = await m.query(
        'SELECT id, name FROM users WHERE id = $1 AND tenant_id = $2',
        [input.userId, tenantId],
      );
      if (!user) throw notFound('user');
      const [seat]: SeatRow[] = await m.query(
        `INSERT INTO seats (tenant_id, device_id, name, user_id, registered_by) VALUES ($1, $2, $3, $4, $5)
         ON CONFLICT (tenant_id, device_id) WHERE deregistered_at IS NULL DO NOTHING RETURNING *`,
        [tenantId, deviceId, name, input.userId, principal.userId],
      );
      if (!seat) throw new DomainError('SEAT_ALREADY_REGISTERED');
      await this.publish(m, seat, 'seat-registered', seat.registered_at);
      return { ...seat, user_name: user.name };
    });
  }

  async deregister(principal: Principal, seatId: string): Promise<SeatWithUser> {
    if (!isUuid(seatId)) throw notFound('seat');
    return this.dataSource.transaction(async (m) => {
      const [seat]: SeatWithUser[] = await m.query(
        `WITH s AS (
           UPDATE seats SET deregistered_at = clock_timestamp()
           WHERE id = $1 AND tenant_id = $2 AND deregistered_at IS NULL RETURNING *
         )
         SELECT s.*, u.name AS user_name FROM s LEFT JOIN users u ON u.id = s.user_id AND u.tenant_id = s.tenant_id`,
        [seatId, principal.tenantId],
      );
      if (!seat) throw notFound('seat');
      await this.publish(m, seat, 'seat-deregistered', seat.deregistered_at as Date);
      return seat;
    });
  }

  async list(tenantId: string, includeDeregistered: boolean): Promise<SeatWithUser[]> {
    return this.dataSource.query(
      `${WITH_USER} WHERE s.tenant_id = $1 ${includeDeregistered ? '' : 'AND s.deregistered_at IS NULL'}
       ORDER BY s.registered_at, s.id`,
      [tenantId],
    );
  }

  /** The desktop client's check: a PC with a live seat connects without a concurrent connection. */
  async findLive(tenantId: string, deviceId: string): Promise<SeatRow> {
    const [seat]: SeatRow[] = await this.dataSource.query(
      'SELECT * FROM seats WHERE tenant_id = $1 AND device_id = $2 AND deregistered_at IS NULL',
      [tenantId, deviceId],
    );
    if (!seat) throw seatNotRegistered();
    return seat;
  }

  /** PCs billed for `month` (YYYY-MM, the tenant's calendar month), with the registrations behind them. */
  async billableInMonth(tenantId: string, month: string): Promise<BillableSeats> {
    if (!isUuid(tenantId)) throw notFound('tenant');
    const [tenant] = await this.dataSource.query('SELECT timezone FROM tenants WHERE id = $1', [tenantId]);
    if (!tenant) throw notFound('tenant');
    let bounds: { start: Date; end: Date };
    try {
      bounds = monthBounds(month, tenant.timezone);
    } catch {
      throw badInput({
        ja: '月は YYYY-MM 形式で指定してください（例: 2026-11）。',
        en: 'Give the month as YYYY-MM, e.g. 2026-11.',
      });
    }
    // The SQL only narrows the rows read (a superset of the month); which of them are billed is
    // decided by billableDevices alone, the rule billing's invoice uses too.
    const rows: SeatWithUser[] = await this.dataSource.query(
      `${WITH_USER} WHERE s.tenant_id = $1 AND s.registered_at < $3
         AND (s.deregistered_at IS NULL OR s.deregistered_at >= $2)`,
      [tenantId, bounds.start, bounds.end],
    );
    const periods = rows.map((row) => ({
      row,
      deviceId: row.device_id,
      registeredAt: row.registered_at,
      deregisteredAt: row.deregistered_at,
    }));
    return {
      month,
      timeZone: tenant.timezone,
      deviceIds: billableDevices(periods, bounds.start, bounds.end),
      seats: billablePeriods(periods, bounds.start, bounds.end).map((p) => p.row),
    };
  }

  private async publish(
    m: EntityManager,
    seat: SeatRow,
    kind: 'seat-registered' | 'seat-deregistered',
    at: Date,
  ): Promise<void> {
    await enqueueEvent(m, {
      topic: SESSIONS_TOPIC,
      key: seat.tenant_id,
      tenantId: seat.tenant_id,
      occurredAt: at,
      payload: { kind, seatId: seat.id, deviceId: seat.device_id, at: at.toISOString() },
    });
  }
}
