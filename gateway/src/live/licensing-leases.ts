import { errorCatalogue, liveCloseCodes, USER_DISABLED_REASON } from '@thankstar/contracts';
import { connectionLimitReason, type LeaseHolder } from './lease-close-reason';

export type LeaseDeviceKind = 'web' | 'mobile';

export type LeaseOutcome =
  | { granted: true; leaseId: string; heartbeatSeconds: number }
  | { granted: false; closeCode: number; reason: string; ownHolders?: string[] };

/** The close reason of a revoked, unknown or copied device credential (final, 4416). */
export const SEAT_REVOKED_REASON = `SEAT_REVOKED: ${errorCatalogue.SEAT_REVOKED.ja}`;

/** licensing's lease APIs (`/v1/leases`, `/v1/desktop-leases`), called with the user's own token. */
export class LicensingLeases {
  constructor(
    private readonly baseUrl: string,
    private readonly timeoutMs = 3_000,
    /** Where heartbeats and releases go: web/mobile leases, or desktop leases (`desktop()`). */
    private readonly leasePath = '/v1/leases',
  ) {}

  /**
   * `ownHolders` of a refusal: the caller's own leases of the same kind and label (an earlier tab
   * of this user), which the gateway may take over (licensing answers each holder's userId).
   */
  async acquire(
    authorization: string,
    deviceKind: LeaseDeviceKind,
    label: string,
    userId?: string,
  ): Promise<LeaseOutcome> {
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
      const details = (body.details ?? {}) as {
        capacity?: number;
        holders?: (LeaseHolder & { leaseId?: string; userId?: string })[];
      };
      const holders = details.holders ?? [];
      const own = holders
        .filter((h) => userId && h.userId === userId && h.deviceKind === deviceKind && h.label === label)
        .map((h) => h.leaseId)
        .filter((id): id is string => typeof id === 'string');
      return {
        granted: false,
        closeCode: liveCloseCodes.CONNECTION_LIMIT_REACHED,
        reason: connectionLimitReason(details.capacity ?? 0, holders),
        ownHolders: own,
      };
    }
    return this.refusal(res, body);
  }

  /**
   * A desktop client's lease (`/v1/desktop-leases`): licensing admits it only with the device
   * credential of a live seat registered to the caller (saying "desktop" alone must not get round
   * the connection limit), takes no concurrent connection for it, and replaces an older
   * connection of the same PC. The lease is presence: billing sees a running desktop as someone in.
   */
  async acquireDesktop(authorization: string, deviceCredential: string, label: string): Promise<LeaseOutcome> {
    let res: Response;
    try {
      res = await this.call('POST', '/v1/desktop-leases', authorization, { deviceCredential, label });
    } catch {
      return unavailable();
    }
    const body = (await res.json().catch(() => undefined)) as Record<string, unknown> | undefined;
    if (res.status === 201 && typeof body?.leaseId === 'string') {
      return { granted: true, leaseId: body.leaseId, heartbeatSeconds: Number(body.heartbeatSeconds) || 15 };
    }
    // Unknown, revoked, another tenant's, or copied to another user: final, with the Japanese reason.
    if (res.status === 403 && body?.code === 'DEVICE_CREDENTIAL_INVALID') {
      return { granted: false, closeCode: liveCloseCodes.SEAT_REVOKED, reason: SEAT_REVOKED_REASON };
    }
    return this.refusal(res, body);
  }

  /** The same API for a desktop lease's heartbeats and release. */
  desktop(): LicensingLeases {
    return new LicensingLeases(this.baseUrl, this.timeoutMs, '/v1/desktop-leases');
  }

  /** Answers both lease kinds share: bad request, bad token, disabled user, licensing down. */
  private refusal(res: Response, body: Record<string, unknown> | undefined): LeaseOutcome {
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
      return { granted: false, closeCode: liveCloseCodes.USER_DISABLED, reason: USER_DISABLED_REASON };
    }
    return unavailable();
  }

  /**
   * 'ended' when licensing no longer knows the lease (expired, or ended by an admin); 'revoked'
   * when it was a desktop lease whose PC was revoked (so the socket closes with SEAT_REVOKED
   * whether the heartbeat or the session event tells the gateway first).
   */
  async heartbeat(authorization: string, leaseId: string): Promise<'alive' | 'ended' | 'revoked'> {
    const res = await this.call('POST', `${this.leasePath}/${encodeURIComponent(leaseId)}/heartbeat`, authorization);
    if (res.status === 404) return 'ended';
    if (res.status === 403) {
      const body = (await res.json().catch(() => undefined)) as { code?: string } | undefined;
      if (body?.code === 'DEVICE_CREDENTIAL_INVALID') return 'revoked';
    }
    if (!res.ok) throw new Error(`heartbeat answered ${res.status}`);
    return 'alive';
  }

  async release(authorization: string, leaseId: string): Promise<void> {
    await this.call('DELETE', `${this.leasePath}/${encodeURIComponent(leaseId)}`, authorization);
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
