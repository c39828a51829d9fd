import { Injectable } from '@nestjs/common';
import type { Role } from '@thankstar/platform';
import type { EntityManager } from 'typeorm';

/** A tenant (`tenants`). */
export interface Tenant {
  id: string;
  name: string;
  timezone: string;
  /** The provider's own tenant, home of back-office, sales and platform-admin users. */
  isProvider: boolean;
  createdAt: Date;
}

/** A user (`users`); the email is stored lower-cased and unique across the platform. */
export interface User {
  id: string;
  tenantId: string;
  email: string;
  name: string;
  passwordHash: string;
  roles: Role[];
  disabledAt: Date | null;
  createdAt: Date;
}

const TENANT = `id, name, timezone, is_provider AS "isProvider", created_at AS "createdAt"`;
const USER = `id, tenant_id AS "tenantId", email, name, password_hash AS "passwordHash", roles,
       disabled_at AS "disabledAt", created_at AS "createdAt"`;

export type TenantSort = 'name' | 'createdAt';
const tenantSortColumns: Record<TenantSort, string> = { name: 'name', createdAt: 'created_at' };

const sql = {
  tenant: `SELECT ${TENANT} FROM tenants WHERE id = $1`,
  customerTenants: `SELECT ${TENANT} FROM tenants WHERE is_provider = false ORDER BY created_at`,
  // The back office's tenant list: a name search (substring, case-insensitive), one page, the
  // match count in the same round trip. ORDER BY is one of tenantSortColumns (never user text).
  customerTenantPage: `
    SELECT ${TENANT}, count(*) OVER () AS "total" FROM tenants
     WHERE is_provider = false AND ($1::text IS NULL OR name ILIKE '%' || $1 || '%' ESCAPE '\\')
     ORDER BY /*sort*/ LIMIT $2 OFFSET $3`,
  customerTenant: `SELECT ${TENANT} FROM tenants WHERE id = $1 AND is_provider = false`,
  insertTenant: `INSERT INTO tenants (name, timezone, is_provider) VALUES ($1, $2, false) RETURNING ${TENANT}`,
  user: `SELECT ${USER} FROM users WHERE id = $2 AND tenant_id = $1`,
  userForUpdate: `SELECT ${USER} FROM users WHERE id = $2 AND tenant_id = $1 FOR UPDATE`,
  userByEmail: `SELECT ${USER} FROM users WHERE email = $1`,
  usersOfTenant: `SELECT ${USER} FROM users WHERE tenant_id = $1 ORDER BY created_at`,
  activeTenantAdmins: `
    SELECT ${USER} FROM users
     WHERE tenant_id = $1 AND disabled_at IS NULL AND 'tenant-admin' = ANY(roles)
     ORDER BY created_at`,
  userNames: `SELECT id, name FROM users WHERE tenant_id = $1 AND id = ANY($2::uuid[])`,
  insertUser: `
    INSERT INTO users (tenant_id, email, name, roles, password_hash)
    VALUES ($1, $2, $3, $4, $5)
    RETURNING ${USER}`,
  disableUser: `UPDATE users SET disabled_at = $3 WHERE tenant_id = $1 AND id = $2`,
  setPasswordHash: `UPDATE users SET password_hash = $3 WHERE tenant_id = $1 AND id = $2`,
  voidPasswordResets: `
    UPDATE password_resets SET used_at = clock_timestamp()
    WHERE tenant_id = $1 AND user_id = $2 AND used_at IS NULL`,
  insertPasswordReset: `
    INSERT INTO password_resets (tenant_id, user_id, token_hash, expires_at)
    VALUES ($1, $2, $3, clock_timestamp() + make_interval(secs => $4))
    RETURNING expires_at AS "expiresAt"`,
  spendPasswordReset: `
    WITH spent AS (
      UPDATE password_resets SET used_at = clock_timestamp()
      WHERE token_hash = $1 AND used_at IS NULL AND expires_at > clock_timestamp()
      RETURNING user_id, tenant_id
    )
    SELECT user_id AS "userId", tenant_id AS "tenantId" FROM spent`,
};

/** The statements for review (sql/*.repository.sql, written by test/sql-review.test.ts). */
export const identitySql: Record<string, string> = sql;

/**
 * Tenants, users and password resets: who may sign in, and where. Other features read these
 * tables through this repository (seats for its users' names and the tenant's timezone; back
 * office for tenants), except the lease statements, which check `users.disabled_at` inside their
 * one statement (see leases.repository.ts).
 */
@Injectable()
export class IdentityRepository {
  async tenant(m: EntityManager, tenantId: string): Promise<Tenant | undefined> {
    const [tenant]: Tenant[] = await m.query(sql.tenant, [tenantId]);
    return tenant;
  }

  /** The tenant, which must exist (it is the caller's own, from the verified token). */
  async existingTenant(m: EntityManager, tenantId: string): Promise<Tenant> {
    const tenant = await this.tenant(m, tenantId);
    if (!tenant) throw new Error(`tenant ${tenantId} not found`);
    return tenant;
  }

  /** The provider's customers, oldest first (its own tenant left out). */
  async customerTenants(m: EntityManager): Promise<Tenant[]> {
    return m.query(sql.customerTenants);
  }

  /**
   * One page of the provider's customers whose name contains `search` (null: all), sorted by name
   * or creation, with how many match.
   */
  async customerTenantPage(
    m: EntityManager,
    search: string | null,
    page: { offset: number; limit: number; sort: TenantSort; descending: boolean },
  ): Promise<{ items: Tenant[]; total: number }> {
    const like = search === null ? null : search.replace(/[\\%_]/g, (c) => `\\${c}`);
    const order = `${tenantSortColumns[page.sort]} ${page.descending ? 'DESC' : 'ASC'}, id`;
    const rows: (Tenant & { total: string })[] = await m.query(sql.customerTenantPage.replace('/*sort*/', order), [
      like,
      page.limit,
      page.offset,
    ]);
    return { items: rows.map(({ total: _, ...t }) => t), total: Number(rows[0]?.total ?? 0) };
  }

  /** One customer tenant (the provider's own is not one). */
  async customerTenant(m: EntityManager, id: string): Promise<Tenant | undefined> {
    const [row]: Tenant[] = await m.query(sql.customerTenant, [id]);
    return row;
  }

  async insertTenant(m: EntityManager, tenant: { name: string; timezone: string }): Promise<Tenant> {
    const [row]: Tenant[] = await m.query(sql.insertTenant, [tenant.name, tenant.timezone]);
    if (!row) throw new Error('tenant not stored');
    return row;
  }

  async user(m: EntityManager, tenantId: string, userId: string, lock = false): Promise<User | undefined> {
    const [user]: User[] = await m.query(lock ? sql.userForUpdate : sql.user, [tenantId, userId]);
    return user;
  }

  /** Any tenant's user by address (sign-in needs only the address; it is unique platform-wide). */
  async userByEmail(m: EntityManager, email: string): Promise<User | undefined> {
    const [user]: User[] = await m.query(sql.userByEmail, [email]);
    return user;
  }

  async users(m: EntityManager, tenantId: string): Promise<User[]> {
    return m.query(sql.usersOfTenant, [tenantId]);
  }

  /** The tenant's admins who may sign in (not disabled): those told about the tenant's notices. */
  async activeTenantAdmins(m: EntityManager, tenantId: string): Promise<User[]> {
    return m.query(sql.activeTenantAdmins, [tenantId]);
  }

  /** Names of the tenant's users among `userIds` (users of another tenant are not found). */
  async userNames(m: EntityManager, tenantId: string, userIds: readonly string[]): Promise<Map<string, string>> {
    if (userIds.length === 0) return new Map();
    const rows: { id: string; name: string }[] = await m.query(sql.userNames, [tenantId, [...new Set(userIds)]]);
    return new Map(rows.map((r) => [r.id, r.name]));
  }

  /** Throws the driver's unique violation (23505) when the address is taken meanwhile. */
  async insertUser(
    m: EntityManager,
    tenantId: string,
    user: { email: string; name: string; roles: Role[]; passwordHash: string },
  ): Promise<User> {
    const [row]: User[] = await m.query(sql.insertUser, [
      tenantId,
      user.email,
      user.name,
      user.roles,
      user.passwordHash,
    ]);
    if (!row) throw new Error('user not stored');
    return row;
  }

  async disableUser(m: EntityManager, tenantId: string, userId: string, at: Date): Promise<void> {
    await m.query(sql.disableUser, [tenantId, userId, at]);
  }

  async setPasswordHash(m: EntityManager, tenantId: string, userId: string, passwordHash: string): Promise<void> {
    await m.query(sql.setPasswordHash, [tenantId, userId, passwordHash]);
  }

  /** Voids the user's unused reset links (a new one replaces them). */
  async voidPasswordResets(m: EntityManager, tenantId: string, userId: string): Promise<void> {
    await m.query(sql.voidPasswordResets, [tenantId, userId]);
  }

  /** Stores a reset link's hash; returns when it expires. */
  async insertPasswordReset(
    m: EntityManager,
    tenantId: string,
    userId: string,
    tokenHash: string,
    ttlSeconds: number,
  ): Promise<Date> {
    const [row]: { expiresAt: Date }[] = await m.query(sql.insertPasswordReset, [
      tenantId,
      userId,
      tokenHash,
      ttlSeconds,
    ]);
    if (!row) throw new Error('password reset not stored');
    return row.expiresAt;
  }

  /** Spends an unused, unexpired reset link (by its hash) once; its user, or undefined. */
  async spendPasswordReset(
    m: EntityManager,
    tokenHash: string,
  ): Promise<{ userId: string; tenantId: string } | undefined> {
    const [row]: { userId: string; tenantId: string }[] = await m.query(sql.spendPasswordReset, [tokenHash]);
    return row;
  }
}
