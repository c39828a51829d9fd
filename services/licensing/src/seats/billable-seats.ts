export interface SeatPeriod {
  deviceId: string;
  registeredAt: Date;
  /** Null while still registered. */
  deregisteredAt: Date | null;
}

/**
 * The PCs billed for a month: every device registered at any moment of [start, end), counted
 * once however often it was registered and deregistered (SPEC.md section 4).
 */
export function billableDevices(periods: readonly SeatPeriod[], start: Date, end: Date): string[] {
  const devices = new Set<string>();
  for (const p of periods) {
    const stillOn = p.deregisteredAt === null || p.deregisteredAt.getTime() > start.getTime();
    if (p.registeredAt.getTime() < end.getTime() && stillOn) devices.add(p.deviceId);
  }
  return [...devices].sort();
}
