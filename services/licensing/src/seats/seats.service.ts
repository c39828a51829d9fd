import { Injectable } from '@nestjs/common';
import { SESSIONS_TOPIC } from '@thankstar/contracts';
import { badInput, DomainError, enqueueEvent, notFound, type Principal } from '@thankstar/platform';
import { DataSource, type EntityManager } from 'typeorm';
import { billableDevices } from './billable-seats';
import { monthBounds } from './month-bounds';

export interface SeatRow {
  id: string;
  tenant_id: string;
  device_id: string;
  name: string;
  user_id: string;
  registered_at: Date;
  deregistered_at: Date | null;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

const seatNotRegistered = () =>
  new DomainError('SEAT_NOT_REGISTERED', 'This PC has no seat licence. Ask your administrator to register it.', 404);

/** Registered PCs (desktop clients). Every method is scoped to one tenant. */
@Injectable()
export class SeatsService {
  constructor(private readonly dataSource: DataSource) {}

  async register(principal: Principal, input: { deviceId: string; name: string; userId: string }): Promise<SeatRow> {
    const deviceId = input.deviceId.trim();
    const name = input.name.trim();
    if (!deviceId || deviceId.length > 200) throw badInput('Give the PC’s device id (1 to 200 characters).');
    if (!name || name.length > 100) throw badInput('Give the PC a name of 1 to 100 characters.');
    const tenantId = principal.tenantId;
    return this.dataSource.transaction(async (m) => {
      if (!UUID.test(input.userId)) throw notFound('The user');
      const [user] = await m.query('SELECT id FROM users WHERE id = $1 AND tenant_id = $2', [input.userId, tenantId]);
      if (!user) throw notFound('The user');
      const [seat]: SeatRow[] = await m.query(
        `INSERT INTO seats (tenant_id, device_id, name, user_id, registered_by) VALUES ($1, $2, $3, $4, $5)
         ON CONFLICT (tenant_id, device_id) WHERE deregistered_at IS NULL DO NOTHING RETURNING *`,
        [tenantId, deviceId, name, input.userId, principal.userId],
      );
      if (!seat) throw new DomainError('SEAT_ALREADY_REGISTERED', 'This PC is already registered.', 409);
      await this.publish(m, seat, 'seat-registered', seat.registered_at);
      return seat;
    });
  }

  async deregister(principal: Principal, seatId: string): Promise<SeatRow> {
    if (!UUID.test(seatId)) throw notFound('The registered PC');
    return this.dataSource.transaction(async (m) => {
      const [rows]: [SeatRow[]] = await m.query(
        `UPDATE seats SET deregistered_at = clock_timestamp()
         WHERE id = $1 AND tenant_id = $2 AND deregistered_at IS NULL RETURNING *`,
        [seatId, principal.tenantId],
      );
      const seat = rows[0];
      if (!seat) throw notFound('The registered PC');
      await this.publish(m, seat, 'seat-deregistered', seat.deregistered_at as Date);
      return seat;
    });
  }

  async list(tenantId: string, includeDeregistered: boolean): Promise<SeatRow[]> {
    return this.dataSource.query(
      `SELECT * FROM seats WHERE tenant_id = $1 ${includeDeregistered ? '' : 'AND deregistered_at IS NULL'}
       ORDER BY registered_at, id`,
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

  /** PCs billed for `month` (YYYY-MM, the tenant's calendar month). */
  async billableInMonth(
    tenantId: string,
    month: string,
  ): Promise<{ month: string; timeZone: string; deviceIds: string[] }> {
    if (!UUID.test(tenantId)) throw notFound('The tenant');
    const [tenant] = await this.dataSource.query('SELECT timezone FROM tenants WHERE id = $1', [tenantId]);
    if (!tenant) throw notFound('The tenant');
    let bounds: { start: Date; end: Date };
    try {
      bounds = monthBounds(month, tenant.timezone);
    } catch {
      throw badInput('Give the month as YYYY-MM, e.g. 2026-11.');
    }
    const rows: SeatRow[] = await this.dataSource.query(
      `SELECT * FROM seats WHERE tenant_id = $1 AND registered_at < $3 AND (deregistered_at IS NULL OR deregistered_at > $2)`,
      [tenantId, bounds.start, bounds.end],
    );
    const deviceIds = billableDevices(
      rows.map((r) => ({ deviceId: r.device_id, registeredAt: r.registered_at, deregisteredAt: r.deregistered_at })),
      bounds.start,
      bounds.end,
    );
    return { month, timeZone: tenant.timezone, deviceIds };
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
