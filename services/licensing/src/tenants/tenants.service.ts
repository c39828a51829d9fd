import { Injectable } from '@nestjs/common';
import { DEFAULT_TIME_ZONE, isTimeZone, isUuid } from '@thankstar/contracts';
import { badInput, notFound } from '@thankstar/platform';
import { DataSource } from 'typeorm';
import { IdentityRepository, type Tenant, type TenantSort } from '../identity/identity.repository';
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

  /**
   * The back office's tenant list: names containing `search` (trimmed; blank = all), one page
   * (offset from 0, limit 1–200), sorted by name or creation date.
   */
  async page(
    search: string | null,
    page: { offset?: number | null; limit?: number | null; sort?: TenantSort | null; descending?: boolean | null },
  ): Promise<{ items: Tenant[]; total: number }> {
    const offset = page.offset ?? 0;
    const limit = page.limit ?? 25;
    if (!Number.isSafeInteger(offset) || offset < 0)
      throw badInput({ ja: '開始位置は0以上の整数で指定してください。', en: 'offset must be a whole number from 0.' });
    if (!Number.isSafeInteger(limit) || limit < 1 || limit > 200)
      throw badInput({ ja: '1ページの件数は1〜200件で指定してください。', en: 'limit must be from 1 to 200.' });
    const text = search?.trim() || null;
    if (text && text.length > 200)
      throw badInput({ ja: '検索する名前は200文字以内で指定してください。', en: 'Search for at most 200 characters.' });
    return this.identity.customerTenantPage(this.dataSource.manager, text, {
      offset,
      limit,
      sort: page.sort ?? 'name',
      descending: page.descending ?? false,
    });
  }

  /** One customer tenant; not found when there is none (or it is the provider's own). */
  async one(id: string): Promise<Tenant> {
    const tenant = isUuid(id) ? await this.identity.customerTenant(this.dataSource.manager, id) : undefined;
    if (!tenant) throw notFound('tenant');
    return tenant;
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
