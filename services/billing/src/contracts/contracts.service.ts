import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { CONTRACTS_TOPIC, DEFAULT_TIME_ZONE, isUuid, MAX_CONNECTION_PACKS } from '@thankstar/contracts';
import { badInput, DomainError, enqueueEvent, notFound } from '@thankstar/platform';
import { type DataSource, type EntityManager, In } from 'typeorm';
import { checked } from '../access/rule-errors';
import { localTime } from '../calendar/business-calendar';
import { monthIndex, monthOf, parseDate, parseMonth } from '../calendar/month';
import type { ListInputOption } from '../invoicing/invoice';
import { firstOpenMonth, monthLabelJa } from '../invoicing/late-data';
import { invoicedMonths, lockMonths } from '../invoicing/month-locks';
import { PlanEntity, PlanVersionEntity } from '../plans/plan.entity';
import { PlansService } from '../plans/plans.service';
import { ConnectionPackEntity, ContractEntity, type ContractStatus } from './contract.entity';
import { type EarlyTermination, earlyTermination } from './early-termination';

/** Capacity is 1 + 5 × packs and at most 100 (docs/product-rules.md#concurrent-connections), so at most 19 packs (libs/contracts). */
export { MAX_CONNECTION_PACKS };

/** A contract moved to another version of its plan from the first day of a month. */
export interface PlanChange {
  planVersionId: string;
  /** YYYY-MM-01 */
  effectiveFrom: string;
}

/** The plan version in force on a local date: the latest change effective by then, else the signed one. */
export function planVersionOn(
  contract: Pick<ContractEntity, 'planVersionId'>,
  changes: readonly PlanChange[],
  date: string,
): string {
  let best: PlanChange | null = null;
  for (const c of changes) {
    if (c.effectiveFrom <= date && (!best || c.effectiveFrom > best.effectiveFrom)) best = c;
  }
  return best?.planVersionId ?? contract.planVersionId;
}

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
  ) {}

  get manager(): EntityManager {
    return this.db.manager;
  }

  /** The tenant's active contract, else its latest one. */
  current(tenantId: string, manager: EntityManager = this.db.manager): Promise<ContractEntity | null> {
    return manager
      .getRepository(ContractEntity)
      .createQueryBuilder('c')
      .where('c.tenant_id = :tenantId', { tenantId })
      .orderBy(`c.status = 'active'`, 'DESC')
      .addOrderBy('c.created_at', 'DESC')
      .getOne();
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
    const query = manager.getRepository(ContractEntity).createQueryBuilder('c');
    if (tenantId !== null) query.andWhere('c.tenant_id = :tenantId', { tenantId });
    if (status !== null) query.andWhere('c.status = :status', { status });
    return query
      .orderBy('c.serviceStartDate', 'DESC')
      .addOrderBy('c.createdAt', 'DESC')
      .addOrderBy('c.id', 'DESC')
      .getMany();
  }

  /** Every contract of these tenants, by tenant id (lower case), in one query. */
  async allOf(manager: EntityManager, tenantIds: readonly string[]): Promise<Map<string, ContractEntity[]>> {
    const out = new Map<string, ContractEntity[]>();
    if (tenantIds.length === 0) return out;
    const rows = await manager.getRepository(ContractEntity).findBy({ tenantId: In([...tenantIds]) });
    for (const c of rows) {
      const key = c.tenantId.toLowerCase();
      out.set(key, [...(out.get(key) ?? []), c]);
    }
    return out;
  }

  /** The plan changes of these contracts, by contract id, in one query. */
  async planChanges(manager: EntityManager, contractIds: readonly string[]): Promise<Map<string, PlanChange[]>> {
    const out = new Map<string, PlanChange[]>();
    if (contractIds.length === 0) return out;
    const rows: { contract_id: string; plan_version_id: string; effective_from: string }[] = await manager.query(
      `SELECT contract_id, plan_version_id, effective_from::text AS effective_from FROM contract_plan_changes
        WHERE contract_id = ANY($1::uuid[]) ORDER BY effective_from`,
      [[...new Set(contractIds)]],
    );
    for (const r of rows) {
      const list = out.get(r.contract_id) ?? [];
      list.push({ planVersionId: r.plan_version_id, effectiveFrom: r.effective_from });
      out.set(r.contract_id, list);
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
      const [calendar] = await m.query('SELECT timezone FROM business_calendars WHERE tenant_id = $1', [
        contract.tenantId,
      ]);
      const today = localTime(now, calendar?.timezone ?? DEFAULT_TIME_ZONE).date;
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
      await m.query(
        `INSERT INTO contract_plan_changes (tenant_id, contract_id, plan_version_id, effective_from) VALUES ($1, $2, $3, $4)`,
        [contract.tenantId, contract.id, next.id, effectiveFrom],
      );
      return contract;
    });
  }

  async byId(tenantId: string | null, id: string, manager: EntityManager = this.db.manager): Promise<ContractEntity> {
    const contract = await manager.getRepository(ContractEntity).findOneBy({ id });
    if (!contract || (tenantId && contract.tenantId !== tenantId)) throw notFound('contract');
    return contract;
  }

  packs(
    tenantId: string,
    contractId: string,
    manager: EntityManager = this.db.manager,
  ): Promise<ConnectionPackEntity[]> {
    return manager
      .getRepository(ConnectionPackEntity)
      .find({ where: { tenantId, contractId }, order: { purchasedOn: 'ASC', createdAt: 'ASC' } });
  }

  async create(input: NewContract): Promise<ContractEntity> {
    checked(() => parseDate(input.serviceStartDate));
    if (!input.recipientName.trim())
      throw badInput({ ja: '宛名を入力してください。', en: 'The recipient name (宛名) is required.' });
    checkPackCount(input.connectionPacks);
    return this.db.transaction(async (m) => {
      const { version } = await this.plans.versionOn(m, input.planCode, input.serviceStartDate);
      if (await m.getRepository(ContractEntity).existsBy({ tenantId: input.tenantId, status: 'active' })) {
        throw new DomainError('CONTRACT_EXISTS');
      }
      const [{ next }] = await m.query(
        'SELECT coalesce(max(event_version), 0) + 1 AS next FROM contracts WHERE tenant_id = $1',
        [input.tenantId],
      );
      const contract = await m.getRepository(ContractEntity).save(
        m.create(ContractEntity, {
          tenantId: input.tenantId,
          recipientName: input.recipientName.trim(),
          planVersionId: version.id,
          serviceStartDate: input.serviceStartDate,
          listInput: input.listInput,
          status: 'active',
          endMonth: null,
          terminationFeeYen: null,
          eventVersion: Number(next),
        }),
      );
      for (let i = 0; i < input.connectionPacks; i++) {
        await m.getRepository(ConnectionPackEntity).save(
          m.create(ConnectionPackEntity, {
            tenantId: contract.tenantId,
            contractId: contract.id,
            purchasedOn: input.serviceStartDate,
          }),
        );
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
      await refuseInvoicedMonth(m, contract.tenantId, monthOf(purchasedOn));
      const existing = await m.getRepository(ConnectionPackEntity).countBy({ contractId });
      if (existing + count > MAX_CONNECTION_PACKS) {
        throw new DomainError('CONNECTION_LIMIT', { max: MAX_CONNECTION_PACKS, existing });
      }
      for (let i = 0; i < count; i++) {
        await m
          .getRepository(ConnectionPackEntity)
          .save(m.create(ConnectionPackEntity, { tenantId: contract.tenantId, contractId, purchasedOn }));
      }
      contract.eventVersion += 1;
      await m.getRepository(ContractEntity).save(contract);
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
      if (et.feeYen > 0) await refuseIssuedEndMonth(m, contract.tenantId, endMonth);
      const invoicedLater: unknown[] = await m.query(
        `SELECT 1 FROM invoices WHERE tenant_id = $1 AND kind = 'invoice' AND status <> 'void' AND month > $2 LIMIT 1`,
        [contract.tenantId, endMonth],
      );
      if (invoicedLater.length > 0) {
        throw new DomainError('ALREADY_INVOICED', { endMonth });
      }
      // Calls after the end month that were priced while the contract was in force are usage the
      // tenant had: an end month before them would leave them on no invoice (and stop that month's
      // close), so the end month must be at least the month of the last one.
      const [usedLater]: { month: string | null }[] = await m.query(
        `SELECT to_char(max(local_date), 'YYYY-MM') AS month FROM rated_calls
          WHERE tenant_id = $1 AND amount_yen > 0 AND local_date >= (($2 || '-01')::date + interval '1 month')`,
        [contract.tenantId, endMonth],
      );
      if (usedLater?.month) {
        throw new DomainError(
          'END_MONTH_BEFORE_USAGE',
          { month: monthLabelJa(usedLater.month), end: monthLabelJa(endMonth) },
          { lastUsedMonth: usedLater.month },
        );
      }
      Object.assign(contract, {
        status: 'terminated',
        endMonth,
        terminationFeeYen: et.feeYen,
        eventVersion: contract.eventVersion + 1,
      });
      await m.getRepository(ContractEntity).save(contract);
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
    const contract = await m
      .getRepository(ContractEntity)
      .findOne({ where: { id: contractId }, lock: { mode: 'pessimistic_write' } });
    if (!contract || (tenantId && contract.tenantId !== tenantId)) throw notFound('contract');
    if (contract.status !== 'active') throw new DomainError('CONTRACT_TERMINATED');
    return contract;
  }

  /** billing.contracts.v1, in the same transaction as the change (licensing sizes connections on it). */
  private async publish(m: EntityManager, contract: ContractEntity): Promise<void> {
    const packs = await m.getRepository(ConnectionPackEntity).countBy({ contractId: contract.id });
    const version = await m.getRepository(PlanVersionEntity).findOneByOrFail({ id: contract.planVersionId });
    const plan = await m.getRepository(PlanEntity).findOneByOrFail({ id: version.planId });
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

/**
 * The contract in force on a local date among a tenant's contracts: started on or before it and
 * not ended before its month; the latest start wins.
 */
export function coveringContract<C extends Pick<ContractEntity, 'serviceStartDate' | 'endMonth' | 'createdAt'>>(
  contracts: readonly C[],
  localDate: string,
): C | null {
  const month = localDate.slice(0, 7);
  let best: C | null = null;
  for (const c of contracts) {
    if (c.serviceStartDate > localDate || (c.endMonth !== null && c.endMonth < month)) continue;
    if (
      !best ||
      c.serviceStartDate > best.serviceStartDate ||
      (c.serviceStartDate === best.serviceStartDate && c.createdAt > best.createdAt)
    ) {
      best = c;
    }
  }
  return best;
}

/**
 * A pack is billed for its first year in its purchase month (and on each anniversary), so a pack
 * dated into a month whose invoice is issued would go unbilled for a year. Billing it late on the
 * next invoice would need its own first-billing month kept apart from its anniversary; dating it
 * into an issued month is a back-office mistake or a correction, so it is refused at entry with
 * the first month it can be dated in (decision 0007). The month's close lock is taken shared, so a
 * close issuing that month cannot slip in between the check and the insert.
 */
async function refuseInvoicedMonth(m: EntityManager, tenantId: string, month: string): Promise<void> {
  await lockMonths(m, [{ tenantId, month }], 'shared');
  const invoiced = (await invoicedMonths(m, [tenantId.toLowerCase()], month)).get(tenantId.toLowerCase());
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
async function refuseIssuedEndMonth(m: EntityManager, tenantId: string, endMonth: string): Promise<void> {
  await lockMonths(m, [{ tenantId, month: endMonth }], 'shared');
  const invoiced = (await invoicedMonths(m, [tenantId.toLowerCase()], endMonth)).get(tenantId.toLowerCase());
  if (invoiced?.has(endMonth)) {
    const next = firstOpenMonth(endMonth, invoiced);
    throw new DomainError(
      'END_MONTH_INVOICED',
      { month: { ja: monthLabelJa(endMonth), en: endMonth }, next: { ja: monthLabelJa(next), en: next } },
      { endMonth, firstOpenMonth: next },
    );
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
