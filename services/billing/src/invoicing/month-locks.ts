import type { EntityManager } from 'typeorm';
import { firstOpenMonth } from './late-data';

/**
 * A late rated call (billed after its own month; decision 0007); `alias` is the table's alias with
 * its dot. The predicate of the partial index rated_calls_late (migration 1764400900000), so the
 * planner can use that index.
 */
export const lateCall = (alias = ''): string =>
  `make_date(substr(${alias}billed_month, 1, 4)::int, substr(${alias}billed_month, 6, 2)::int, 1) > ${alias}local_date`;

/** A tenant's month: the unit the monthly close locks and invoices. */
export interface TenantMonth {
  tenantId: string;
  month: string;
}

/**
 * The close lock of tenants' months, in a fixed order (tenant, then month) so that two holders
 * never wait on each other in a cycle. The monthly close takes it exclusive while it builds and
 * issues; whatever decides which month something is billed in (rating, keyed records, packs)
 * takes it shared, so it runs either wholly before a close of that month (and is on its invoice)
 * or wholly after (and sees the month issued).
 */
export async function lockMonths(
  m: EntityManager,
  months: readonly TenantMonth[],
  mode: 'exclusive' | 'shared',
): Promise<void> {
  if (months.length === 0) return;
  const fn = mode === 'shared' ? 'pg_advisory_xact_lock_shared' : 'pg_advisory_xact_lock';
  await m.query(
    `SELECT ${fn}(hashtext('billing.close:' || t || ':' || mo)) FROM unnest($1::text[], $2::text[]) AS x(t, mo) ORDER BY t, mo`,
    [months.map((x) => x.tenantId.toLowerCase()), months.map((x) => x.month)],
  );
}

/** The months of these tenants (lower-case ids) from `from` on whose invoice is issued or paid. */
export async function invoicedMonths(
  m: EntityManager,
  tenantIds: readonly string[],
  from: string,
): Promise<Map<string, Set<string>>> {
  const out = new Map<string, Set<string>>();
  if (tenantIds.length === 0) return out;
  const rows: { tenant_id: string; month: string }[] = await m.query(
    `SELECT tenant_id::text AS tenant_id, month FROM invoices
      WHERE tenant_id = ANY($1::uuid[]) AND kind = 'invoice' AND status IN ('issued', 'paid') AND month >= $2`,
    [tenantIds, from],
  );
  for (const r of rows) {
    const key = r.tenant_id.toLowerCase();
    const set = out.get(key) ?? new Set<string>();
    set.add(r.month);
    out.set(key, set);
  }
  return out;
}

const none: ReadonlySet<string> = new Set();

/**
 * The month each item is billed in (`firstOpenMonth`: its own month, or the first later month not
 * invoiced), decided race-free with the close in the caller's transaction: the own and target
 * months are locked shared before the decision is final. Set-based: a batch of any size costs
 * three queries (an unlocked read to know which months to lock, the locks in one sorted
 * statement, the read under them); only if a close issued a target month in between does it lock
 * the next one too and read again.
 */
export async function placeInOpenMonths(m: EntityManager, items: readonly TenantMonth[]): Promise<string[]> {
  if (items.length === 0) return [];
  const tenantIds = [...new Set(items.map((i) => i.tenantId.toLowerCase()))];
  const from = items.map((i) => i.month).sort()[0] as string;
  const place = (invoiced: Map<string, Set<string>>) =>
    items.map((i) => firstOpenMonth(i.month, invoiced.get(i.tenantId.toLowerCase()) ?? none));
  const locked = new Set<string>();
  let invoiced = await invoicedMonths(m, tenantIds, from);
  // Bounded: each round locks at least one more month, and only a close committing in between
  // makes another round necessary.
  for (;;) {
    const placed = place(invoiced);
    const wanted = new Map<string, TenantMonth>();
    items.forEach((item, i) => {
      for (const month of [item.month, placed[i] as string]) {
        const key = `${item.tenantId.toLowerCase()}|${month}`;
        if (!locked.has(key)) wanted.set(key, { tenantId: item.tenantId, month });
      }
    });
    if (wanted.size === 0) return placed;
    await lockMonths(m, [...wanted.values()], 'shared');
    for (const key of wanted.keys()) locked.add(key);
    invoiced = await invoicedMonths(m, tenantIds, from);
  }
}
