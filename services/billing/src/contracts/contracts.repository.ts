import { Injectable } from '@nestjs/common';
import { type EntityManager, In } from 'typeorm';
import { ConnectionPackEntity, ContractEntity, type ContractStatus } from './contract.entity';

const statements = {
  planChanges: `
    SELECT contract_id, plan_version_id, effective_from::text AS effective_from FROM contract_plan_changes
     WHERE contract_id = ANY($1::uuid[]) ORDER BY effective_from`,
  insertPlanChange: `
    INSERT INTO contract_plan_changes (tenant_id, contract_id, plan_version_id, effective_from) VALUES ($1, $2, $3, $4)`,
  nextEventVersion: 'SELECT coalesce(max(event_version), 0) + 1 AS next FROM contracts WHERE tenant_id = $1',
};

/** The hand-written statements of contracts (the entity reads below are TypeORM's), for sql/contracts.repository.sql. */
export const contractsSql: Record<string, string> = statements;

export type ContractSort = 'serviceStartDate' | 'status' | 'createdAt';
const contractSortColumns: Record<ContractSort, string> = {
  serviceStartDate: 'c.serviceStartDate',
  status: 'c.status',
  createdAt: 'c.createdAt',
};

/** A contract moved to another version of its plan from the first day of a month. */
export interface PlanChangeRow {
  contractId: string;
  planVersionId: string;
  /** YYYY-MM-01 */
  effectiveFrom: string;
}

/** Contracts, their connection packs and plan changes. */
@Injectable()
export class ContractsRepository {
  /** The tenant's active contract, else its latest one. */
  current(m: EntityManager, tenantId: string): Promise<ContractEntity | null> {
    return m
      .getRepository(ContractEntity)
      .createQueryBuilder('c')
      .where('c.tenant_id = :tenantId', { tenantId })
      .orderBy(`c.status = 'active'`, 'DESC')
      .addOrderBy('c.created_at', 'DESC')
      .getOne();
  }

  /** Newest first; `tenantId` null means every tenant's, `status` null any status. */
  list(m: EntityManager, tenantId: string | null, status: ContractStatus | null): Promise<ContractEntity[]> {
    const query = m.getRepository(ContractEntity).createQueryBuilder('c');
    if (tenantId !== null) query.andWhere('c.tenant_id = :tenantId', { tenantId });
    if (status !== null) query.andWhere('c.status = :status', { status });
    return query
      .orderBy('c.serviceStartDate', 'DESC')
      .addOrderBy('c.createdAt', 'DESC')
      .addOrderBy('c.id', 'DESC')
      .getMany();
  }

  /**
   * One page of contracts, across tenants (`tenantId` null) or of one, filtered by status and the
   * plan signed on (versions of a plan share its code, so a move keeps the contract in its plan).
   */
  async page(
    m: EntityManager,
    filter: { tenantId: string | null; status: ContractStatus | null; planCode: string | null },
    page: { offset: number; limit: number; sort: ContractSort; descending: boolean },
  ): Promise<{ items: ContractEntity[]; total: number }> {
    const query = m.getRepository(ContractEntity).createQueryBuilder('c');
    if (filter.tenantId !== null) query.andWhere('c.tenant_id = :tenantId', { tenantId: filter.tenantId });
    if (filter.status !== null) query.andWhere('c.status = :status', { status: filter.status });
    if (filter.planCode !== null)
      query.andWhere(
        'c.plan_version_id IN (SELECT pv.id FROM plan_versions pv JOIN plans p ON p.id = pv.plan_id WHERE p.code = :planCode)',
        { planCode: filter.planCode },
      );
    const [items, total] = await query
      .orderBy(contractSortColumns[page.sort], page.descending ? 'DESC' : 'ASC')
      .addOrderBy('c.createdAt', 'DESC')
      .addOrderBy('c.id', 'DESC')
      .skip(page.offset)
      .take(page.limit)
      .getManyAndCount();
    return { items, total };
  }

  ofTenants(m: EntityManager, tenantIds: readonly string[]): Promise<ContractEntity[]> {
    return m.getRepository(ContractEntity).findBy({ tenantId: In([...tenantIds]) });
  }

  byId(m: EntityManager, id: string): Promise<ContractEntity | null> {
    return m.getRepository(ContractEntity).findOneBy({ id });
  }

  lockById(m: EntityManager, id: string): Promise<ContractEntity | null> {
    return m.getRepository(ContractEntity).findOne({ where: { id }, lock: { mode: 'pessimistic_write' } });
  }

  activeExists(m: EntityManager, tenantId: string): Promise<boolean> {
    return m.getRepository(ContractEntity).existsBy({ tenantId, status: 'active' });
  }

  async nextEventVersion(m: EntityManager, tenantId: string): Promise<number> {
    const [row]: { next: string | number }[] = await m.query(statements.nextEventVersion, [tenantId]);
    return Number(row?.next);
  }

  insert(m: EntityManager, fields: Partial<ContractEntity>): Promise<ContractEntity> {
    return m.getRepository(ContractEntity).save(m.create(ContractEntity, fields));
  }

  save(m: EntityManager, contract: ContractEntity): Promise<ContractEntity> {
    return m.getRepository(ContractEntity).save(contract);
  }

  async planChanges(m: EntityManager, contractIds: readonly string[]): Promise<PlanChangeRow[]> {
    const rows: { contract_id: string; plan_version_id: string; effective_from: string }[] = await m.query(
      statements.planChanges,
      [[...new Set(contractIds)]],
    );
    return rows.map((r) => ({
      contractId: r.contract_id,
      planVersionId: r.plan_version_id,
      effectiveFrom: r.effective_from,
    }));
  }

  async insertPlanChange(
    m: EntityManager,
    tenantId: string,
    contractId: string,
    planVersionId: string,
    effectiveFrom: string,
  ): Promise<void> {
    await m.query(statements.insertPlanChange, [tenantId, contractId, planVersionId, effectiveFrom]);
  }

  packs(m: EntityManager, tenantId: string, contractId: string): Promise<ConnectionPackEntity[]> {
    return m
      .getRepository(ConnectionPackEntity)
      .find({ where: { tenantId, contractId }, order: { purchasedOn: 'ASC', createdAt: 'ASC' } });
  }

  packsOfContracts(m: EntityManager, contractIds: readonly string[]): Promise<ConnectionPackEntity[]> {
    return m.getRepository(ConnectionPackEntity).findBy({ contractId: In([...contractIds]) });
  }

  countPacks(m: EntityManager, contractId: string): Promise<number> {
    return m.getRepository(ConnectionPackEntity).countBy({ contractId });
  }

  async insertPack(m: EntityManager, tenantId: string, contractId: string, purchasedOn: string): Promise<void> {
    await m
      .getRepository(ConnectionPackEntity)
      .save(m.create(ConnectionPackEntity, { tenantId, contractId, purchasedOn }));
  }
}
