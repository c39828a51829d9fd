import { Inject, Injectable } from '@nestjs/common';
import { billableDevices, billablePeriods, isUuid, monthBounds, SESSIONS_TOPIC } from '@thankstar/contracts';
import { badInput, DomainError, enqueueEvent, notFound, type Principal } from '@thankstar/platform';
import { DataSource, type EntityManager } from 'typeorm';
import { CONFIG, type Config } from '../config';
import { IdentityRepository } from '../identity/identity.repository';
import { DesktopLeasesService } from '../leases/desktop-leases.service';
import { type Seat, SeatsRepository } from './seats.repository';

/** A seat with the name of the user it is registered to (a user of the seat's own tenant). */
export interface SeatWithUser extends Seat {
  userName: string | null;
  /** For the PCs page: the PC's last sign of life and whether its desktop is connected now. */
  lastSeenAt?: Date | null;
  connected?: boolean;
}

export interface BillableSeats {
  month: string;
  timeZone: string;
  deviceIds: string[];
  /** The registration periods of the billed PCs that cover a moment of the month. */
  seats: SeatWithUser[];
}

const seatNotRegistered = () => new DomainError('SEAT_NOT_REGISTERED');

/** Registered PCs (desktop clients). Every method is scoped to one tenant. */
@Injectable()
export class SeatsService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly seats: SeatsRepository,
    private readonly identity: IdentityRepository,
    private readonly desktopLeases: DesktopLeasesService,
    @Inject(CONFIG) private readonly config: Config,
  ) {}

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
      const user = await this.identity.user(m, tenantId, input.userId);
      if (!user) throw notFound('user');
      const seat = await this.registerIn(m, tenantId, {
        deviceId,
        name,
        userId: input.userId,
        registeredBy: principal.userId,
      });
      return { ...seat, userName: user.name };
    });
  }

  /** A new seat in the caller's transaction, with its `seat-registered` event (pairing uses it too). */
  async registerIn(
    m: EntityManager,
    tenantId: string,
    seat: { deviceId: string; name: string; userId: string; registeredBy: string },
  ): Promise<Seat> {
    const registered = await this.seats.register(m, tenantId, seat);
    if (!registered) throw new DomainError('SEAT_ALREADY_REGISTERED');
    await this.publish(m, registered, 'seat-registered', registered.registeredAt);
    return registered;
  }

  /**
   * Revokes a PC: its registration ends (so its device credential no longer admits it) and its
   * desktop lease ends as `revoked` in the same transaction; the gateway reads that event and
   * closes the PC's socket with SEAT_REVOKED (4416).
   */
  async deregister(principal: Principal, seatId: string): Promise<SeatWithUser> {
    if (!isUuid(seatId)) throw notFound('seat');
    return this.dataSource.transaction(async (m) => {
      const seat = await this.seats.deregister(m, principal.tenantId, seatId);
      if (!seat) throw notFound('seat');
      await this.desktopLeases.revokeSeatLeases(m, principal.tenantId, seat.id);
      await this.publish(m, seat, 'seat-deregistered', seat.deregisteredAt as Date);
      const [withUser] = await this.withUserNames(m, seat.tenantId, [seat]);
      return withUser as SeatWithUser;
    });
  }

  async list(tenantId: string, includeDeregistered: boolean): Promise<SeatWithUser[]> {
    const m = this.dataSource.manager;
    const seats = await this.withUserNames(m, tenantId, await this.seats.list(m, tenantId, includeDeregistered));
    const activity = new Map(
      (
        await this.seats.activity(
          m,
          tenantId,
          seats.map((s) => s.id),
          this.config.LEASE_TTL_SECONDS,
        )
      ).map((a) => [a.seatId, a]),
    );
    return seats.map((s) => ({
      ...s,
      lastSeenAt: activity.get(s.id)?.lastSeenAt ?? null,
      connected: activity.get(s.id)?.connected ?? false,
    }));
  }

  /** The desktop client's check: a PC with a live seat connects without a concurrent connection. */
  async findLive(tenantId: string, deviceId: string): Promise<Seat> {
    const seat = await this.seats.liveByDevice(this.dataSource.manager, tenantId, deviceId);
    if (!seat) throw seatNotRegistered();
    return seat;
  }

  /** PCs billed for `month` (YYYY-MM, the tenant's calendar month), with the registrations behind them. */
  async billableInMonth(tenantId: string, month: string): Promise<BillableSeats> {
    if (!isUuid(tenantId)) throw notFound('tenant');
    const m = this.dataSource.manager;
    const tenant = await this.identity.tenant(m, tenantId);
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
    const rows = await this.withUserNames(
      m,
      tenantId,
      await this.seats.overlapping(m, tenantId, bounds.start, bounds.end),
    );
    const periods = rows.map((row) => ({
      row,
      deviceId: row.deviceId,
      registeredAt: row.registeredAt,
      deregisteredAt: row.deregisteredAt,
    }));
    return {
      month,
      timeZone: tenant.timezone,
      deviceIds: billableDevices(periods, bounds.start, bounds.end),
      seats: billablePeriods(periods, bounds.start, bounds.end).map((p) => p.row),
    };
  }

  /** The seats with the names of their users (looked up in the seats' own tenant only). */
  private async withUserNames(m: EntityManager, tenantId: string, seats: Seat[]): Promise<SeatWithUser[]> {
    const names = await this.identity.userNames(
      m,
      tenantId,
      seats.map((s) => s.userId),
    );
    return seats.map((s) => ({ ...s, userName: names.get(s.userId) ?? null }));
  }

  private async publish(
    m: EntityManager,
    seat: Seat,
    kind: 'seat-registered' | 'seat-deregistered',
    at: Date,
  ): Promise<void> {
    await enqueueEvent(m, {
      topic: SESSIONS_TOPIC,
      key: seat.tenantId,
      tenantId: seat.tenantId,
      occurredAt: at,
      payload: { kind, seatId: seat.id, deviceId: seat.deviceId, at: at.toISOString() },
    });
  }
}
