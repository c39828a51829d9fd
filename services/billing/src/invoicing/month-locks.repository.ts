import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';

/** A tenant's month: the unit the monthly close locks and invoices. */
export interface TenantMonth {
  tenantId: string;
  month: string;
}

const lockStatement = (fn: string) =>
  `SELECT ${fn}(hashtext('billing.close:' || t || ':' || mo)) FROM unnest($1::text[], $2::text[]) AS x(t, mo) ORDER BY t, mo`;

export const monthLocksSql: Record<string, string> = {
  lockExclusive: lockStatement('pg_advisory_xact_lock'),
  lockShared: lockStatement('pg_advisory_xact_lock_shared'),
  invoicedMonths: `
    SELECT tenant_id::text AS tenant_id, month FROM invoices
     WHERE tenant_id = ANY($1::uuid[]) AND kind = 'invoice' AND status IN ('issued', 'paid') AND month >= $2`,
};

/** The close locks of tenants' months (transaction advisory locks) and which months are invoiced. */
@Injectable()
export class MonthLocksRepository {
  /** Takes the locks in a fixed order (tenant, then month): two holders never wait on each other in a cycle. */
  async lock(m: EntityManager, months: readonly TenantMonth[], mode: 'exclusive' | 'shared'): Promise<void> {
    if (months.length === 0) return;
    await m.query((mode === 'shared' ? monthLocksSql.lockShared : monthLocksSql.lockExclusive) as string, [
      months.map((x) => x.tenantId.toLowerCase()),
      months.map((x) => x.month),
    ]);
  }

  /** The months of these tenants (lower-case ids) from `from` on whose invoice is issued or paid. */
  async invoicedMonths(
    m: EntityManager,
    tenantIds: readonly string[],
    from: string,
  ): Promise<Map<string, Set<string>>> {
    const out = new Map<string, Set<string>>();
    if (tenantIds.length === 0) return out;
    const rows: { tenant_id: string; month: string }[] = await m.query(monthLocksSql.invoicedMonths as string, [
      tenantIds,
      from,
    ]);
    for (const r of rows) {
      const key = r.tenant_id.toLowerCase();
      const set = out.get(key) ?? new Set<string>();
      set.add(r.month);
      out.set(key, set);
    }
    return out;
  }
}
