import { createHash } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { isUuid, SESSIONS_TOPIC, type SessionPayload } from '@thankstar/contracts';
import { DomainError, enqueueEvent, type Principal } from '@thankstar/platform';
import { DataSource, type EntityManager } from 'typeorm';
import { CONFIG, type Config } from '../config';
import { DesktopLeasesRepository, type EndedDesktopLease } from './desktop-leases.repository';
import { leaseNotFound, leaseOfDisabledUser, userDisabled } from './lease.errors';
import { MAX_LABEL_LENGTH } from './lease-request';

const sha256 = (value: string): string => createHash('sha256').update(value).digest('hex');

/** An unknown, revoked or copied device credential: the gateway closes with SEAT_REVOKED (4416). */
export const deviceCredentialInvalid = () => new DomainError('DEVICE_CREDENTIAL_INVALID');

export interface DesktopLeaseRequest {
  deviceCredential: string;
  label: string;
}

/** Checks the body of `POST /v1/desktop-leases`: `{deviceCredential, label?}`. */
export function parseDesktopLeaseRequest(
  body: unknown,
): { ok: true; value: DesktopLeaseRequest } | { ok: false; message: { ja: string; en: string } } {
  if (typeof body !== 'object' || body === null)
    return {
      ok: false,
      message: {
        ja: 'JSON の本文 {deviceCredential, label} を送ってください。',
        en: 'Send a JSON body {deviceCredential, label}.',
      },
    };
  const { deviceCredential, label = 'Desktop client' } = body as Record<string, unknown>;
  if (typeof deviceCredential !== 'string' || !/^[A-Za-z0-9_-]{43}$/.test(deviceCredential)) {
    return {
      ok: false,
      message: {
        ja: 'deviceCredential には、この PC の登録（ペアリング）で受け取った端末資格情報を送ってください。',
        en: 'deviceCredential must be the PC’s device credential from its pairing.',
      },
    };
  }
  if (typeof label !== 'string' || label.trim() === '' || label.length > MAX_LABEL_LENGTH) {
    return {
      ok: false,
      message: {
        ja: `label は1〜${MAX_LABEL_LENGTH}文字で入力してください。`,
        en: `label must be a non-empty text of at most ${MAX_LABEL_LENGTH} characters.`,
      },
    };
  }
  return { ok: true, value: { deviceCredential, label: label.trim() } };
}

/**
 * Leases of running desktop clients. A desktop client uses its PC's seat licence, never a
 * concurrent connection, so these leases take no slot (`lease_slots`) and leave the usage series
 * alone; they exist so that a running desktop is presence like any other client (docs/product-rules.md#nobody-in): the
 * same `connected` / `disconnected` facts on licensing.sessions.v1, the same heartbeats and
 * expiry. One live desktop lease per seat: a newer connection of the PC replaces the older, whose
 * next heartbeat then fails and the gateway closes it (LEASE_ENDED).
 */
@Injectable()
export class DesktopLeasesService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly repo: DesktopLeasesRepository,
    @Inject(CONFIG) private readonly config: Config,
  ) {}

  async acquire(
    principal: Principal,
    request: DesktopLeaseRequest,
  ): Promise<{ leaseId: string; expiresAt: string; heartbeatSeconds: number; replaced: string[] }> {
    return this.dataSource.transaction(async (m) => {
      // The PC proves itself with the credential its pairing gave it; the seat is bound to its
      // user, so the credential copied to another user's browser admits nothing. The seat row
      // lock serialises two connections of one PC (and a revocation).
      const seat = await this.repo.liveSeatByCredentialForUpdate(
        m,
        principal.tenantId,
        sha256(request.deviceCredential),
        principal.userId,
      );
      if (!seat) throw deviceCredentialInvalid();
      const disabled = await this.repo.userDisabled(m, principal.tenantId, principal.userId);
      if (disabled !== false) throw userDisabled();
      const replaced = await this.repo.endLeasesOfSeat(m, principal.tenantId, seat.id);
      const lease = await this.repo.insert(m, principal.tenantId, {
        userId: principal.userId,
        userName: principal.name ?? '',
        label: request.label,
        ttlSeconds: this.config.LEASE_TTL_SECONDS,
        seatId: seat.id,
      });
      await publishEnds(m, replaced);
      await publish(m, principal.tenantId, {
        kind: 'connected',
        leaseId: lease.id,
        userId: principal.userId,
        deviceKind: 'desktop',
        at: lease.acquiredAt.toISOString(),
      });
      return {
        leaseId: lease.id,
        expiresAt: lease.expiresAt.toISOString(),
        heartbeatSeconds: this.config.LEASE_HEARTBEAT_SECONDS,
        replaced: replaced.map((r) => r.id),
      };
    });
  }

  /** Extends a live desktop lease of the caller while its seat is still registered. */
  async heartbeat(principal: Principal, leaseId: string): Promise<void> {
    if (!isUuid(leaseId)) throw leaseNotFound();
    const outcome = await this.repo.extend(
      this.dataSource.manager,
      principal.tenantId,
      principal.userId,
      leaseId,
      this.config.LEASE_TTL_SECONDS,
    );
    if (outcome === 'user-disabled') throw leaseOfDisabledUser();
    // The gateway closes the socket with SEAT_REVOKED on it, as on the `revoked` event.
    if (outcome === 'revoked') throw deviceCredentialInvalid();
    if (outcome === 'not-found') throw leaseNotFound();
  }

  /** The holder closes its desktop lease; closing one already ended succeeds (a retried close). */
  async release(principal: Principal, leaseId: string): Promise<void> {
    if (!isUuid(leaseId)) throw leaseNotFound();
    await this.dataSource.transaction(async (m) => {
      const lease = await this.repo.ownForUpdate(m, principal.tenantId, leaseId, principal.userId);
      if (!lease) throw leaseNotFound();
      if (lease.ended) return;
      await publishEnds(m, await this.repo.close(m, principal.tenantId, leaseId));
    });
  }

  /** Ends the seat's live desktop lease as `revoked` (its PC was revoked) in the caller's transaction. */
  async revokeSeatLeases(m: EntityManager, tenantId: string, seatId: string): Promise<number> {
    const ended = await this.repo.revokeLeasesOfSeat(m, tenantId, seatId);
    await publishEnds(m, ended);
    return ended.length;
  }

  /** Ends desktop leases whose client stopped heartbeating, as of their expiry; returns how many. */
  async expireOverdue(limit = 500): Promise<number> {
    return this.dataSource.transaction(async (m) => {
      const ended = await this.repo.expireOverdue(m, limit);
      await publishEnds(m, ended);
      return ended.length;
    });
  }

  /**
   * Ends every live desktop lease of a user (disabled by an admin) in the caller's transaction,
   * with their `disconnected` events; LeasesService.endUserLeases calls it beside the slot leases.
   */
  async endUserLeases(m: EntityManager, tenantId: string, userId: string): Promise<number> {
    const ended = await this.repo.endUserLeases(m, tenantId, userId);
    await publishEnds(m, ended);
    return ended.length;
  }
}

// Desktop leases are few (one per PC and connection), so their events go straight to the outbox
// in the lease's own transaction rather than through lease_usage's batches.
async function publishEnds(m: EntityManager, ended: readonly EndedDesktopLease[]): Promise<void> {
  for (const e of ended) {
    await publish(m, e.tenantId, {
      kind: 'disconnected',
      leaseId: e.id,
      userId: e.userId,
      reason: e.endReason,
      deviceKind: 'desktop',
      at: e.endedAt.toISOString(),
    });
  }
}

async function publish(m: EntityManager, tenantId: string, payload: SessionPayload): Promise<void> {
  await enqueueEvent(m, { topic: SESSIONS_TOPIC, key: tenantId, tenantId, occurredAt: new Date(payload.at), payload });
}
