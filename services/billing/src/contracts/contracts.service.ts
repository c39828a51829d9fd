import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { CONTRACTS_TOPIC, isUuid, MAX_CONNECTION_PACKS } from '@thankstar/contracts';
import { badInput, DomainError, enqueueEvent, notFound } from '@thankstar/platform';
import type { DataSource, EntityManager } from 'typeorm';
import { checked } from '../access/rule-errors';
import { localTime } from '../calendar/business-calendar';
import { CalendarService } from '../calendar/calendar.service';
import { monthIndex, monthOf, parseDate, parseMonth } from '../calendar/month';
import type { ListInputOption } from '../invoicing/invoice';
import { InvoicesRepository } from '../invoicing/invoices.repository';
import { firstOpenMonth, monthLabelJa } from '../invoicing/late-data';
import { MonthLocks } from '../invoicing/month-locks';
import { PlansService } from '../plans/plans.service';
import { RatingRepository } from '../rating/rating.repository';
import type { ConnectionPackEntity, ContractEntity, ContractStatus } from './contract.entity';
import { coveringContract, type PlanChange, planVersionOn } from './contract-terms';
import { type ContractSort, ContractsRepository } from './contracts.repository';
import { type EarlyTermination, earlyTermination } from './early-termination';

/** The pure rules of which contract and plan version are in force: contract-terms.ts. */
/** Capacity is 1 + 5 × packs and at most 100 (docs/product-rules.md#concurrent-connections), so at most 19 packs (libs/contracts). */
export { coveringContract, MAX_CONNECTION_PACKS, type PlanChange, planVersionOn };

export interface NewContract {
  tenantId: string;
  recipientName: string;
  planCode: string;
  serviceStartDate: string;
  listInput: ListInputOption;
  connectionPacks: number;
}

@Injectable()
export class ContractsService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly plans: PlansService,
    private readonly calendars: CalendarService,
    private readonly monthLocks: MonthLocks,
    private readonly repo: ContractsRepository,
    private readonly invoices: InvoicesRepository,
    private readonly ratedCalls: RatingRepository,
  ) {}

  get manager(): EntityManager {
    return this.db.manager;
  }

  /** The tenant's active contract, else its latest one. */
  current(tenantId: string, manager: EntityManager = this.db.manager): Promise<ContractEntity | null> {
    return this.repo.current(manager, tenantId);
  }

  /**
   * Contracts, newest first: by service start date, then by creation. `tenantId` null means every
   * tenant's (provider staff only; the resolver decides); `status` null means any status.
   */
  list(
    tenantId: string | null,
    status: ContractStatus | null,
    manager: EntityManager = this.db.manager,
  ): Promise<ContractEntity[]> {
    if (tenantId !== null && !isUuid(tenantId)) throw badInput('tenantId must be a tenant id (UUID).');
    return this.repo.list(manager, tenantId, status);
  }

  /** Every contract of these tenants, by tenant id (lower case), in one query. */
  /** A page of contracts; `filter.tenantId` null: every tenant's (provider staff). */
  page(
    filter: { tenantId: string | null; status: ContractStatus | null; planCode: string | null },
    page: { offset: number; limit: number; sort: ContractSort; descending: boolean },
  ) {
    return this.repo.page(this.db.manager, filter, page);
  }

  async allOf(manager: EntityManager, tenantIds: readonly string[]): Promise<Map<string, ContractEntity[]>> {
    const out = new Map<string, ContractEntity[]>();
    if (tenantIds.length === 0) return out;
    const rows = await this.repo.ofTenants(manager, tenantIds);
    for (const c of rows) {
      const key = c.tenantId.toLowerCase();
      out.set(key, [...(out.get(key) ?? []), c]);
    }
    return out;
  }

  /** The connection packs of these contracts, in one query. */
  packsOfContracts(manager: EntityManager, contractIds: readonly string[]): Promise<ConnectionPackEntity[]> {
    return this.repo.packsOfContracts(manager, contractIds);
  }

  /** The plan changes of these contracts, by contract id, in one query. */
  async planChanges(manager: EntityManager, contractIds: readonly string[]): Promise<Map<string, PlanChange[]>> {
    const out = new Map<string, PlanChange[]>();
    if (contractIds.length === 0) return out;
    for (const r of await this.repo.planChanges(manager, contractIds)) {
      const list = out.get(r.contractId) ?? [];
      list.push({ planVersionId: r.planVersionId, effectiveFrom: r.effectiveFrom });
      out.set(r.contractId, list);
    }
    return out;
  }

  /**
   * Moves an active contract to a newer version of its plan from the first day of a month that
   * has not begun in the tenant's zone, so no call of that month is rated yet and no invoice
   * exists for it. Rating and the monthly close use the version in force on each date.
   */
  async movePlanVersion(
    tenantId: string | null,
    contractId: string,
    planVersionId: string,
    effectiveFrom: string,
    now = new Date(),
  ): Promise<ContractEntity> {
    const date = checked(() => parseDate(effectiveFrom));
    if (date.day !== 1)
      throw badInput({
        ja: 'プラン変更は月の初日（YYYY-MM-01）から適用されます。',
        en: 'A plan change takes effect on the first day of a month (YYYY-MM-01).',
      });
    return this.db.transaction(async (m) => {
      const contract = await this.lockActive(m, tenantId, contractId);
      // The tenant's zone (the default calendar's, Asia/Tokyo, until it sets one).
      const calendar = await this.calendars.get(contract.tenantId, m);
      const today = localTime(now, calendar.timezone).date;
      if (effectiveFrom <= today) {
        throw new DomainError('PLAN_CHANGE_TOO_LATE', { today });
      }
      if (monthIndex(monthOf(effectiveFrom)) <= monthIndex(monthOf(contract.serviceStartDate))) {
        throw badInput({
          ja: `プラン変更は利用開始月（${contract.serviceStartDate}）より後の月から適用されます。`,
          en: `A plan change takes effect after the start month (${contract.serviceStartDate}).`,
        });
      }
      const changes = (await this.planChanges(m, [contract.id])).get(contract.id) ?? [];
      const last = changes.at(-1);
      if (last && last.effectiveFrom >= effectiveFrom) {
        throw new DomainError('PLAN_CHANGE_NOT_LATER', { effectiveFrom: last.effectiveFrom });
      }
      const current = await this.plans.version(planVersionOn(contract, changes, effectiveFrom), m);
      const next = (await this.plans.versionsById([planVersionId], m)).get(planVersionId);
      if (!next) throw notFound('planVersion');
      if (next.planId !== current.planId || next.version <= current.version) {
        throw new DomainError('PLAN_VERSION_NOT_NEWER', { version: current.version });
      }
      if (next.effectiveFrom > effectiveFrom) {
        throw new DomainError('PLAN_VERSION_NOT_IN_EFFECT', {
          version: next.version,
          versionFrom: next.effectiveFrom,
          effectiveFrom,
        });
      }
      await this.repo.insertPlanChange(m, contract.tenantId, contract.id, next.id, effectiveFrom);
      return contract;
    });
  }

  async byId(tenantId: string | null, id: string, manager: EntityManager = this.db.manager): Promise<ContractEntity> {
    if (!isUuid(id)) throw notFound('contract');
    const contract = await this.repo.byId(manager, id);
    if (!contract || (tenantId && contract.tenantId !== tenantId)) throw notFound('contract');
    return contract;
  }

  packs(
    tenantId: string,
    contractId: string,
    manager: EntityManager = this.db.manager,
  ): Promise<ConnectionPackEntity[]> {
    return this.repo.packs(manager, tenantId, contractId);
  }

  async create(input: NewContract): Promise<ContractEntity> {
    checked(() => parseDate(input.serviceStartDate));
    // The admin UI picks the tenant from the list; a hand-typed id that is no id is the caller's error, not ours.
    if (!isUuid(input.tenantId))
      throw badInput({
        ja: 'テナントを一覧から選んでください（テナントIDの形式ではありません）。',
        en: 'Choose the tenant from the list (that is not a tenant id).',
      });
    if (!input.recipientName.trim())
      throw badInput({ ja: '宛名を入力してください。', en: 'The recipient name (宛名) is required.' });
    checkPackCount(input.connectionPacks);
    return this.db.transaction(async (m) => {
      const { version } = await this.plans.versionOn(m, input.planCode, input.serviceStartDate);
      if (await this.repo.activeExists(m, input.tenantId)) {
        throw new DomainError('CONTRACT_EXISTS');
      }
      const next = await this.repo.nextEventVersion(m, input.tenantId);
      const contract = await this.repo.insert(m, {
        tenantId: input.tenantId,
        recipientName: input.recipientName.trim(),
        planVersionId: version.id,
        serviceStartDate: input.serviceStartDate,
        listInput: input.listInput,
        status: 'active',
        endMonth: null,
        terminationFeeYen: null,
        eventVersion: next,
      });
      for (let i = 0; i < input.connectionPacks; i++) {
        await this.repo.insertPack(m, contract.tenantId, contract.id, input.serviceStartDate);
      }
      await this.publish(m, contract);
      return contract;
    });
  }

  async addPacks(
    tenantId: string | null,
    contractId: string,
    count: number,
    purchasedOn: string,
  ): Promise<ContractEntity> {
    checked(() => parseDate(purchasedOn));
    if (!Number.isSafeInteger(count) || count < 1)
      throw badInput({ ja: 'パックを1つ以上追加してください。', en: 'Add at least one pack.' });
    return this.db.transaction(async (m) => {
      const contract = await this.lockActive(m, tenantId, contractId);
      if (purchasedOn < contract.serviceStartDate)
        throw badInput({
          ja: '利用開始日より前の日付でパックは購入できません。',
          en: 'Packs cannot be bought before the service starts.',
        });
      await this.refuseInvoicedMonth(m, contract.tenantId, monthOf(purchasedOn));
      const existing = await this.repo.countPacks(m, contractId);
      if (existing + count > MAX_CONNECTION_PACKS) {
        throw new DomainError('CONNECTION_LIMIT', { max: MAX_CONNECTION_PACKS, existing });
      }
      for (let i = 0; i < count; i++) {
        await this.repo.insertPack(m, contract.tenantId, contractId, purchasedOn);
      }
      contract.eventVersion += 1;
      await this.repo.save(m, contract);
      await this.publish(m, contract);
      return contract;
    });
  }

  async previewTermination(tenantId: string | null, contractId: string, endMonth: string): Promise<EarlyTermination> {
    const contract = await this.byId(tenantId, contractId);
    return this.terminationFee(this.db.manager, contract, endMonth);
  }

  async terminate(
    tenantId: string | null,
    contractId: string,
    endMonth: string,
    expectedFeeYen: number,
  ): Promise<ContractEntity> {
    return this.db.transaction(async (m) => {
      const contract = await this.lockActive(m, tenantId, contractId);
      const et = await this.terminationFee(m, contract, endMonth);
      if (et.feeYen !== expectedFeeYen) {
        throw new DomainError('TERMINATION_FEE_CHANGED', { feeYen: et.feeYen, expectedFeeYen }, { feeYen: et.feeYen });
      }
      if (et.feeYen > 0) await this.refuseIssuedEndMonth(m, contract.tenantId, endMonth);
      if (await this.invoices.invoicedAfter(m, contract.tenantId, endMonth)) {
        throw new DomainError('ALREADY_INVOICED', { endMonth });
      }
      // Calls after the end month that were priced while the contract was in force are usage the
      // tenant had: an end month before them would leave them on no invoice (and stop that month's
      // close), so the end month must be at least the month of the last one.
      const usedLater = await this.ratedCalls.lastPricedMonthAfter(m, contract.tenantId, endMonth);
      if (usedLater) {
        throw new DomainError(
          'END_MONTH_BEFORE_USAGE',
          { month: monthLabelJa(usedLater), end: monthLabelJa(endMonth) },
          { lastUsedMonth: usedLater },
        );
      }
      Object.assign(contract, {
        status: 'terminated',
        endMonth,
        terminationFeeYen: et.feeYen,
        eventVersion: contract.eventVersion + 1,
      });
      await this.repo.save(m, contract);
      await this.publish(m, contract);
      return contract;
    });
  }

  private async terminationFee(
    m: EntityManager,
    contract: ContractEntity,
    endMonth: string,
  ): Promise<EarlyTermination> {
    checked(() => parseMonth(endMonth));
    if (monthIndex(endMonth) < monthIndex(monthOf(contract.serviceStartDate))) {
      throw badInput({
        ja: `最終月を利用開始（${contract.serviceStartDate}）より前にはできません。`,
        en: `The end month must not be before the service start (${contract.serviceStartDate}).`,
      });
    }
    const changes = (await this.planChanges(m, [contract.id])).get(contract.id) ?? [];
    const version = await this.plans.version(planVersionOn(contract, changes, `${endMonth}-01`), m);
    return checked(() =>
      earlyTermination(contract.serviceStartDate, endMonth, version.maintenanceYen, version.minimumTermMonths),
    );
  }

  private async lockActive(m: EntityManager, tenantId: string | null, contractId: string): Promise<ContractEntity> {
    const contract = await this.repo.lockById(m, contractId);
    if (!contract || (tenantId && contract.tenantId !== tenantId)) throw notFound('contract');
    if (contract.status !== 'active') throw new DomainError('CONTRACT_TERMINATED');
    return contract;
  }

  /**
   * A pack is billed for its first year in its purchase month (and on each anniversary), so a pack
   * dated into a month whose invoice is issued would go unbilled for a year. Billing it late on the
   * next invoice would need its own first-billing month kept apart from its anniversary; dating it
   * into an issued month is a back-office mistake or a correction, so it is refused at entry with
   * the first month it can be dated in (decision 0007). The month's close lock is taken shared, so a
   * close issuing that month cannot slip in between the check and the insert.
   */
  private async refuseInvoicedMonth(m: EntityManager, tenantId: string, month: string): Promise<void> {
    await this.monthLocks.lock(m, [{ tenantId, month }], 'shared');
    const invoiced = (await this.monthLocks.invoicedMonths(m, [tenantId.toLowerCase()], month)).get(
      tenantId.toLowerCase(),
    );
    const open = firstOpenMonth(month, invoiced ?? new Set());
    if (open !== month) {
      throw new DomainError(
        'PACK_MONTH_INVOICED',
        { month: { ja: monthLabelJa(month), en: month }, open: { ja: monthLabelJa(open), en: open } },
        { month, firstOpenMonth: open },
      );
    }
  }

  /**
   * The early-termination fee is billed on the end month's invoice (invoice.ts). If that invoice is
   * already issued it never changes, and no later invoice carries fees, so confirming the
   * termination would drop the fee: refused at entry (decision 0007: what cannot be moved to a
   * later month is refused with a clear message). Only called when there is a fee: ending after the
   * term costs nothing, so an issued end month loses nothing then. The month's close lock is taken
   * shared, so a close issuing the end month cannot slip in between the check and the termination.
   */
  private async refuseIssuedEndMonth(m: EntityManager, tenantId: string, endMonth: string): Promise<void> {
    await this.monthLocks.lock(m, [{ tenantId, month: endMonth }], 'shared');
    const invoiced = (await this.monthLocks.invoicedMonths(m, [tenantId.toLowerCase()], endMonth)).get(
      tenantId.toLowerCase(),
    );
    if (invoiced?.has(endMonth)) {
      const next = firstOpenMonth(endMonth, invoiced);
      throw new DomainError(
        'END_MONTH_INVOICED',
        { month: { ja: monthLabelJa(endMonth), en: endMonth }, next: { ja: monthLabelJa(next), en: next } },
        { endMonth, firstOpenMonth: next },
      );
    }
  }

  /** billing.contracts.v1, in the same transaction as the change (licensing sizes connections on it). */
  private async publish(m: EntityManager, contract: ContractEntity): Promise<void> {
    const packs = await this.repo.countPacks(m, contract.id);
    const version = await this.plans.version(contract.planVersionId, m);
    const plan = await this.plans.plan(version.planId, m);
    await enqueueEvent(m, {
      topic: CONTRACTS_TOPIC,
      key: contract.tenantId,
      tenantId: contract.tenantId,
      payload: {
        contractId: contract.id,
        version: contract.eventVersion,
        status: contract.status,
        connectionPacks: packs,
        planCode: plan.code,
        at: new Date().toISOString(),
      },
    });
  }
}

function checkPackCount(count: number): void {
  if (!Number.isSafeInteger(count) || count < 0 || count > MAX_CONNECTION_PACKS) {
    throw badInput({
      ja: `接続パックの数は0〜${MAX_CONNECTION_PACKS}です。`,
      en: `Connection packs must be between 0 and ${MAX_CONNECTION_PACKS}.`,
    });
  }
}
