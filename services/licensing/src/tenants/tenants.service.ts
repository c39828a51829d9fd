import { Injectable } from '@nestjs/common';
import { DEFAULT_TIME_ZONE, isTimeZone } from '@thankstar/contracts';
import { badInput } from '@thankstar/platform';
import { DataSource } from 'typeorm';
import { IdentityRepository, type Tenant } from '../identity/identity.repository';
import { type Invitation, InvitationsService } from '../identity/invitations.service';

/**
 * The provider's view of its customers. Only provider roles reach it. The `tenants` table is
 * identity's (sign-in and invitations read it): this feature has no table of its own and goes
 * through IdentityRepository.
 */
@Injectable()
export class TenantsService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly identity: IdentityRepository,
    private readonly invitations: InvitationsService,
  ) {}

  async list(): Promise<Tenant[]> {
    return this.identity.customerTenants(this.dataSource.manager);
  }

  /** A new customer tenant and the invitation of its first administrator, together or not at all. */
  async create(
    input: { name: string; timezone?: string; adminEmail: string; adminName: string },
    createdBy: string,
  ): Promise<{ tenant: Tenant; adminInvitation: Invitation }> {
    const name = input.name.trim();
    const timezone = input.timezone ?? DEFAULT_TIME_ZONE;
    if (!name || name.length > 200)
      throw badInput({
        ja: 'テナント名は1〜200文字で指定してください。',
        en: 'Give the tenant a name of 1 to 200 characters.',
      });
    if (!isTimeZone(timezone))
      throw badInput({
        ja: `タイムゾーン ${timezone} はありません。Asia/Tokyo のような IANA 名を指定してください。`,
        en: `Unknown timezone ${timezone}; use an IANA name such as Asia/Tokyo.`,
      });
    return this.dataSource.transaction(async (m) => {
      const tenant = await this.identity.insertTenant(m, { name, timezone });
      const adminInvitation = await this.invitations.create(
        m,
        tenant.id,
        { email: input.adminEmail, name: input.adminName, roles: ['tenant-admin', 'operator'] },
        createdBy,
      );
      return { tenant, adminInvitation };
    });
  }
}
