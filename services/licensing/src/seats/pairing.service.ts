import { Injectable } from '@nestjs/common';
import { isUuid } from '@thankstar/contracts';
import { badInput, DomainError, notFound, type Principal } from '@thankstar/platform';
import { DataSource } from 'typeorm';
import { IdentityRepository } from '../identity/identity.repository';
import { PairingRepository } from './pairing.repository';
import { newPairingCode, newSecret, normalizePairingCode, PAIRING_TTL_SECONDS, sha256 } from './pairing-code';
import type { Seat } from './seats.repository';
import { SeatsRepository } from './seats.repository';
import { SeatsService, type SeatWithUser } from './seats.service';

/** Pairing requests one user may make in PAIRING_RATE_WINDOW_SECONDS. */
export const PAIRING_RATE_LIMIT = 5;
export const PAIRING_RATE_WINDOW_SECONDS = 600;

export type PairingState = 'PENDING' | 'APPROVED' | 'DELIVERED' | 'EXPIRED';

const pairingNotFound = () => new DomainError('PAIRING_NOT_FOUND');

/**
 * Desktop pairing (docs/product-rules.md#concurrent-connections): the signed-in operator's PC asks
 * for a code, a tenant admin approves the code, and the PC receives a device credential once. The
 * credential (its hash on the seat) is what admits the PC as a desktop from then on; revoking the
 * seat (SeatsService.deregister) voids it and ends the PC's connection.
 */
@Injectable()
export class PairingService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly pairings: PairingRepository,
    private readonly seats: SeatsRepository,
    private readonly seatsService: SeatsService,
    private readonly identity: IdentityRepository,
  ) {}

  /** A new pairing for the caller's PC: the code to show and the secret to poll with (both only here). */
  async request(
    principal: Principal,
    pcName: string | undefined,
  ): Promise<{ id: string; code: string; secret: string; pcName: string; expiresAt: string }> {
    const name = (pcName ?? '').trim() || `${principal.name ?? 'デスクトップ'}のPC`;
    if (name.length > 100)
      throw badInput({
        ja: 'PCの名前は1〜100文字で指定してください。',
        en: 'Give the PC a name of 1 to 100 characters.',
      });
    const code = newPairingCode();
    const secret = newSecret();
    return this.dataSource.transaction(async (m) => {
      // The user's row lock serialises their requests, so the limit cannot be raced past.
      const user = await this.identity.user(m, principal.tenantId, principal.userId, true);
      if (!user) throw notFound('user');
      const recent = await this.pairings.requestedSince(
        m,
        principal.tenantId,
        principal.userId,
        PAIRING_RATE_WINDOW_SECONDS,
      );
      if (recent >= PAIRING_RATE_LIMIT) throw new DomainError('PAIRING_RATE_LIMITED');
      const row = await this.pairings.insert(m, principal.tenantId, {
        userId: principal.userId,
        codeHash: sha256(normalizePairingCode(code) as string),
        secretHash: sha256(secret),
        pcName: name,
        ttlSeconds: PAIRING_TTL_SECONDS,
      });
      return { id: row.id, code, secret, pcName: name, expiresAt: row.expiresAt.toISOString() };
    });
  }

  /** What an admin sees before approving: the PC's name, its user and when it asked. */
  async preview(principal: Principal, typedCode: string) {
    const code = normalizePairingCode(typedCode);
    if (!code) throw pairingNotFound();
    const m = this.dataSource.manager;
    const pairing = await this.pairings.pendingByCode(m, principal.tenantId, sha256(code));
    if (!pairing) throw pairingNotFound();
    const names = await this.identity.userNames(m, principal.tenantId, [pairing.userId]);
    return { ...pairing, userName: names.get(pairing.userId) ?? '' };
  }

  /**
   * A tenant admin approves a code of their own tenant: a new seat for the pairing's user and PC.
   * With the pairing's polling secret (the admin is signed in on that very PC: one-click
   * registration) the answer carries the device credential; otherwise the PC collects it by polling.
   */
  async approve(
    principal: Principal,
    input: { code: string; name?: string | undefined; secret?: string | undefined },
  ): Promise<{ seat: SeatWithUser; deviceCredential: string | null }> {
    const code = normalizePairingCode(input.code);
    if (!code) throw pairingNotFound();
    const tenantId = principal.tenantId;
    return this.dataSource.transaction(async (m) => {
      const pairing = await this.pairings.pendingByCodeForUpdate(m, tenantId, sha256(code));
      if (!pairing) throw pairingNotFound();
      const user = await this.identity.user(m, tenantId, pairing.userId);
      if (!user) throw pairingNotFound();
      const name = input.name?.trim() || pairing.pcName;
      if (name.length > 100)
        throw badInput({
          ja: 'PCの名前は1〜100文字で指定してください。',
          en: 'Give the PC a name of 1 to 100 characters.',
        });
      const here = input.secret !== undefined && sha256(input.secret) === pairing.secretHash;
      const credential = here ? newSecret() : null;
      const seat = await this.seatsService.registerIn(m, tenantId, {
        deviceId: `pc-${pairing.id}`,
        name,
        userId: pairing.userId,
        registeredBy: principal.userId,
      });
      let bound: Seat = seat;
      if (credential) bound = (await this.seats.setCredential(m, tenantId, seat.id, sha256(credential))) ?? seat;
      await this.pairings.approve(m, tenantId, pairing.id, {
        approvedBy: principal.userId,
        seatId: seat.id,
        delivered: credential !== null,
      });
      return { seat: { ...bound, userName: user.name }, deviceCredential: credential };
    });
  }

  /**
   * The PC polls its own pairing (the requesting user, with the pairing's secret). Once approved,
   * the first poll makes the device credential, stores its hash on the seat and answers it; it is
   * never shown again (DELIVERED).
   */
  async claim(
    principal: Principal,
    pairingId: string,
    secret: string,
  ): Promise<{ status: PairingState; deviceCredential: string | null; seatId: string | null; pcName: string }> {
    if (!isUuid(pairingId)) throw pairingNotFound();
    return this.dataSource.transaction(async (m) => {
      const pairing = await this.pairings.ownForUpdate(m, principal.tenantId, pairingId, principal.userId);
      if (!pairing || pairing.secretHash !== sha256(secret)) throw pairingNotFound();
      const base = { seatId: pairing.seatId, pcName: pairing.pcName, deviceCredential: null };
      if (!pairing.seatId) return { ...base, status: pairing.expired ? 'EXPIRED' : 'PENDING' };
      if (pairing.delivered) return { ...base, status: 'DELIVERED' };
      const credential = newSecret();
      const seat = await this.seats.setCredential(m, principal.tenantId, pairing.seatId, sha256(credential));
      await this.pairings.markDelivered(m, principal.tenantId, pairing.id);
      // Revoked before the PC collected it: nothing to deliver.
      if (!seat) return { ...base, status: 'DELIVERED' };
      return { ...base, status: 'APPROVED', deviceCredential: credential };
    });
  }
}
