import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { badInput, DomainError, notFound } from '@thankstar/platform';
import type { DataSource, EntityManager } from 'typeorm';
import { checked } from '../access/rule-errors';
import { localTime } from '../calendar/business-calendar';
import { CalendarService } from '../calendar/calendar.service';
import { firstDay, lastDay, monthIndex, monthOf, parseMonth } from '../calendar/month';
import { ConnectionPackEntity, ContractEntity } from '../contracts/contract.entity';
import { termsOf } from '../plans/plan.entity';
import { PlansService } from '../plans/plans.service';
import { ratingRepository } from '../rating/rating.repository';
import { assembleInvoice, type InvoiceLine, type RatedCallRecord } from './invoice';
import { InvoiceEntity, type InvoiceStatus } from './invoice.entity';
import { ISSUER, type Issuer } from './issuer';
import { taxPerRate } from './tax';

const SERIES = { invoice: 'INV', 'credit-note': 'CN' } as const;

@Injectable()
export class InvoicingService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    @Inject(ISSUER) private readonly issuer: Issuer,
    private readonly plans: PlansService,
    private readonly calendars: CalendarService,
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
      throw notFound('The invoice');
    }
    return invoice;
  }

  async setKeyedRecords(tenantId: string, month: string, records: number): Promise<number> {
    checked(() => parseMonth(month));
    if (!Number.isSafeInteger(records) || records < 0) throw badInput('records must be 0 or more.');
    await this.db.query(
      `INSERT INTO keyed_records (tenant_id, month, records) VALUES ($1, $2, $3)
       ON CONFLICT (tenant_id, month) DO UPDATE SET records = EXCLUDED.records`,
      [tenantId, month, records],
    );
    return records;
  }

  /**
   * The monthly close: builds the draft invoice of a tenant's month from its contract and rated
   * calls. Idempotent: an issued invoice is returned as is; a draft is rebuilt from the same data.
   */
  async closeMonth(tenantId: string, month: string, now = new Date()): Promise<InvoiceEntity> {
    checked(() => parseMonth(month));
    return this.db.transaction(async (m) => {
      // One close per tenant and month at a time, across replicas.
      await m.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`billing.close:${tenantId}:${month}`]);
      const existing = await m
        .getRepository(InvoiceEntity)
        .createQueryBuilder('i')
        .where(`i.tenant_id = :tenantId AND i.month = :month AND i.kind = 'invoice' AND i.status <> 'void'`, {
          tenantId,
          month,
        })
        .getOne();
      if (existing && existing.status !== 'draft') return existing;

      const calendar = await this.calendars.get(tenantId, m);
      const currentMonth = localTime(now, calendar.timezone).date.slice(0, 7);
      if (monthIndex(month) >= monthIndex(currentMonth)) {
        throw new DomainError('MONTH_NOT_OVER', `${month} is not over yet in ${calendar.timezone}.`, 409);
      }
      const { contract, assembled, periodStart } = await this.build(m, tenantId, month, calendar.timezone);
      const fields = {
        tenantId,
        kind: 'invoice' as const,
        month,
        contractId: contract.id,
        number: null,
        status: 'draft' as const,
        issuerName: this.issuer.name,
        issuerRegistrationNumber: this.issuer.registrationNumber,
        recipientName: contract.recipientName,
        periodStart,
        periodEnd: lastDay(month),
        lines: assembled.lines,
        taxes: assembled.taxes,
        subtotalYen: assembled.subtotalYen,
        taxYen: assembled.taxYen,
        totalYen: assembled.totalYen,
        creditedInvoiceId: null,
        reason: null,
      };
      const repo = m.getRepository(InvoiceEntity);
      return repo.save(existing ? repo.merge(existing, fields) : repo.create(fields));
    });
  }

  /** The month's lines from the contract in force and the rated calls; nothing is written. */
  private async build(m: EntityManager, tenantId: string, month: string, timezone: string) {
    const contract = await m
      .getRepository(ContractEntity)
      .createQueryBuilder('c')
      .where('c.tenant_id = :tenantId AND c.service_start_date <= :last', { tenantId, last: lastDay(month) })
      .andWhere('(c.end_month IS NULL OR c.end_month >= :month)', { month })
      .orderBy('c.service_start_date', 'DESC')
      .getOne();
    if (!contract) throw new DomainError('NOTHING_TO_INVOICE', `The tenant had no contract in ${month}.`, 409);
    const version = await this.plans.version(contract.planVersionId, m);
    const packs = await m.getRepository(ConnectionPackEntity).findBy({ contractId: contract.id });
    const calls: RatedCallRecord[] = (
      await m.query(
        `SELECT call_id, class, popup_yen, list_input_yen, exemption FROM rated_calls
          WHERE tenant_id = $1 AND local_date BETWEEN $2 AND $3 ORDER BY rang_at, call_id`,
        [tenantId, firstDay(month), lastDay(month)],
      )
    ).map(
      (r: {
        call_id: string;
        class: RatedCallRecord['popupClass'];
        popup_yen: number;
        list_input_yen: number;
        exemption: RatedCallRecord['exemption'];
      }) => ({
        callId: r.call_id,
        popupClass: r.class,
        popupYen: r.popup_yen,
        listInputYen: r.list_input_yen,
        exemption: r.exemption,
      }),
    );
    const [keyed] = await m.query('SELECT records FROM keyed_records WHERE tenant_id = $1 AND month = $2', [
      tenantId,
      month,
    ]);
    const pcs = await ratingRepository.pcsRegisteredInMonth(m, tenantId, firstDay(month), timezone);
    const assembled = checked(() =>
      assembleInvoice({
        month,
        plan: termsOf(version),
        serviceStartDate: contract.serviceStartDate,
        endMonth: contract.endMonth,
        listInput: contract.listInput,
        connectionPacks: packs,
        registeredPcs: pcs,
        calls,
        recordsKeyed: keyed?.records ?? 0,
        taxRatePercent: this.issuer.taxRatePercent,
        taxRounding: this.issuer.taxRounding,
      }),
    );
    const periodStart =
      monthIndex(month) === monthIndex(monthOf(contract.serviceStartDate))
        ? contract.serviceStartDate
        : firstDay(month);
    return { contract, assembled, periodStart };
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

  /** draft → issued: takes the next number of its series in the same transaction (no gaps). */
  async issue(id: string): Promise<InvoiceEntity> {
    return this.db.transaction(async (m) => {
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
    if (!reason.trim()) throw badInput('Say why the invoice is voided.');
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
    if (!description.trim()) throw badInput('Describe what the credit note corrects.');
    if (!Number.isSafeInteger(amountYen) || amountYen <= 0)
      throw badInput('The credit is a positive number of yen (税抜).');
    return this.db.transaction(async (m) => {
      const invoice = await this.lock(m, invoiceId);
      if (invoice.kind !== 'invoice' || (invoice.status !== 'issued' && invoice.status !== 'paid')) {
        throw new DomainError('NOT_CREDITABLE', 'Only an issued or paid invoice can be credited.', 409);
      }
      const [{ credited }] = await m.query(
        `SELECT coalesce(sum(subtotal_yen), 0)::bigint AS credited FROM invoices WHERE credited_invoice_id = $1 AND status <> 'void'`,
        [invoice.id],
      );
      if (Number(credited) + amountYen > invoice.subtotalYen) {
        throw new DomainError(
          'CREDIT_EXCEEDS_INVOICE',
          `At most ${invoice.subtotalYen - Number(credited)} yen (税抜) of ${invoice.number} is left to credit.`,
          409,
        );
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
    if (!invoice) throw notFound('The invoice');
    return invoice;
  }
}

async function nextNumber(m: EntityManager, series: string): Promise<string> {
  const [row] = await m.query(
    // Wrapped in a CTE so the driver returns the row (a bare UPDATE returns [rows, count]).
    'WITH bumped AS (UPDATE invoice_counters SET last_number = last_number + 1 WHERE series = $1 RETURNING last_number) SELECT last_number FROM bumped',
    [series],
  );
  return `${series}-${String(row.last_number).padStart(6, '0')}`;
}

const transition = (from: InvoiceStatus, to: InvoiceStatus) =>
  new DomainError('INVALID_INVOICE_STATUS', `An invoice that is ${from} cannot become ${to}.`, 409);
