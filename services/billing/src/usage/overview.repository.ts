import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';

/**
 * The back office's overview: sums over invoicing's `invoices` table, read here on purpose (a
 * read-only count across every tenant; invoicing owns the writes). Provider-wide, so no tenant id.
 */
export const overviewSql = {
  revenueBetween: `
    SELECT coalesce(sum(CASE WHEN kind = 'invoice' THEN subtotal_yen ELSE -subtotal_yen END), 0)::text AS yen,
           count(*) FILTER (WHERE kind = 'invoice')::int AS invoices
      FROM invoices
     WHERE status IN ('issued', 'paid') AND issued_at >= $1 AND issued_at < $2`,
  waiting: `
    SELECT count(*) FILTER (WHERE status = 'draft')::int AS drafts,
           count(*) FILTER (WHERE status = 'issued' AND kind = 'invoice')::int AS unpaid
      FROM invoices`,
} as const;

@Injectable()
export class OverviewRepository {
  /** Invoiced yen (税抜, credit notes subtracted) and invoices issued in [from, to), voided ones left out. */
  async revenueBetween(m: EntityManager, from: Date, to: Date): Promise<{ yen: number; invoices: number }> {
    const [row] = await m.query(overviewSql.revenueBetween, [from, to]);
    const yen = Number(row.yen);
    if (!Number.isSafeInteger(yen)) throw new RangeError(`revenue ${row.yen} is not a safe integer`);
    return { yen, invoices: row.invoices };
  }

  async waiting(m: EntityManager): Promise<{ drafts: number; unpaid: number }> {
    const [row] = await m.query(overviewSql.waiting);
    return { drafts: row.drafts, unpaid: row.unpaid };
  }
}
