export interface SeatPeriod {
  deviceId: string;
  registeredAt: Date;
  /** Null while still registered. */
  deregisteredAt: Date | null;
}

/** Whether a registration period covers any moment of [start, end). */
const overlaps = (p: SeatPeriod, start: Date, end: Date): boolean =>
  p.registeredAt.getTime() < end.getTime() &&
  (p.deregisteredAt === null || p.deregisteredAt.getTime() > start.getTime());

/**
 * The PCs billed for a month: every device registered at any moment of [start, end), counted
 * once however often it was registered and deregistered (SPEC.md section 4).
 */
export function billableDevices(periods: readonly SeatPeriod[], start: Date, end: Date): string[] {
  return [...new Set(billablePeriods(periods, start, end).map((p) => p.deviceId))].sort();
}

/**
 * The registration periods behind a month's bill: each period that covers a moment of
 * [start, end), oldest registration first (then by device id). A PC registered twice in the
 * month has two periods here and is still billed once (`billableDevices`).
 */
export function billablePeriods<P extends SeatPeriod>(periods: readonly P[], start: Date, end: Date): P[] {
  return periods
    .filter((p) => overlaps(p, start, end))
    .sort(
      (a, b) =>
        a.registeredAt.getTime() - b.registeredAt.getTime() ||
        (a.deviceId < b.deviceId ? -1 : a.deviceId > b.deviceId ? 1 : 0),
    );
}
