import { Injectable } from '@nestjs/common';
import type { Role } from '@thankstar/platform';
import type { EntityManager } from 'typeorm';

/** An invitation as stored (`invitations`), without its token hash. */
export interface InvitationRecord {
  id: string;
  tenantId: string;
  email: string;
  name: string;
  roles: Role[];
  createdAt: Date;
  expiresAt: Date;
}

const INVITATION = `id, tenant_id AS "tenantId", email, name, roles, created_at AS "createdAt", expires_at AS "expiresAt"`;
const OPEN = 'accepted_at IS NULL AND cancelled_at IS NULL';

const sql = {
  cancelOpenFor: `
    UPDATE invitations SET cancelled_at = clock_timestamp()
    WHERE tenant_id = $1 AND email = $2 AND ${OPEN}`,
  insert: `
    INSERT INTO invitations (tenant_id, email, name, roles, token_hash, invited_by, expires_at)
    VALUES ($1, $2, $3, $4, $5, $6, clock_timestamp() + make_interval(secs => $7))
    RETURNING ${INVITATION}`,
  listOpen: `
    SELECT ${INVITATION} FROM invitations
    WHERE tenant_id = $1 AND ${OPEN}
    ORDER BY created_at DESC, id`,
  openForUpdate: `
    SELECT ${INVITATION} FROM invitations
    WHERE id = $2 AND tenant_id = $1 AND ${OPEN}
    FOR UPDATE`,
  renewToken: `
    WITH renewed AS (
      UPDATE invitations SET token_hash = $3, expires_at = clock_timestamp() + make_interval(secs => $4)
      WHERE id = $2 AND tenant_id = $1
      RETURNING *
    )
    SELECT ${INVITATION} FROM renewed`,
  cancel: `UPDATE invitations SET cancelled_at = clock_timestamp() WHERE id = $2 AND tenant_id = $1`,
  validByTokenForUpdate: `
    SELECT ${INVITATION} FROM invitations
    WHERE token_hash = $1 AND ${OPEN} AND expires_at > clock_timestamp()
    FOR UPDATE`,
  markAccepted: `UPDATE invitations SET accepted_at = clock_timestamp() WHERE id = $2 AND tenant_id = $1`,
};

/** The statements for review (sql/*.repository.sql, written by test/sql-review.test.ts). */
export const invitationsSql: Record<string, string> = sql;

/** Invitations into a tenant; only token hashes are stored. */
@Injectable()
export class InvitationsRepository {
  /** Cancels the address's open invitation into the tenant (inviting again replaces it). */
  async cancelOpenFor(m: EntityManager, tenantId: string, email: string): Promise<void> {
    await m.query(sql.cancelOpenFor, [tenantId, email]);
  }

  async insert(
    m: EntityManager,
    tenantId: string,
    invitation: { email: string; name: string; roles: Role[]; tokenHash: string; invitedBy: string | null },
    ttlSeconds: number,
  ): Promise<InvitationRecord> {
    const [row]: InvitationRecord[] = await m.query(sql.insert, [
      tenantId,
      invitation.email,
      invitation.name,
      invitation.roles,
      invitation.tokenHash,
      invitation.invitedBy,
      ttlSeconds,
    ]);
    if (!row) throw new Error('invitation not stored');
    return row;
  }

  /** Open (neither accepted nor cancelled) invitations, expired ones too, newest first. */
  async listOpen(m: EntityManager, tenantId: string): Promise<InvitationRecord[]> {
    return m.query(sql.listOpen, [tenantId]);
  }

  /** An open invitation of the tenant, locked. */
  async openForUpdate(m: EntityManager, tenantId: string, id: string): Promise<InvitationRecord | undefined> {
    const [row]: InvitationRecord[] = await m.query(sql.openForUpdate, [tenantId, id]);
    return row;
  }

  /** A new token hash and expiry (the older link stops working). */
  async renewToken(
    m: EntityManager,
    tenantId: string,
    id: string,
    tokenHash: string,
    ttlSeconds: number,
  ): Promise<InvitationRecord | undefined> {
    const [row]: InvitationRecord[] = await m.query(sql.renewToken, [tenantId, id, tokenHash, ttlSeconds]);
    return row;
  }

  async cancel(m: EntityManager, tenantId: string, id: string): Promise<void> {
    await m.query(sql.cancel, [tenantId, id]);
  }

  /** The open, unexpired invitation of a token hash (any tenant: the token is the proof), locked. */
  async validByTokenForUpdate(m: EntityManager, tokenHash: string): Promise<InvitationRecord | undefined> {
    const [row]: InvitationRecord[] = await m.query(sql.validByTokenForUpdate, [tokenHash]);
    return row;
  }

  async markAccepted(m: EntityManager, tenantId: string, id: string): Promise<void> {
    await m.query(sql.markAccepted, [tenantId, id]);
  }
}
