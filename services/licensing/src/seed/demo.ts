import { demo } from '@thankstar/platform/testing';
import type { EntityManager } from 'typeorm';
import { hashPassword } from '../identity/password';

/** The provider's own tenant and staff for local development; public on purpose, never used elsewhere. */
export const demoProvider = {
  tenantId: '00000000-0000-4000-8000-00000000f001',
  tenantName: 'Thankstar (provider)',
  platformAdmin: {
    id: '00000000-0000-4000-8000-00000000f101',
    email: 'platform@thankstar.jp',
    password: 'demo-platform-2026',
    name: '高橋 健',
  },
  backOffice: {
    id: '00000000-0000-4000-8000-00000000f102',
    email: 'backoffice@thankstar.jp',
    password: 'demo-backoffice-2026',
    name: '伊藤 由美',
  },
} as const;

/**
 * Licensing's part of the demo: the demo tenant with an operator and a tenant admin, and the
 * provider tenant with a platform admin and a back-office user. Idempotent.
 */
export async function seedDemo(manager: EntityManager): Promise<void> {
  await manager.query(
    `INSERT INTO tenants (id, name, timezone, is_provider) VALUES ($1, $2, 'Asia/Tokyo', true) ON CONFLICT (id) DO NOTHING`,
    [demoProvider.tenantId, demoProvider.tenantName],
  );
  for (const [user, roles] of [
    [demoProvider.platformAdmin, ['platform-admin']],
    [demoProvider.backOffice, ['back-office']],
  ] as const) {
    await manager.query(
      `INSERT INTO users (id, tenant_id, email, name, password_hash, roles) VALUES ($1, $2, $3, $4, $5, $6)
       ON CONFLICT (id) DO NOTHING`,
      [user.id, demoProvider.tenantId, user.email, user.name, await hashPassword(user.password), roles],
    );
  }
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
