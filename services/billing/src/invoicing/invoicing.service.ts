import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { badInput, DomainError, notFound } from '@thankstar/platform';
import { type DataSource, type EntityManager, In } from 'typeorm';
import { checked } from '../access/rule-errors';
import { defaultCalendar, localTime } from '../calendar/business-calendar';
import { CalendarService } from '../calendar/calendar.service';
import { firstDay, lastDay, monthIndex, monthOf, parseMonth } from '../calendar/month';
import { ConnectionPackEntity, type ContractEntity } from '../contracts/contract.entity';
import { ContractsService, coveringContract, planVersionOn } from '../contracts/contracts.service';
import { KeyedRecordsService } from '../keyed-records/keyed-records.service';
import { termsOf } from '../plans/plan.entity';
import { PlansService } from '../plans/plans.service';
import { ratingRepository } from '../rating/rating.repository';
import { type AssembledInvoice, assembleInvoice, type InvoiceLine, type RatedCallCount } from './invoice';
import { InvoiceEntity, type InvoiceStatus } from './invoice.entity';
import { ISSUER, type Issuer } from './issuer';
import { lateCall, lockMonths } from './month-locks';
import { PipelineWatermarkService, type WatermarkVerdict } from './pipeline-watermark.service';
import { taxPerRate } from './tax';

const SERIES = { invoice: 'INV', 'credit-note': 'CN' } as const;

@Injectable()
export class InvoicingService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    @Inject(ISSUER) private readonly issuer: Issuer,
    private readonly plans: PlansService,
    private readonly calendars: CalendarService,
    private readonly contracts: ContractsService,
    private readonly keyedRecords: KeyedRecordsService,
    private readonly pipeline: PipelineWatermarkService,
  ) {}

  /** Invoices and credit notes of a tenant; tenants never see drafts. */
  list(tenantId: string, includeDrafts: boolean): Promise<InvoiceEntity[]> {
    const q = this.db
      .getRepository(InvoiceEntity)
      .createQueryBuilder('i')
      .where('i.tenant_id = :tenantId', { tenantId })
      .orderBy('i.month', 'DESC')
      .addOrderBy('i.created_at', 'DESC');
    if (!includeDrafts) q.andWhere(`i.status <> 'draft'`);
    return q.getMany();
  }

  /** One invoice, only within the given tenant unless `tenantId` is null (provider staff). */
  async get(tenantId: string | null, id: string, includeDrafts: boolean): Promise<InvoiceEntity> {
    const invoice = await this.db.getRepository(InvoiceEntity).findOneBy({ id });
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
      await recordWatermarks(m, invoiceIds, verdict ? new Map([[tenantId.toLowerCase(), verdict]]) : new Map());
      const refusal = refused.get(tenantId.toLowerCase());
      if (refusal) throw refusal;
      const id = invoiceIds.get(tenantId.toLowerCase());
      if (!id) throw new Error(`closing ${month} for ${tenantId} produced no invoice`);
      return m.getRepository(InvoiceEntity).findOneByOrFail({ id });
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
            await recordWatermarks(m, closed.invoiceIds, verdicts);
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
    await lockMonths(
      m,
      ids.map((tenantId) => ({ tenantId, month })),
      'exclusive',
    );
    const existing: { id: string; tenant_id: string; status: InvoiceStatus }[] = await m.query(
      `SELECT id, tenant_id, status FROM invoices
        WHERE tenant_id = ANY($1::uuid[]) AND month = $2 AND kind = 'invoice' AND status <> 'void'`,
      [ids, month],
    );
    const done = new Set<string>();
    for (const e of existing) {
      if (e.status === 'draft') continue;
      invoiceIds.set(e.tenant_id, e.id);
      done.add(e.tenant_id);
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
    const built = await this.buildMany(m, timezones, month);
    const rows: { tenantId: string; fields: InvoiceFields }[] = [];
    for (const [tenantId, b] of built) {
      if (b instanceof DomainError) refused.set(tenantId, b);
      else rows.push({ tenantId, fields: this.invoiceFields(tenantId, month, b) });
    }
    if (rows.length === 0) return { invoiceIds, refused };
    const col = <T>(f: (r: (typeof rows)[number]['fields']) => T) => rows.map((r) => f(r.fields));
    // A draft is rebuilt in place (same id); an invoice issued meanwhile is never overwritten.
    const written: { id: string; tenant_id: string; status: InvoiceStatus }[] = await m.query(
      `INSERT INTO invoices (tenant_id, kind, month, contract_id, status, issuer_name, issuer_registration_number,
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
      [
        rows.map((r) => r.tenantId),
        month,
        this.issuer.name,
        this.issuer.registrationNumber,
        col((f) => f.contractId),
        col((f) => f.recipientName),
        col((f) => f.periodStart),
        col((f) => f.periodEnd),
        col((f) => JSON.stringify(f.lines)),
        col((f) => JSON.stringify(f.taxes)),
        col((f) => f.subtotalYen),
        col((f) => f.taxYen),
      ],
    );
    const drafts = written.filter((w) => w.status === 'draft').sort((a, b) => a.tenant_id.localeCompare(b.tenant_id));
    for (const w of written) invoiceIds.set(w.tenant_id, w.id);
    if (issue && drafts.length > 0) {
      // The whole run of numbers is taken in this transaction: a rollback returns it, so no gaps.
      const numbers = await nextNumbers(m, SERIES.invoice, drafts.length);
      // In a CTE so the driver returns the rows (a bare UPDATE returns [rows, count]).
      const issued: unknown[] = await m.query(
        `WITH issued AS (
           UPDATE invoices i SET number = u.n, status = 'issued', issued_at = now()
             FROM unnest($1::uuid[], $2::text[]) AS u(id, n)
            WHERE i.id = u.id AND i.status = 'draft' RETURNING i.id)
         SELECT id FROM issued`,
        [drafts.map((d) => d.id), numbers],
      );
      if (issued.length !== drafts.length) throw new Error('an invoice changed while it was being issued');
    }
    return { invoiceIds, refused };
  }

  private invoiceFields(tenantId: string, month: string, b: Built): InvoiceFields {
    return {
      tenantId,
      month,
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

  /**
   * The month's lines of each tenant (timezone given) from the contract in force and its rated
   * calls, in a few set-based queries; nothing is written. A tenant without a contract in the
   * month gets a NOTHING_TO_INVOICE error instead.
   */
  private async buildMany(
    m: EntityManager,
    timezones: ReadonlyMap<string, string>,
    month: string,
  ): Promise<Map<string, Built | DomainError>> {
    const out = new Map<string, Built | DomainError>();
    const ids = [...timezones.keys()];
    if (ids.length === 0) return out;
    const first = firstDay(month);
    const last = lastDay(month);
    const all = await this.contracts.allOf(m, ids);
    const contracts = new Map<string, ContractEntity>();
    // Tenants whose contract ended before the month: invoiced only if late usage of the
    // contract's months was billed into it (decision 0007: the final settlement).
    const ended = new Set<string>();
    const nothing = () => new DomainError('NOTHING_TO_INVOICE', { month });
    for (const tenantId of ids) {
      const c = coveringContract(all.get(tenantId) ?? [], last) ?? lastEnded(all.get(tenantId) ?? [], month);
      if (c) contracts.set(tenantId, c);
      else out.set(tenantId, nothing());
      if (c?.endMonth && c.endMonth < month) ended.add(tenantId);
    }
    const withContract = [...contracts.keys()];
    if (withContract.length === 0) return out;
    // One after the other: the queries share the transaction's connection.
    const changes = await this.contracts.planChanges(
      m,
      [...contracts.values()].map((c) => c.id),
    );
    // The version in force on a date (plan changes take effect on the first of a month).
    const versionIdOf = (c: ContractEntity, date = last) => planVersionOn(c, changes.get(c.id) ?? [], date);
    const packs = await m
      .getRepository(ConnectionPackEntity)
      .findBy({ contractId: In([...contracts.values()].map((c) => c.id)) });
    // The calls billed in the month (billed_month, decision 0007), with the month each belongs
    // to: on-time ones through the by-day index, late ones through the partial index of late calls.
    const counts: {
      tenant_id: string;
      used_month: string;
      class: RatedCallCount['popupClass'];
      popup_yen: number;
      list_input_yen: number;
      exemption: RatedCallCount['exemption'];
      n: number;
    }[] = await m.query(
      `SELECT tenant_id, to_char(local_date, 'YYYY-MM') AS used_month, class, popup_yen, list_input_yen, exemption,
              count(*)::int AS n
         FROM (SELECT tenant_id, local_date, class, popup_yen, list_input_yen, exemption FROM rated_calls
                WHERE tenant_id = ANY($1::uuid[]) AND local_date BETWEEN $2 AND $3 AND billed_month = $4
               UNION ALL
               SELECT tenant_id, local_date, class, popup_yen, list_input_yen, exemption FROM rated_calls
                WHERE tenant_id = ANY($1::uuid[]) AND billed_month = $4 AND ${lateCall()}) r
        GROUP BY tenant_id, used_month, class, popup_yen, list_input_yen, exemption`,
      [withContract, first, last, month],
    );
    // Keyed records: the month's own (imports + adjustment) and earlier months' reported late.
    const keyedOf = await this.keyedRecords.billed(m, withContract, month);
    const pcs = await ratingRepository.pcsRegisteredInMonthMany(
      m,
      withContract
        .filter((t) => !ended.has(t))
        .map((tenantId) => ({ tenantId, timezone: timezones.get(tenantId) ?? 'Asia/Tokyo' })),
      first,
    );
    const packsOf = groupBy(packs, (p) => p.contractId);
    const countsOf = groupBy(counts, (r) => r.tenant_id);
    const lateOf = new Map<string, Map<string, { callCounts: RatedCallCount[]; recordsKeyed: number }>>();
    const lateMonth = (tenantId: string, used: string) => {
      const byMonth = lateOf.get(tenantId) ?? new Map<string, { callCounts: RatedCallCount[]; recordsKeyed: number }>();
      lateOf.set(tenantId, byMonth);
      const entry = byMonth.get(used) ?? { callCounts: [], recordsKeyed: 0 };
      byMonth.set(used, entry);
      return entry;
    };
    const ownCounts = new Map<string, RatedCallCount[]>();
    for (const [tenantId, rows] of countsOf) {
      for (const r of rows) {
        const count: RatedCallCount = {
          popupClass: r.class,
          popupYen: r.popup_yen,
          listInputYen: r.list_input_yen,
          exemption: r.exemption,
          count: r.n,
        };
        if (r.used_month === month) ownCounts.set(tenantId, [...(ownCounts.get(tenantId) ?? []), count]);
        else lateMonth(tenantId, r.used_month).callCounts.push(count);
      }
    }
    for (const [tenantId, keyed] of keyedOf) {
      for (const [used, records] of keyed.late) lateMonth(tenantId, used).recordsKeyed += records;
    }
    // Late keyed records are priced as in their own month (the version in force then).
    const lateVersionIds = [...contracts].flatMap(([tenantId, c]) =>
      [...(lateOf.get(tenantId)?.keys() ?? [])].map((used) => versionIdOf(c, lastDay(used))),
    );
    const versions = await this.plans.versionsById(
      [...[...contracts.values()].map((c) => versionIdOf(c)), ...lateVersionIds],
      m,
    );
    for (const [tenantId, contract] of contracts) {
      const version = versions.get(versionIdOf(contract));
      if (!version) throw notFound('planVersion');
      const late = [...(lateOf.get(tenantId) ?? [])].map(([used, l]) => ({
        month: used,
        callCounts: l.callCounts,
        recordsKeyed: l.recordsKeyed,
        listInputPerRecordYen: versions.get(versionIdOf(contract, lastDay(used)))?.listInputPerRecordYen,
      }));
      if (ended.has(tenantId) && !late.some((l) => l.recordsKeyed > 0 || l.callCounts.some((c) => c.count > 0))) {
        out.set(tenantId, nothing());
        continue;
      }
      try {
        const assembled = checked(() =>
          assembleInvoice({
            month,
            plan: termsOf(version),
            serviceStartDate: contract.serviceStartDate,
            endMonth: contract.endMonth,
            listInput: contract.listInput,
            connectionPacks: packsOf.get(contract.id) ?? [],
            registeredPcs: pcs.get(tenantId) ?? 0,
            calls: [],
            callCounts: ownCounts.get(tenantId) ?? [],
            recordsKeyed: keyedOf.get(tenantId.toLowerCase())?.own ?? 0,
            lateUsage: late,
            taxRatePercent: this.issuer.taxRatePercent,
            taxRounding: this.issuer.taxRounding,
          }),
        );
        const ownStart =
          monthIndex(month) === monthIndex(monthOf(contract.serviceStartDate)) ? contract.serviceStartDate : first;
        // The 取引期間 covers the late lines' months too (each line also names its month).
        const periodStart = [ownStart, ...late.map((l) => firstDay(l.month))].sort()[0] as string;
        out.set(tenantId, { contract, assembled, periodStart });
      } catch (err) {
        if (err instanceof DomainError) out.set(tenantId, err);
        else throw err;
      }
    }
    return out;
  }

  /** The month's lines of one tenant; nothing is written. */
  private async build(m: EntityManager, tenantId: string, month: string, timezone: string): Promise<Built> {
    const key = tenantId.toLowerCase();
    const built = (await this.buildMany(m, new Map([[key, timezone]]), month)).get(key);
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
    const found = await this.db.getRepository(InvoiceEntity).findOneBy({ id });
    if (!found) throw notFound('invoice');
    const verdicts =
      found.kind === 'invoice' && found.status === 'draft'
        ? await this.pipelineVerdicts([found.tenantId], found.month, now)
        : new Map<string, WatermarkVerdict>();
    const verdict = verdicts.get(found.tenantId.toLowerCase());
    if (verdict && !verdict.ok) throw verdict.error;
    return this.db.transaction(async (m) => {
      const draft = await m.getRepository(InvoiceEntity).findOneBy({ id });
      if (!draft) throw notFound('invoice');
      if (draft.kind === 'invoice') {
        await lockMonths(m, [{ tenantId: draft.tenantId, month: draft.month }], 'exclusive');
        const current = await this.lock(m, id);
        if (current.status !== 'draft') throw transition(current.status, 'issued');
        const { invoiceIds, refused } = await this.closeTenants(m, [current.tenantId], current.month, now, true);
        const refusal = refused.get(current.tenantId.toLowerCase());
        if (refusal) throw refusal;
        await recordWatermarks(m, invoiceIds, verdicts);
        if (invoiceIds.get(current.tenantId.toLowerCase()) !== id)
          throw new Error(`issuing ${id} rebuilt another invoice`);
        return m.getRepository(InvoiceEntity).findOneByOrFail({ id });
      }
      const invoice = await this.lock(m, id);
      if (invoice.status !== 'draft') throw transition(invoice.status, 'issued');
      invoice.number = await nextNumber(m, SERIES[invoice.kind]);
      invoice.status = 'issued';
      invoice.issuedAt = new Date();
      return m.getRepository(InvoiceEntity).save(invoice);
    });
  }

  async markPaid(id: string): Promise<InvoiceEntity> {
    return this.db.transaction(async (m) => {
      const invoice = await this.lock(m, id);
      if (invoice.status !== 'issued' || invoice.kind !== 'invoice') throw transition(invoice.status, 'paid');
      invoice.status = 'paid';
      invoice.paidAt = new Date();
      return m.getRepository(InvoiceEntity).save(invoice);
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
      return m.getRepository(InvoiceEntity).save(invoice);
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
      const [{ credited }] = await m.query(
        `SELECT coalesce(sum(subtotal_yen), 0)::bigint AS credited FROM invoices WHERE credited_invoice_id = $1 AND status <> 'void'`,
        [invoice.id],
      );
      if (Number(credited) + amountYen > invoice.subtotalYen) {
        throw new DomainError('CREDIT_EXCEEDS_INVOICE', {
          leftYen: invoice.subtotalYen - Number(credited),
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
      const repo = m.getRepository(InvoiceEntity);
      return repo.save(
        repo.create({
          tenantId: invoice.tenantId,
          kind: 'credit-note',
          month: invoice.month,
          contractId: invoice.contractId,
          number: await nextNumber(m, SERIES['credit-note']),
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
        }),
      );
    });
  }

  private async lock(m: EntityManager, id: string): Promise<InvoiceEntity> {
    const invoice = await m
      .getRepository(InvoiceEntity)
      .findOne({ where: { id }, lock: { mode: 'pessimistic_write' } });
    if (!invoice) throw notFound('invoice');
    return invoice;
  }
}

interface InvoiceFields {
  tenantId: string;
  month: string;
  contractId: string;
  recipientName: string;
  periodStart: string;
  periodEnd: string;
  lines: InvoiceLine[];
  taxes: AssembledInvoice['taxes'];
  subtotalYen: number;
  taxYen: number;
}

interface Built {
  contract: ContractEntity;
  assembled: AssembledInvoice;
  periodStart: string;
}

/** The tenant's contract that ended last before `month` (for the settlement of its late usage). */
function lastEnded(contracts: readonly ContractEntity[], month: string): ContractEntity | null {
  let best: ContractEntity | null = null;
  for (const c of contracts) {
    if (c.endMonth === null || c.endMonth >= month) continue;
    if (!best || (best.endMonth as string) < c.endMonth) best = c;
  }
  return best;
}

function groupBy<T>(items: readonly T[], key: (item: T) => string): Map<string, T[]> {
  const out = new Map<string, T[]>();
  for (const item of items) {
    const k = key(item).toLowerCase();
    const list = out.get(k);
    if (list) list.push(item);
    else out.set(k, [item]);
  }
  return out;
}

/**
 * Keeps on each invoice this close wrote (a draft, or one it issued: `issued_at` is the
 * transaction's `now()`) the pipeline watermark the close used. Invoices issued before are never
 * changed.
 */
async function recordWatermarks(
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
  if (ids.length === 0) return;
  await m.query(
    `UPDATE invoices i SET usage_watermark = u.w
       FROM unnest($1::uuid[], $2::timestamptz[]) AS u(id, w)
      WHERE i.id = u.id AND (i.status = 'draft' OR i.issued_at = now())`,
    [ids, marks],
  );
}

/** `count` consecutive numbers of a series, taken in the caller's transaction. */
async function nextNumbers(m: EntityManager, series: string, count: number): Promise<string[]> {
  const [row] = await m.query(
    'WITH bumped AS (UPDATE invoice_counters SET last_number = last_number + $2 WHERE series = $1 RETURNING last_number) SELECT last_number FROM bumped',
    [series, count],
  );
  const lastNumber = Number(row.last_number);
  return Array.from({ length: count }, (_, i) => `${series}-${String(lastNumber - count + 1 + i).padStart(6, '0')}`);
}

async function nextNumber(m: EntityManager, series: string): Promise<string> {
  const [row] = await m.query(
    // Wrapped in a CTE so the driver returns the row (a bare UPDATE returns [rows, count]).
    'WITH bumped AS (UPDATE invoice_counters SET last_number = last_number + 1 WHERE series = $1 RETURNING last_number) SELECT last_number FROM bumped',
    [series],
  );
  return `${series}-${String(row.last_number).padStart(6, '0')}`;
}

const transition = (from: InvoiceStatus, to: InvoiceStatus) => new DomainError('INVALID_INVOICE_STATUS', { from, to });
