import { liveCloseCodes, USER_DISABLED_REASON } from './close-codes';
import { connectionLimitReason, type LeaseHolder } from './lease-close-reason';

export type LeaseDeviceKind = 'web' | 'mobile';

export type LeaseOutcome =
  | { granted: true; leaseId: string; heartbeatSeconds: number }
  | { granted: false; closeCode: number; reason: string };

/** licensing's lease API (`/v1/leases`), called with the user's own token. */
export class LicensingLeases {
  constructor(
    private readonly baseUrl: string,
    private readonly timeoutMs = 3_000,
  ) {}

  async acquire(authorization: string, deviceKind: LeaseDeviceKind, label: string): Promise<LeaseOutcome> {
    let res: Response;
    try {
      res = await this.call('POST', '/v1/leases', authorization, { deviceKind, label });
    } catch {
      return unavailable();
    }
    const body = (await res.json().catch(() => undefined)) as Record<string, unknown> | undefined;
    if (res.status === 201 && typeof body?.leaseId === 'string') {
      return { granted: true, leaseId: body.leaseId, heartbeatSeconds: Number(body.heartbeatSeconds) || 15 };
    }
    if (res.status === 409 && body?.code === 'CONNECTION_LIMIT_REACHED') {
      const details = (body.details ?? {}) as { capacity?: number; holders?: LeaseHolder[] };
      return {
        granted: false,
        closeCode: liveCloseCodes.CONNECTION_LIMIT_REACHED,
        reason: connectionLimitReason(details.capacity ?? 0, details.holders ?? []),
      };
    }
    if (res.status === 400) {
      return {
        granted: false,
        closeCode: liveCloseCodes.BAD_CONNECTION_PARAMS,
        reason: `BAD_REQUEST: ${String(body?.message ?? '').slice(0, 100)}`,
      };
    }
    if (res.status === 401) {
      return {
        granted: false,
        closeCode: liveCloseCodes.UNAUTHENTICATED,
        reason: 'UNAUTHENTICATED: the access token is invalid',
      };
    }
    if (res.status === 403 && body?.code === 'USER_DISABLED') {
      return {
        granted: false,
        closeCode: liveCloseCodes.USER_DISABLED,
        reason: USER_DISABLED_REASON,
      };
    }
    return unavailable();
  }

  /**
   * A desktop client connects without a lease only when its PC holds a live seat in the
   * caller's tenant: saying "desktop" alone must not get round the connection limit.
   */
  async checkSeat(authorization: string, deviceId: string): Promise<LeaseOutcome | undefined> {
    let res: Response;
    try {
      res = await this.call('GET', `/v1/seats/by-device/${encodeURIComponent(deviceId)}`, authorization);
    } catch {
      return unavailable();
    }
    await res.arrayBuffer().catch(() => undefined);
    if (res.ok) return undefined;
    if (res.status === 404) {
      return {
        granted: false,
        closeCode: liveCloseCodes.SEAT_REQUIRED,
        reason: 'SEAT_REQUIRED: this PC has no desktop seat; register it or connect as a web client',
      };
    }
    if (res.status === 401) {
      return {
        granted: false,
        closeCode: liveCloseCodes.UNAUTHENTICATED,
        reason: 'UNAUTHENTICATED: the access token is invalid',
      };
    }
    return unavailable();
  }

  /** False when licensing no longer knows the lease (expired, or ended by an admin). */
  async heartbeat(authorization: string, leaseId: string): Promise<boolean> {
    const res = await this.call('POST', `/v1/leases/${encodeURIComponent(leaseId)}/heartbeat`, authorization);
    if (res.status === 404) return false;
    if (!res.ok) throw new Error(`heartbeat answered ${res.status}`);
    return true;
  }

  async release(authorization: string, leaseId: string): Promise<void> {
    await this.call('DELETE', `/v1/leases/${encodeURIComponent(leaseId)}`, authorization);
  }

  private call(method: string, path: string, authorization: string, body?: unknown): Promise<Response> {
    return fetch(`${this.baseUrl}${path}`, {
      method,
      headers: { authorization, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      signal: AbortSignal.timeout(this.timeoutMs),
    });
  }
}

// Without licensing the limit cannot be checked; refusing keeps the contract's limit honest.
const unavailable = (): LeaseOutcome => ({
  granted: false,
  closeCode: liveCloseCodes.LEASE_UNAVAILABLE,
  reason: 'LEASE_UNAVAILABLE: connections cannot be counted right now; retry shortly',
});
