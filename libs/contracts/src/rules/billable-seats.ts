import { monthBounds } from './month-bounds';

/** One registration of a PC (a seat row): from registration until deregistration. */
export interface SeatPeriod {
  deviceId: string;
  registeredAt: Date;
  /** Null while still registered. */
  deregisteredAt: Date | null;
}

/**
 * Whether a registration period covers any moment of [start, end). Both are half-open: a seat
 * is registered over [registeredAt, deregisteredAt), so one deregistered exactly at `start`
 * (00:00 on the 1st) was not registered in the month, and one registered exactly at `end`
 * belongs to the next month. A registration deregistered at the instant it was made covers no
 * moment at all and bills nothing.
 */
export function registeredDuring(p: SeatPeriod, start: Date, end: Date): boolean {
  const from = Math.max(p.registeredAt.getTime(), start.getTime());
  const to = Math.min(p.deregisteredAt === null ? Number.POSITIVE_INFINITY : p.deregisteredAt.getTime(), end.getTime());
  return from < to;
}

/**
 * The PCs billed for a month: every device registered at any moment of [start, end), counted
 * once however often it was registered and deregistered (docs/product-rules.md#desktop-seats). This is the one
 * definition: licensing's billableSeats and billing's software-fee line both use it.
 */
export function billableDevices(periods: readonly SeatPeriod[], start: Date, end: Date): string[] {
  return [...new Set(billablePeriods(periods, start, end).map((p) => p.deviceId))].sort();
}

/** `billableDevices` for a calendar month (`YYYY-MM`) in the tenant's time zone. */
export function billableDevicesInMonth(periods: readonly SeatPeriod[], month: string, timeZone: string): string[] {
  const { start, end } = monthBounds(month, timeZone);
  return billableDevices(periods, start, end);
}

/**
 * The registration periods behind a month's bill: each period that covers a moment of
 * [start, end), oldest registration first (then by device id). A PC registered twice in the
 * month has two periods here and is still billed once (`billableDevices`).
 */
export function billablePeriods<P extends SeatPeriod>(periods: readonly P[], start: Date, end: Date): P[] {
  return periods
    .filter((p) => registeredDuring(p, start, end))
    .sort(
      (a, b) =>
        a.registeredAt.getTime() - b.registeredAt.getTime() ||
        (a.deviceId < b.deviceId ? -1 : a.deviceId > b.deviceId ? 1 : 0),
    );
}
