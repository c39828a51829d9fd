import { Inject, Injectable } from '@nestjs/common';
import type { DomainError } from '@thankstar/platform';
import type { EntityManager } from 'typeorm';
import { firstDay } from '../calendar/month';
import type { ContractEntity } from '../contracts/contract.entity';
import { ContractsService } from '../contracts/contracts.service';
import { KeyedRecordsService } from '../keyed-records/keyed-records.service';
import { termsOf } from '../plans/plan.entity';
import { PlansService } from '../plans/plans.service';
import { RatingRepository } from '../rating/rating.repository';
import { type Built, buildInvoices, selectContracts, splitUsage, versionIdsNeeded } from './invoice-building';
import { ISSUER, type Issuer } from './issuer';

export type BuiltInvoice = Built<ContractEntity>;

/**
 * Reads what the month's invoices of some tenants are built from, in a few set-based queries in
 * the caller's transaction (each feature's data through its own service or repository), and hands
 * it to the pure `buildInvoices`. Nothing is written.
 */
@Injectable()
export class InvoiceBuilder {
  constructor(
    @Inject(ISSUER) private readonly issuer: Issuer,
    private readonly plans: PlansService,
    private readonly contracts: ContractsService,
    private readonly keyedRecords: KeyedRecordsService,
    private readonly ratedCalls: RatingRepository,
  ) {}

  /**
   * The month's lines of each tenant (timezone given) from the contract in force and its rated
   * calls; a tenant without a contract in the month gets a NOTHING_TO_INVOICE error instead.
   */
  async buildMany(
    m: EntityManager,
    timezones: ReadonlyMap<string, string>,
    month: string,
  ): Promise<Map<string, BuiltInvoice | DomainError>> {
    const ids = [...timezones.keys()];
    if (ids.length === 0) return new Map();
    const { contracts, ended } = selectContracts(ids, await this.contracts.allOf(m, ids), month);
    const withContract = [...contracts.keys()];
    if (withContract.length === 0) {
      return buildInvoices({ ...this.empty(month, ids), contracts, ended });
    }
    // One after the other: the queries share the transaction's connection.
    const contractIds = [...contracts.values()].map((c) => c.id);
    const changes = await this.contracts.planChanges(m, contractIds);
    const packs = await this.contracts.packsOfContracts(m, contractIds);
    // The calls billed in the month (billed_month, decision 0007), with the month each belongs to.
    const counts = await this.ratedCalls.billedCallCounts(m, withContract, month);
    // Keyed records: the month's own (imports + adjustment) and earlier months' reported late.
    const keyed = await this.keyedRecords.billed(m, withContract, month);
    const pcs = await this.ratedCalls.pcsRegisteredInMonthMany(
      m,
      withContract
        .filter((t) => !ended.has(t))
        .map((tenantId) => ({ tenantId, timezone: timezones.get(tenantId) ?? 'Asia/Tokyo' })),
      firstDay(month),
    );
    const { own, late } = splitUsage(month, counts, new Map([...keyed].map(([tenantId, k]) => [tenantId, k.late])));
    const versions = await this.plans.versionsById(versionIdsNeeded(contracts, late, changes, month), m);
    const packsOf = new Map<string, { purchasedOn: string }[]>();
    for (const p of packs) packsOf.set(p.contractId, [...(packsOf.get(p.contractId) ?? []), p]);
    return buildInvoices({
      month,
      tenantIds: ids,
      contracts,
      ended,
      changes,
      versions: new Map([...versions].map(([id, v]) => [id, termsOf(v)])),
      packsOf,
      own,
      late,
      recordsKeyed: new Map([...keyed].map(([tenantId, k]) => [tenantId, k.own])),
      pcs,
      taxRatePercent: this.issuer.taxRatePercent,
      taxRounding: this.issuer.taxRounding,
    });
  }

  private empty(month: string, tenantIds: readonly string[]) {
    return {
      month,
      tenantIds,
      changes: new Map(),
      versions: new Map(),
      packsOf: new Map(),
      own: new Map(),
      late: new Map(),
      recordsKeyed: new Map(),
      pcs: new Map(),
      taxRatePercent: this.issuer.taxRatePercent,
      taxRounding: this.issuer.taxRounding,
    };
  }
}
