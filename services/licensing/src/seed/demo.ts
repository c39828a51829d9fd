import { demo } from '@thankstar/platform';
import type { EntityManager } from 'typeorm';
import { hashPassword } from '../identity/password';

/** Licensing's part of the demo tenant: the tenant, an operator and a tenant admin. Idempotent. */
export async function seedDemo(manager: EntityManager): Promise<void> {
  await manager.query(
    `INSERT INTO tenants (id, name, timezone) VALUES ($1, $2, 'Asia/Tokyo') ON CONFLICT (id) DO NOTHING`,
    [demo.tenantId, demo.tenantName],
  );
  for (const [user, roles] of [
    [demo.operator, ['operator']],
    [demo.admin, ['tenant-admin', 'operator']],
  ] as const) {
    await manager.query(
      `INSERT INTO users (id, tenant_id, email, name, password_hash, roles) VALUES ($1, $2, $3, $4, $5, $6)
       ON CONFLICT (id) DO NOTHING`,
      [user.id, demo.tenantId, user.email, user.name, await hashPassword(user.password), roles],
    );
  }
}
