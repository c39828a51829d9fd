import { MAX_CLOSE_REASON_BYTES } from '@thankstar/contracts';

export interface LeaseHolder {
  userName: string;
  deviceKind: string;
  label: string;
}

/**
 * The close reason of a refused connection: JSON with the code, the capacity and who holds the
 * connections. A close reason carries at most 123 bytes, so holders that do not fit are
 * counted in `more` (the full list is `Query.activeLeases` for tenant admins).
 */
export function connectionLimitReason(capacity: number, holders: LeaseHolder[]): string {
  const names = holders.map((h) => `${h.label || h.deviceKind}${h.userName ? ` / ${h.userName}` : ''}`);
  for (let shown = names.length; shown >= 0; shown--) {
    const more = names.length - shown;
    const reason = JSON.stringify({
      code: 'CONNECTION_LIMIT_REACHED',
      capacity,
      holders: names.slice(0, shown),
      ...(more > 0 ? { more } : {}),
    });
    if (Buffer.byteLength(reason) <= MAX_CLOSE_REASON_BYTES) return reason;
  }
  return JSON.stringify({ code: 'CONNECTION_LIMIT_REACHED', capacity, more: names.length });
}
