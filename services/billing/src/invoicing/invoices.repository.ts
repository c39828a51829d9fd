import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { lateCall } from '../rating/rating.repository';
import type { AssembledInvoice, InvoiceLine } from './invoice';
import { InvoiceEntity, type InvoiceKind, type InvoiceStatus } from './invoice.entity';
import type { PaymentSettings } from './payment-terms';

/** What the invoice list filters on; null = any. `tenantId` null = every tenant's (provider staff). */
export interface InvoiceFilter {
  tenantId: string | null;
  month: string | null;
  status: InvoiceStatus | null;
  kind: InvoiceKind | null;
  includeDrafts: boolean;
}

export type InvoiceSort = 'month' | 'number' | 'total' | 'issuedAt' | 'status';
const invoiceSortColumns: Record<InvoiceSort, string> = {
  month: 'i.month',
  number: 'i.number',
  total: 'i.total_yen',
  issuedAt: 'i.issued_at',
  status: 'i.status',
};

export interface PageRequest<S extends string> {
  offset: number;
  limit: number;
  sort: S;
  descending: boolean;
}

export interface InvoicePageRows {
  items: InvoiceEntity[];
  total: number;
  /** Count and yen (税込; credit notes taken off) of the whole filtered set, per status. */
  byStatus: Map<InvoiceStatus, { count: number; totalYen: number }>;
}

/** A tenant's monthly invoice row as the close sees it. */
export interface MonthlyInvoiceRef {
  id: string;
  tenantId: string;
  status: InvoiceStatus;
}

/** What the close writes for one tenant's draft. */
export interface DraftFields {
  tenantId: string;
  contractId: string;
  recipientName: string;
  periodStart: string;
  periodEnd: string;
  lines: InvoiceLine[];
  taxes: AssembledInvoice['taxes'];
  subtotalYen: number;
  taxYen: number;
}

/** The close's own query: every (tenant, month) that is over in the tenant's zone and not invoiced. */
const dueMonthsSql = `
    SELECT DISTINCT c.tenant_id, to_char(m, 'YYYY-MM') AS month
      FROM contracts c
      LEFT JOIN business_calendars b ON b.tenant_id = c.tenant_id
     CROSS JOIN LATERAL generate_series(
             date_trunc('month', c.service_start_date::timestamp),
             date_trunc('month', $1::timestamptz AT TIME ZONE coalesce(b.timezone, 'Asia/Tokyo')) - interval '1 month',
             interval '1 month') AS m
     WHERE (c.end_month IS NULL OR to_char(m, 'YYYY-MM') <= c.end_month
            -- After the end month only to settle late usage of the contract's months (0007).
            OR EXISTS (SELECT 1 FROM rated_calls r WHERE r.tenant_id = c.tenant_id
                          AND r.billed_month = to_char(m, 'YYYY-MM') AND ${lateCall('r.')})
            OR EXISTS (SELECT 1 FROM keyed_imports k WHERE k.tenant_id = c.tenant_id
                          AND k.month = to_char(m, 'YYYY-MM') AND k.keyed_month <> k.month))
       AND NOT EXISTS (SELECT 1 FROM invoices i
                        WHERE i.tenant_id = c.tenant_id AND i.month = to_char(m, 'YYYY-MM')
                          AND i.kind = 'invoice' AND i.status IN ('issued', 'paid'))
     ORDER BY month`;

export const invoicesSql: Record<string, string> = {
  openMonthlyInvoices: `
    SELECT id, tenant_id, status FROM invoices
     WHERE tenant_id = ANY($1::uuid[]) AND month = $2 AND kind = 'invoice' AND status <> 'void'`,
  // A draft is rebuilt in place (same id); an invoice issued meanwhile is never overwritten.
  upsertDrafts: `
    INSERT INTO invoices (tenant_id, kind, month, contract_id, status, issuer_name, issuer_registration_number,
       recipient_name, period_start, period_end, lines, taxes, subtotal_yen, tax_yen, total_yen)
     SELECT t, 'invoice', $2, c, 'draft', $3, $4, r, ps, pe, l::jsonb, x::jsonb, st, tx, st + tx
       FROM unnest($1::uuid[], $5::uuid[], $6::text[], $7::date[], $8::date[], $9::text[], $10::text[],
                   $11::bigint[], $12::bigint[]) AS u(t, c, r, ps, pe, l, x, st, tx)
     ON CONFLICT (tenant_id, month) WHERE kind = 'invoice' AND status <> 'void' DO UPDATE
       SET contract_id = EXCLUDED.contract_id, issuer_name = EXCLUDED.issuer_name,
           issuer_registration_number = EXCLUDED.issuer_registration_number,
           recipient_name = EXCLUDED.recipient_name, period_start = EXCLUDED.period_start,
           period_end = EXCLUDED.period_end, lines = EXCLUDED.lines, taxes = EXCLUDED.taxes,
           subtotal_yen = EXCLUDED.subtotal_yen, tax_yen = EXCLUDED.tax_yen, total_yen = EXCLUDED.total_yen
       WHERE invoices.status = 'draft'
     RETURNING id, tenant_id, status`,
  // In a CTE so the driver returns the rows (a bare UPDATE returns [rows, count]).
  issueDrafts: `
    WITH issued AS (
       UPDATE invoices i SET number = u.n, status = 'issued', issued_at = now(),
              payment_terms = $3, payment_term_days = $4, bank_account = $5
         FROM unnest($1::uuid[], $2::text[]) AS u(id, n)
        WHERE i.id = u.id AND i.status = 'draft' RETURNING i.id)
     SELECT id FROM issued`,
  recordWatermarks: `
    UPDATE invoices i SET usage_watermark = u.w
      FROM unnest($1::uuid[], $2::timestamptz[]) AS u(id, w)
     WHERE i.id = u.id AND (i.status = 'draft' OR i.issued_at = now())`,
  creditedSubtotal: `
    SELECT coalesce(sum(subtotal_yen), 0)::bigint AS credited FROM invoices
     WHERE tenant_id = $1 AND credited_invoice_id = $2 AND status <> 'void'`,
  // Wrapped in a CTE so the driver returns the row (a bare UPDATE returns [rows, count]).
  bumpCounter: `WITH bumped AS (UPDATE invoice_counters SET last_number = last_number + $2 WHERE series = $1 RETURNING last_number) SELECT last_number FROM bumped`,
  invoicedAfter: `
    SELECT 1 FROM invoices WHERE tenant_id = $1 AND kind = 'invoice' AND status <> 'void' AND month > $2 LIMIT 1`,
  dueMonths: dueMonthsSql,
  tryCloseLock: 'SELECT pg_try_advisory_lock(hashtext($1)) AS locked',
  releaseCloseLock: 'SELECT pg_advisory_unlock(hashtext($1))',
};

const sql = (name: keyof typeof invoicesSql & string): string => invoicesSql[name] as string;

/** Invoices, credit notes and their number counters. */
@Injectable()
export class InvoicesRepository {
  /** Invoices and credit notes of a tenant, newest month first. */
  list(m: EntityManager, tenantId: string, includeDrafts: boolean): Promise<InvoiceEntity[]> {
    const q = m
      .getRepository(InvoiceEntity)
      .createQueryBuilder('i')
      .where('i.tenant_id = :tenantId', { tenantId })
      .orderBy('i.month', 'DESC')
      .addOrderBy('i.created_at', 'DESC');
    if (!includeDrafts) q.andWhere(`i.status <> 'draft'`);
    return q.getMany();
  }

  /** One invoice by id (the caller checks the tenant: provider staff read any). */
  byId(m: EntityManager, id: string): Promise<InvoiceEntity | null> {
    return m.getRepository(InvoiceEntity).findOneBy({ id });
  }

  /** One invoice by id, row-locked for the caller's transaction. */
  lockById(m: EntityManager, id: string): Promise<InvoiceEntity | null> {
    return m.getRepository(InvoiceEntity).findOne({ where: { id }, lock: { mode: 'pessimistic_write' } });
  }

  save(m: EntityManager, invoice: InvoiceEntity): Promise<InvoiceEntity> {
    return m.getRepository(InvoiceEntity).save(invoice);
  }

  insert(m: EntityManager, fields: Partial<InvoiceEntity>): Promise<InvoiceEntity> {
    const repo = m.getRepository(InvoiceEntity);
    return repo.save(repo.create(fields));
  }

  /** The month's invoice of each tenant that has one not void (draft, issued or paid). */
  async openMonthlyInvoices(
    m: EntityManager,
    tenantIds: readonly string[],
    month: string,
  ): Promise<MonthlyInvoiceRef[]> {
    const rows: { id: string; tenant_id: string; status: InvoiceStatus }[] = await m.query(sql('openMonthlyInvoices'), [
      tenantIds,
      month,
    ]);
    return rows.map((r) => ({ id: r.id, tenantId: r.tenant_id, status: r.status }));
  }

  /** Writes the month's drafts in one statement; an invoice issued meanwhile is left as it is. */
  async upsertDrafts(
    m: EntityManager,
    month: string,
    issuer: { name: string; registrationNumber: string },
    drafts: readonly DraftFields[],
  ): Promise<MonthlyInvoiceRef[]> {
    if (drafts.length === 0) return [];
    const col = <T>(f: (d: DraftFields) => T) => drafts.map(f);
    const rows: { id: string; tenant_id: string; status: InvoiceStatus }[] = await m.query(sql('upsertDrafts'), [
      col((d) => d.tenantId),
      month,
      issuer.name,
      issuer.registrationNumber,
      col((d) => d.contractId),
      col((d) => d.recipientName),
      col((d) => d.periodStart),
      col((d) => d.periodEnd),
      col((d) => JSON.stringify(d.lines)),
      col((d) => JSON.stringify(d.taxes)),
      col((d) => d.subtotalYen),
      col((d) => d.taxYen),
    ]);
    return rows.map((r) => ({ id: r.id, tenantId: r.tenant_id, status: r.status }));
  }

  /**
   * Numbers and issues drafts (ids[i] gets numbers[i]) with the payment settings in force now,
   * kept on each invoice (an issued invoice never changes); returns how many were still drafts.
   */
  async issueDrafts(
    m: EntityManager,
    ids: readonly string[],
    numbers: readonly string[],
    payment: PaymentSettings,
  ): Promise<number> {
    const issued: unknown[] = await m.query(sql('issueDrafts'), [
      ids,
      numbers,
      payment.paymentTerms,
      payment.paymentTermDays,
      payment.bankAccount,
    ]);
    return issued.length;
  }

  /**
   * One page of invoices and credit notes across tenants (`tenantId` null) or of one tenant, with
   * the whole filtered set's count and totals per status (every page shows the same totals).
   */
  async page(m: EntityManager, filter: InvoiceFilter, page: PageRequest<InvoiceSort>): Promise<InvoicePageRows> {
    const filtered = () => {
      const q = m.getRepository(InvoiceEntity).createQueryBuilder('i');
      if (filter.tenantId !== null) q.andWhere('i.tenant_id = :tenantId', { tenantId: filter.tenantId });
      if (filter.month !== null) q.andWhere('i.month = :month', { month: filter.month });
      if (filter.status !== null) q.andWhere('i.status = :status', { status: filter.status });
      if (filter.kind !== null) q.andWhere('i.kind = :kind', { kind: filter.kind });
      if (!filter.includeDrafts) q.andWhere(`i.status <> 'draft'`);
      return q;
    };
    const direction = page.descending ? 'DESC' : 'ASC';
    const items = await filtered()
      .orderBy(invoiceSortColumns[page.sort], direction, page.descending ? 'NULLS LAST' : 'NULLS FIRST')
      .addOrderBy('i.created_at', 'DESC')
      .addOrderBy('i.id', 'DESC')
      .offset(page.offset)
      .limit(page.limit)
      .getMany();
    const groups: { status: InvoiceStatus; kind: InvoiceKind; count: string; total: string }[] = await filtered()
      .select('i.status', 'status')
      .addSelect('i.kind', 'kind')
      .addSelect('count(*)', 'count')
      .addSelect('coalesce(sum(i.total_yen), 0)', 'total')
      .groupBy('i.status')
      .addGroupBy('i.kind')
      .getRawMany();
    const byStatus = new Map<InvoiceStatus, { count: number; totalYen: number }>();
    let total = 0;
    for (const g of groups) {
      const sum = byStatus.get(g.status) ?? { count: 0, totalYen: 0 };
      sum.count += Number(g.count);
      // A credit note takes its amount off what the invoices of its status bill.
      sum.totalYen += (g.kind === 'credit-note' ? -1 : 1) * Number(g.total);
      byStatus.set(g.status, sum);
      total += Number(g.count);
    }
    return { items, total, byStatus };
  }

  /** The pipeline watermark on invoices this transaction wrote (a draft, or issued now). */
  async recordWatermarks(m: EntityManager, ids: readonly string[], watermarks: readonly string[]): Promise<void> {
    if (ids.length === 0) return;
    await m.query(sql('recordWatermarks'), [ids, watermarks]);
  }

  /** Yen (税抜) already credited against an invoice by credit notes not void. */
  async creditedSubtotal(m: EntityManager, tenantId: string, invoiceId: string): Promise<number> {
    const [row]: { credited: string }[] = await m.query(sql('creditedSubtotal'), [tenantId, invoiceId]);
    return Number(row?.credited ?? 0);
  }

  /** Adds `count` to a series' counter in the caller's transaction; returns its new last number. */
  async bumpCounter(m: EntityManager, series: string, count: number): Promise<number> {
    const [row]: { last_number: string | number }[] = await m.query(sql('bumpCounter'), [series, count]);
    return Number(row?.last_number);
  }

  /** Whether the tenant has a monthly invoice (not void) for a month after `month`. */
  async invoicedAfter(m: EntityManager, tenantId: string, month: string): Promise<boolean> {
    const rows: unknown[] = await m.query(sql('invoicedAfter'), [tenantId, month]);
    return rows.length > 0;
  }

  /**
   * Every (tenant, month) over in the tenant's zone at `now`, from the contract's start month (or
   * after its end, only to settle late usage), without an issued invoice; oldest month first.
   * The close's own query reads contracts, calendars, rated calls and keyed imports in one
   * statement, so the scheduler's tick costs one round trip.
   */
  async dueMonths(m: EntityManager, now: Date): Promise<{ tenantId: string; month: string }[]> {
    const rows: { tenant_id: string; month: string }[] = await m.query(sql('dueMonths'), [now.toISOString()]);
    return rows.map((r) => ({ tenantId: r.tenant_id, month: r.month }));
  }

  /** A session advisory lock on the manager's connection (the caller holds a query runner). */
  async tryCloseLock(m: EntityManager, name: string): Promise<boolean> {
    const [row]: { locked: boolean }[] = await m.query(sql('tryCloseLock'), [name]);
    return row?.locked === true;
  }

  async releaseCloseLock(m: EntityManager, name: string): Promise<void> {
    await m.query(sql('releaseCloseLock'), [name]);
  }
}
