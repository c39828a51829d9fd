import { Inject } from '@nestjs/common';
import { Args, Query, Resolver } from '@nestjs/graphql';
import { DataSource } from 'typeorm';
import { CurrentPrincipal } from '../auth/auth.guard';
import type { Principal } from '../auth/principal';
import { badInput } from '../errors/domain-error';
import { type AuditLogCursor, AuditLogRepository, type AuditLogRow } from './audit-log.repository';

export interface AuditLogFilterInput {
  tenantId?: string | null;
  actor?: string | null;
  operation?: string | null;
  from?: string | null;
  to?: string | null;
}

/** Who may read every tenant's entries: the role table's row gives the query to these and tenant admins. */
const allTenantsRoles = new Set(['platform-admin', 'back-office']);
export const AUDIT_PAGE_MAX = 200;

export function encodeAuditCursor(row: Pick<AuditLogRow, 'at' | 'id'>): string {
  return Buffer.from(`${row.at.toISOString()}|${row.id}`).toString('base64url');
}

export function decodeAuditCursor(cursor: string): AuditLogCursor {
  const [at, id] = Buffer.from(cursor, 'base64url').toString().split('|');
  const time = new Date(at ?? '');
  if (!id || !/^\d{1,19}$/.test(id) || Number.isNaN(time.getTime())) {
    throw badInput({ ja: '続きの位置 (after) が正しくありません。', en: 'The cursor (after) is not valid.' });
  }
  return { at: time, id };
}

function instant(value: string | null | undefined, name: string): Date | null {
  if (value === null || value === undefined || value === '') return null;
  const time = new Date(value);
  if (Number.isNaN(time.getTime())) {
    throw badInput({
      ja: `${name} は日時 (ISO 8601) で指定してください。`,
      en: `${name} must be an ISO 8601 date-time.`,
    });
  }
  return time;
}

/**
 * The `<service>AuditLog` query of one subgraph (docs/decisions/0011-audit-log.md): newest first,
 * `first` entries after the `after` cursor. A tenant admin sees their own tenant's entries whatever
 * the filter names (the tenant comes from the token); platform admins and back office see every
 * tenant's, or one named with `filter.tenantId`.
 */
export function auditLogResolver(field: string, service: string) {
  @Resolver()
  class AuditLogResolver {
    constructor(@Inject(DataSource) readonly dataSource: DataSource) {}

    @Query(field)
    async auditLog(
      @CurrentPrincipal() principal: Principal,
      @Args('filter') filter: AuditLogFilterInput | null,
      @Args('first') first: number | null,
      @Args('after') after: string | null,
    ) {
      const limit = first ?? 50;
      if (!Number.isInteger(limit) || limit < 1 || limit > AUDIT_PAGE_MAX) {
        throw badInput({
          ja: `first は 1 から ${AUDIT_PAGE_MAX} までで指定してください。`,
          en: `first must be between 1 and ${AUDIT_PAGE_MAX}.`,
        });
      }
      const allTenants = principal.roles.some((r) => allTenantsRoles.has(r));
      const rows = await AuditLogRepository.list(
        this.dataSource.manager,
        {
          tenantId: allTenants ? filter?.tenantId || null : principal.tenantId,
          actor: filter?.actor,
          operation: filter?.operation,
          from: instant(filter?.from, 'from'),
          to: instant(filter?.to, 'to'),
        },
        after ? decodeAuditCursor(after) : null,
        limit + 1,
      );
      const page = rows.slice(0, limit);
      const last = page.at(-1);
      return {
        entries: page.map((row) => ({
          id: `${service}:${row.id}`,
          service,
          at: row.at.toISOString(),
          tenantId: row.tenantId,
          actorId: row.actorId,
          actorName: row.actorName,
          actorRoles: row.actorRoles,
          operation: row.operation,
          targets: row.targets,
          outcome: row.outcome,
          arguments: row.arguments,
        })),
        nextCursor: rows.length > limit && last ? encodeAuditCursor(last) : null,
      };
    }
  }
  return AuditLogResolver;
}
