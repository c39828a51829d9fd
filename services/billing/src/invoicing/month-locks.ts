import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { firstOpenMonth } from './late-data';
import { MonthLocksRepository, type TenantMonth } from './month-locks.repository';

export type { TenantMonth };

const none: ReadonlySet<string> = new Set();

/**
 * The close lock of tenants' months. The monthly close takes it exclusive while it builds and
 * issues; whatever decides which month something is billed in (rating, keyed records, packs)
 * takes it shared, so it runs either wholly before a close of that month (and is on its invoice)
 * or wholly after (and sees the month issued). Decision 0007 (docs/decisions/0007-late-data.md).
 */
@Injectable()
export class MonthLocks {
  constructor(private readonly repo: MonthLocksRepository) {}

  /** Locks the months in a fixed order (tenant, then month), in the caller's transaction. */
  lock(m: EntityManager, months: readonly TenantMonth[], mode: 'exclusive' | 'shared'): Promise<void> {
    return this.repo.lock(m, months, mode);
  }

  /** The months of these tenants (lower-case ids) from `from` on whose invoice is issued or paid. */
  invoicedMonths(m: EntityManager, tenantIds: readonly string[], from: string): Promise<Map<string, Set<string>>> {
    return this.repo.invoicedMonths(m, tenantIds, from);
  }

  /**
   * The month each item is billed in (`firstOpenMonth`: its own month, or the first later month not
   * invoiced), decided race-free with the close in the caller's transaction: the own and target
   * months are locked shared before the decision is final. Set-based: a batch of any size costs
   * three queries (an unlocked read to know which months to lock, the locks in one sorted
   * statement, the read under them); only if a close issued a target month in between does it lock
   * the next one too and read again.
   */
  async placeInOpenMonths(m: EntityManager, items: readonly TenantMonth[]): Promise<string[]> {
    if (items.length === 0) return [];
    const tenantIds = [...new Set(items.map((i) => i.tenantId.toLowerCase()))];
    const from = items.map((i) => i.month).sort()[0] as string;
    const place = (invoiced: Map<string, Set<string>>) =>
      items.map((i) => firstOpenMonth(i.month, invoiced.get(i.tenantId.toLowerCase()) ?? none));
    const locked = new Set<string>();
    let invoiced = await this.repo.invoicedMonths(m, tenantIds, from);
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
      await this.repo.lock(m, [...wanted.values()], 'shared');
      for (const key of wanted.keys()) locked.add(key);
      invoiced = await this.repo.invoicedMonths(m, tenantIds, from);
    }
  }
}
