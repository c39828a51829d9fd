import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { INVOICES_TOPIC } from '@thankstar/contracts';
import { badInput, DomainError, enqueueEvent, notFound } from '@thankstar/platform';
import type { DataSource, EntityManager } from 'typeorm';
import { checked } from '../access/rule-errors';
import { defaultCalendar, localTime } from '../calendar/business-calendar';
import { CalendarService } from '../calendar/calendar.service';
import { lastDay, monthIndex, parseMonth } from '../calendar/month';
import { KeyedRecordsService } from '../keyed-records/keyed-records.service';
import type { InvoiceLine } from './invoice';
import type { InvoiceEntity, InvoiceStatus } from './invoice.entity';
import { type BuiltInvoice, InvoiceBuilder } from './invoice-builder';
import { InvoiceNumbering, SERIES } from './invoice-numbering';
import { InvoiceSettingsService } from './invoice-settings.service';
import {
  type DraftFields,
  type InvoiceFilter,
  type InvoicePageRows,
  type InvoiceSort,
  InvoicesRepository,
  type PageRequest,
} from './invoices.repository';
import { ISSUER, type Issuer } from './issuer';
import { MonthLocks } from './month-locks';
import { PipelineWatermarkService, type WatermarkVerdict } from './pipeline-watermark.service';
import { taxPerRate } from './tax';

/**
 * The invoices' use cases: the monthly close (one tenant or many), the estimate, issue, paid,
 * void and credit notes. The jobs it coordinates live apart: the close locks (MonthLocks), the
 * numbering (InvoiceNumbering), the SQL (InvoicesRepository), and what an invoice contains
 * (InvoiceBuilder reads, the pure invoice-building.ts decides).
 */
@Injectable()
export class InvoicingService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    @Inject(ISSUER) private readonly issuer: Issuer,
    private readonly calendars: CalendarService,
    private readonly keyedRecords: KeyedRecordsService,
    private readonly pipeline: PipelineWatermarkService,
    private readonly invoices: InvoicesRepository,
    private readonly monthLocks: MonthLocks,
    private readonly numbering: InvoiceNumbering,
    private readonly builder: InvoiceBuilder,
    private readonly settings: InvoiceSettingsService,
  ) {}

  /** A page of invoices across tenants (`filter.tenantId` null: provider staff) with the set's totals. */
  page(filter: InvoiceFilter, page: PageRequest<InvoiceSort>): Promise<InvoicePageRows> {
    return this.invoices.page(this.db.manager, filter, page);
  }

  /**
   * Issues several drafts, one after another, each as `issue` does (its own transaction, the
   * month's lock, the pipeline check). One that cannot be issued is reported with its error; the
   * others are issued all the same.
   */
  async issueMany(ids: readonly string[], now = new Date()) {
    const issued: InvoiceEntity[] = [];
    const failed: { invoiceId: string; error: DomainError }[] = [];
    for (const id of new Set(ids)) {
      try {
        issued.push(await this.issue(id, now));
      } catch (err) {
        if (!(err instanceof DomainError)) throw err;
        failed.push({ invoiceId: id, error: err });
      }
    }
    return { issued, failed };
  }

  /** Invoices and credit notes of a tenant; tenants never see drafts. */
  list(tenantId: string, includeDrafts: boolean): Promise<InvoiceEntity[]> {
    return this.invoices.list(this.db.manager, tenantId, includeDrafts);
  }

  /** One invoice, only within the given tenant unless `tenantId` is null (provider staff). */
  async get(tenantId: string | null, id: string, includeDrafts: boolean): Promise<InvoiceEntity> {
    const invoice = await this.invoices.byId(this.db.manager, id);
    if (!invoice || (tenantId && invoice.tenantId !== tenantId) || (!includeDrafts && invoice.status === 'draft')) {
      throw notFound('invoice');
    }
    return invoice;
  }

  /**
   * Back-office correction of a month's keyed records: sets the manual adjustment added to the
   * records counted from customers' data-entry imports; returns the month's total.
   */
  setKeyedRecords(tenantId: string, month: string, records: number): Promise<number> {
    return this.keyedRecords.setAdjustment(tenantId, month, records);
  }

  /** The records keyed in a month, as its own list-input line bills them (one owner: keyed records). */
  keyedRecordsOfMonth(tenantId: string, month: string) {
    return this.keyedRecords.ofMonth(tenantId, month);
  }

  /**
   * The monthly close: builds the draft invoice of a tenant's month from its contract and rated
   * calls. Idempotent: an issued invoice is returned as is; a draft is rebuilt from the same data.
   */
  async closeMonth(tenantId: string, month: string, now = new Date()): Promise<InvoiceEntity> {
    checked(() => parseMonth(month));
    const verdict = (await this.pipelineVerdicts([tenantId], month, now)).get(tenantId.toLowerCase());
    if (verdict && !verdict.ok) throw verdict.error;
    return this.db.transaction(async (m) => {
      const { invoiceIds, refused } = await this.closeTenants(m, [tenantId], month, now, false);
      await this.recordWatermarks(m, invoiceIds, verdict ? new Map([[tenantId.toLowerCase(), verdict]]) : new Map());
      const refusal = refused.get(tenantId.toLowerCase());
      if (refusal) throw refusal;
      const id = invoiceIds.get(tenantId.toLowerCase());
      if (!id) throw new Error(`closing ${month} for ${tenantId} produced no invoice`);
      return this.found(m, id);
    });
  }

  /**
   * The monthly close of many tenants, set-based: per chunk of tenants one transaction reads
   * contracts, plan versions, packs, seats and the rated calls counted with GROUP BY in a few
   * queries, writes the invoices in one statement and (with `issue`) numbers them from the
   * counter in the same transaction, so numbers stay gapless. Chunks run in a bounded pool.
   * Tenants that cannot be closed (no contract, month not over) are reported, not thrown.
   */
  async closeMonthMany(
    tenantIds: readonly string[],
    month: string,
    options: { now?: Date; issue?: boolean; chunkSize?: number; concurrency?: number } = {},
  ): Promise<{ invoiceIds: Map<string, string>; refused: Map<string, DomainError> }> {
    checked(() => parseMonth(month));
    const now = options.now ?? new Date();
    const invoiceIds = new Map<string, string>();
    const refused = new Map<string, DomainError>();
    const verdicts = await this.pipelineVerdicts(tenantIds, month, now);
    for (const [tenantId, verdict] of verdicts) if (!verdict.ok) refused.set(tenantId, verdict.error);
    const ids = [...new Set(tenantIds.map((t) => t.toLowerCase()))].filter((t) => !refused.has(t)).sort();
    const chunkSize = Math.max(1, options.chunkSize ?? 250);
    const chunks: string[][] = [];
    for (let i = 0; i < ids.length; i += chunkSize) chunks.push(ids.slice(i, i + chunkSize));
    let next = 0;
    await Promise.all(
      Array.from({ length: Math.min(chunks.length, Math.max(1, options.concurrency ?? 2)) }, async () => {
        for (let chunk = chunks[next++]; chunk; chunk = chunks[next++]) {
          const result = await this.db.transaction(async (m) => {
            const closed = await this.closeTenants(m, chunk as string[], month, now, options.issue ?? false);
            await this.recordWatermarks(m, closed.invoiceIds, verdicts);
            return closed;
          });
          for (const [k, v] of result.invoiceIds) invoiceIds.set(k, v);
          for (const [k, v] of result.refused) refused.set(k, v);
        }
      }),
    );
    return { invoiceIds, refused };
  }

  /**
   * The month close waits for the pipeline (docs/product-rules.md, "Month close"): for each tenant
   * whose month is over in its zone, the watermark rating has verifiably passed, or why the close
   * must wait. Asked before any transaction opens: no pooled connection waits on the broker.
   * Tenants whose month is not over get no verdict (the close refuses them with MONTH_NOT_OVER).
   */
  private async pipelineVerdicts(
    tenantIds: readonly string[],
    month: string,
    now: Date,
  ): Promise<Map<string, WatermarkVerdict>> {
    const ids = [...new Set(tenantIds.map((t) => t.toLowerCase()))];
    const calendars = await this.calendars.forTenants(ids);
    const zones = new Map<string, string>();
    for (const tenantId of ids) {
      const timezone = (calendars.get(tenantId) ?? defaultCalendar).timezone;
      if (monthIndex(month) < monthIndex(localTime(now, timezone).date.slice(0, 7))) zones.set(tenantId, timezone);
    }
    return this.pipeline.verdicts(month, zones, now);
  }

  /** Closes (and optionally issues) a month for some tenants in the caller's transaction. */
  private async closeTenants(
    m: EntityManager,
    tenantIds: readonly string[],
    month: string,
    now: Date,
    issue: boolean,
  ): Promise<{ invoiceIds: Map<string, string>; refused: Map<string, DomainError> }> {
    const ids = [...new Set(tenantIds.map((t) => t.toLowerCase()))].sort();
    const invoiceIds = new Map<string, string>();
    const refused = new Map<string, DomainError>();
    // One close per tenant and month at a time, across replicas (taken in a fixed order); rating,
    // keyed records and packs take the same lock shared to decide their month (month-locks.ts).
    await this.monthLocks.lock(
      m,
      ids.map((tenantId) => ({ tenantId, month })),
      'exclusive',
    );
    const done = new Set<string>();
    for (const e of await this.invoices.openMonthlyInvoices(m, ids, month)) {
      if (e.status === 'draft') continue;
      invoiceIds.set(e.tenantId, e.id);
      done.add(e.tenantId);
    }
    const calendars = await this.calendars.forTenants(ids, m);
    const timezones = new Map<string, string>();
    for (const tenantId of ids) {
      if (done.has(tenantId)) continue;
      const timezone = (calendars.get(tenantId) ?? defaultCalendar).timezone;
      const currentMonth = localTime(now, timezone).date.slice(0, 7);
      if (monthIndex(month) >= monthIndex(currentMonth)) {
        refused.set(tenantId, new DomainError('MONTH_NOT_OVER', { month, timezone }));
      } else {
        timezones.set(tenantId, timezone);
      }
    }
    const built = await this.builder.buildMany(m, timezones, month);
    const drafts: DraftFields[] = [];
    for (const [tenantId, b] of built) {
      if (b instanceof DomainError) refused.set(tenantId, b);
      else drafts.push(draftFields(tenantId, month, b));
    }
    if (drafts.length === 0) return { invoiceIds, refused };
    const written = await this.invoices.upsertDrafts(m, month, this.issuer, drafts);
    const toIssue = written.filter((w) => w.status === 'draft').sort((a, b) => a.tenantId.localeCompare(b.tenantId));
    for (const w of written) invoiceIds.set(w.tenantId, w.id);
    if (issue && toIssue.length > 0) {
      // The whole run of numbers is taken in this transaction: a rollback returns it, so no gaps.
      const numbers = await this.numbering.nextRun(m, SERIES.invoice, toIssue.length);
      const issued = await this.invoices.issueDrafts(
        m,
        toIssue.map((d) => d.id),
        numbers,
        await this.settings.current(m),
      );
      if (issued !== toIssue.length) throw new Error('an invoice changed while it was being issued');
      for (const d of toIssue) await this.announceIssued(m, await this.found(m, d.id));
    }
    return { invoiceIds, refused };
  }

  /** The month's lines of one tenant; nothing is written. */
  private async build(m: EntityManager, tenantId: string, month: string, timezone: string): Promise<BuiltInvoice> {
    const key = tenantId.toLowerCase();
    const built = (await this.builder.buildMany(m, new Map([[key, timezone]]), month)).get(key);
    if (!built) throw new Error(`no invoice built for ${tenantId}`);
    if (built instanceof DomainError) throw built;
    return built;
  }

  /**
   * What the invoice of a month would be today (the current month so far by default): the
   * tenant's "next invoice" estimate. Nothing is stored.
   */
  async estimate(tenantId: string, month: string | null, now = new Date()) {
    return this.db.transaction('REPEATABLE READ', async (m) => {
      const calendar = await this.calendars.get(tenantId, m);
      const target = month ?? localTime(now, calendar.timezone).date.slice(0, 7);
      checked(() => parseMonth(target));
      const { contract, assembled, periodStart } = await this.build(m, tenantId, target, calendar.timezone);
      return {
        month: target,
        recipientName: contract.recipientName,
        periodStart,
        periodEnd: lastDay(target),
        ...assembled,
      };
    });
  }

  /**
   * draft → issued: takes the next number of its series in the same transaction (no gaps). A
   * monthly invoice is rebuilt under its month's close lock as it is issued (the close with
   * issue), so a call rated between the draft and now is on it: what is issued is exactly what
   * is billed in the month (decision 0007).
   */
  async issue(id: string, now = new Date()): Promise<InvoiceEntity> {
    // Issuing rebuilds the draft, so it waits for the pipeline like the close (asked before the
    // transaction: no pooled connection waits on the broker).
    const found = await this.invoices.byId(this.db.manager, id);
    if (!found) throw notFound('invoice');
    const verdicts =
      found.kind === 'invoice' && found.status === 'draft'
        ? await this.pipelineVerdicts([found.tenantId], found.month, now)
        : new Map<string, WatermarkVerdict>();
    const verdict = verdicts.get(found.tenantId.toLowerCase());
    if (verdict && !verdict.ok) throw verdict.error;
    return this.db.transaction(async (m) => {
      const draft = await this.invoices.byId(m, id);
      if (!draft) throw notFound('invoice');
      if (draft.kind === 'invoice') {
        await this.monthLocks.lock(m, [{ tenantId: draft.tenantId, month: draft.month }], 'exclusive');
        const current = await this.lock(m, id);
        if (current.status !== 'draft') throw transition(current.status, 'issued');
        const { invoiceIds, refused } = await this.closeTenants(m, [current.tenantId], current.month, now, true);
        const refusal = refused.get(current.tenantId.toLowerCase());
        if (refusal) throw refusal;
        await this.recordWatermarks(m, invoiceIds, verdicts);
        if (invoiceIds.get(current.tenantId.toLowerCase()) !== id)
          throw new Error(`issuing ${id} rebuilt another invoice`);
        return this.found(m, id);
      }
      const invoice = await this.lock(m, id);
      if (invoice.status !== 'draft') throw transition(invoice.status, 'issued');
      invoice.number = await this.numbering.next(m, SERIES[invoice.kind]);
      invoice.status = 'issued';
      invoice.issuedAt = new Date();
      return this.announceIssued(m, await this.invoices.save(m, invoice));
    });
  }

  async markPaid(id: string): Promise<InvoiceEntity> {
    return this.db.transaction(async (m) => {
      const invoice = await this.lock(m, id);
      if (invoice.status !== 'issued' || invoice.kind !== 'invoice') throw transition(invoice.status, 'paid');
      invoice.status = 'paid';
      invoice.paidAt = new Date();
      return this.invoices.save(m, invoice);
    });
  }

  /** A void invoice keeps its number (no gap) and frees its month for a new close. */
  async void(id: string, reason: string): Promise<InvoiceEntity> {
    if (!reason.trim())
      throw badInput({ ja: '取り消す理由を入力してください。', en: 'Say why the invoice is voided.' });
    return this.db.transaction(async (m) => {
      const invoice = await this.lock(m, id);
      if (invoice.status !== 'draft' && invoice.status !== 'issued') throw transition(invoice.status, 'void');
      invoice.status = 'void';
      invoice.voidedAt = new Date();
      invoice.reason = reason.trim();
      return this.invoices.save(m, invoice);
    });
  }

  /** Corrections to an issued invoice: an issued credit note of its own number series. */
  async creditNote(invoiceId: string, description: string, amountYen: number): Promise<InvoiceEntity> {
    if (!description.trim())
      throw badInput({
        ja: '返金伝票で訂正する内容を入力してください。',
        en: 'Describe what the credit note corrects.',
      });
    if (!Number.isSafeInteger(amountYen) || amountYen <= 0)
      throw badInput({
        ja: '返金額は1円以上の整数（税抜）で指定してください。',
        en: 'The credit is a positive number of yen (税抜).',
      });
    return this.db.transaction(async (m) => {
      const invoice = await this.lock(m, invoiceId);
      if (invoice.kind !== 'invoice' || (invoice.status !== 'issued' && invoice.status !== 'paid')) {
        throw new DomainError('NOT_CREDITABLE');
      }
      const credited = await this.invoices.creditedSubtotal(m, invoice.tenantId, invoice.id);
      if (credited + amountYen > invoice.subtotalYen) {
        throw new DomainError('CREDIT_EXCEEDS_INVOICE', {
          leftYen: invoice.subtotalYen - credited,
          number: invoice.number ?? '',
        });
      }
      const taxRatePercent = this.issuer.taxRatePercent;
      const lines: InvoiceLine[] = [
        {
          kind: 'CREDIT',
          description: `${invoice.number} の訂正: ${description.trim()}`,
          quantity: 1,
          unitPriceYen: amountYen,
          amountYen,
          taxRatePercent,
        },
      ];
      const taxes = taxPerRate(lines, this.issuer.taxRounding);
      const taxYen = taxes.reduce((s, t) => s + t.taxYen, 0);
      const note = await this.invoices.insert(m, {
        tenantId: invoice.tenantId,
        kind: 'credit-note',
        month: invoice.month,
        contractId: invoice.contractId,
        number: await this.numbering.next(m, SERIES['credit-note']),
        status: 'issued',
        issuerName: this.issuer.name,
        issuerRegistrationNumber: this.issuer.registrationNumber,
        recipientName: invoice.recipientName,
        periodStart: invoice.periodStart,
        periodEnd: invoice.periodEnd,
        lines,
        taxes,
        subtotalYen: amountYen,
        taxYen,
        totalYen: amountYen + taxYen,
        creditedInvoiceId: invoice.id,
        reason: description.trim(),
        issuedAt: new Date(),
      });
      return this.announceIssued(m, note);
    });
  }

  /**
   * billing.invoices.v1 in the transaction that issues the invoice or credit note (customers sends
   * it on as the tenant's `invoice.issued` webhook).
   */
  private async announceIssued(m: EntityManager, invoice: InvoiceEntity): Promise<InvoiceEntity> {
    if (invoice.status !== 'issued' || !invoice.number) return invoice;
    await enqueueEvent(m, {
      topic: INVOICES_TOPIC,
      key: invoice.tenantId,
      tenantId: invoice.tenantId,
      payload: {
        invoiceId: invoice.id,
        kind: invoice.kind,
        number: invoice.number,
        month: invoice.month,
        periodStart: invoice.periodStart,
        periodEnd: invoice.periodEnd,
        subtotalYen: invoice.subtotalYen,
        taxYen: invoice.taxYen,
        totalYen: invoice.totalYen,
        issuedAt: (invoice.issuedAt ?? new Date()).toISOString(),
      },
    });
    return invoice;
  }

  private async lock(m: EntityManager, id: string): Promise<InvoiceEntity> {
    const invoice = await this.invoices.lockById(m, id);
    if (!invoice) throw notFound('invoice');
    return invoice;
  }

  private async found(m: EntityManager, id: string): Promise<InvoiceEntity> {
    const invoice = await this.invoices.byId(m, id);
    if (!invoice) throw new Error(`invoice ${id} vanished in its own transaction`);
    return invoice;
  }

  /**
   * Keeps on each invoice this close wrote (a draft, or one it issued: `issued_at` is the
   * transaction's `now()`) the pipeline watermark the close used. Invoices issued before are never
   * changed.
   */
  private async recordWatermarks(
    m: EntityManager,
    invoiceIds: ReadonlyMap<string, string>,
    verdicts: ReadonlyMap<string, WatermarkVerdict>,
  ): Promise<void> {
    const ids: string[] = [];
    const marks: string[] = [];
    for (const [tenantId, id] of invoiceIds) {
      const verdict = verdicts.get(tenantId);
      if (!verdict?.ok) continue;
      ids.push(id);
      marks.push(verdict.watermark.toISOString());
    }
    await this.invoices.recordWatermarks(m, ids, marks);
  }
}

function draftFields(tenantId: string, month: string, b: BuiltInvoice): DraftFields {
  return {
    tenantId,
    contractId: b.contract.id,
    recipientName: b.contract.recipientName,
    periodStart: b.periodStart,
    periodEnd: lastDay(month),
    lines: b.assembled.lines,
    taxes: b.assembled.taxes,
    subtotalYen: b.assembled.subtotalYen,
    taxYen: b.assembled.taxYen,
  };
}

const transition = (from: InvoiceStatus, to: InvoiceStatus) => new DomainError('INVALID_INVOICE_STATUS', { from, to });
