import { DomainError, notFound } from '@thankstar/platform';
import { checked } from '../access/rule-errors';
import { firstDay, lastDay, monthIndex, monthOf } from '../calendar/month';
import {
  type ContractTerms,
  coveringContract,
  lastEnded,
  type PlanChange,
  planVersionOn,
} from '../contracts/contract-terms';
import type { ListInputOption } from './invoice';
import { type AssembledInvoice, assembleInvoice, type PlanTerms, type RatedCallCount } from './invoice';
import type { TaxRounding } from './tax';

/**
 * The pure step of the monthly close (docs/product-rules.md, invoices): from what the close read
 * for a set of tenants (contracts, plan changes and versions, packs, rated calls counted, keyed
 * records, PCs), each tenant's invoice lines, or why there is none. No I/O: InvoiceBuilder reads,
 * this decides, so the whole step is unit-testable.
 */

/** The contract fields the close bills from (ContractEntity has them). */
export interface BillableContract extends ContractTerms {
  id: string;
  recipientName: string;
  listInput: ListInputOption;
}

/** A month's invoice of one tenant, as built (nothing written yet). */
export interface Built<C extends BillableContract = BillableContract> {
  contract: C;
  assembled: AssembledInvoice;
  /** The 取引期間's first day: the month's (or the start date's), or the earliest late line's month. */
  periodStart: string;
}

/** The contract billed in `month` per tenant: the one in force on its last day, else the one that ended last before it. */
export function selectContracts<C extends BillableContract>(
  tenantIds: readonly string[],
  contractsOf: ReadonlyMap<string, readonly C[]>,
  month: string,
): { contracts: Map<string, C>; ended: Set<string>; without: string[] } {
  const contracts = new Map<string, C>();
  // Tenants whose contract ended before the month: invoiced only if late usage of the
  // contract's months was billed into it (decision 0007: the final settlement).
  const ended = new Set<string>();
  const without: string[] = [];
  for (const tenantId of tenantIds) {
    const all = contractsOf.get(tenantId) ?? [];
    const c = coveringContract(all, lastDay(month)) ?? lastEnded(all, month);
    if (c) contracts.set(tenantId, c);
    else without.push(tenantId);
    if (c?.endMonth && c.endMonth < month) ended.add(tenantId);
  }
  return { contracts, ended, without };
}

/** A rated-call count of one tenant with the month the calls belong to. */
export interface UsedCallCount extends RatedCallCount {
  tenantId: string;
  usedMonth: string;
}

/** Usage of earlier months billed late in this month, by tenant and the month it belongs to. */
export type LateByMonth = Map<string, Map<string, { callCounts: RatedCallCount[]; recordsKeyed: number }>>;

/** Splits the calls and keyed records billed in `month` into the month's own and earlier months' (late). */
export function splitUsage(
  month: string,
  counts: readonly UsedCallCount[],
  lateRecords: ReadonlyMap<string, ReadonlyMap<string, number>>,
): { own: Map<string, RatedCallCount[]>; late: LateByMonth } {
  const own = new Map<string, RatedCallCount[]>();
  const late: LateByMonth = new Map();
  const lateMonth = (tenantId: string, used: string) => {
    const byMonth = late.get(tenantId) ?? new Map<string, { callCounts: RatedCallCount[]; recordsKeyed: number }>();
    late.set(tenantId, byMonth);
    const entry = byMonth.get(used) ?? { callCounts: [], recordsKeyed: 0 };
    byMonth.set(used, entry);
    return entry;
  };
  for (const r of counts) {
    const tenantId = r.tenantId.toLowerCase();
    const count: RatedCallCount = {
      popupClass: r.popupClass,
      popupYen: r.popupYen,
      listInputYen: r.listInputYen,
      exemption: r.exemption,
      count: r.count,
    };
    if (r.usedMonth === month) own.set(tenantId, [...(own.get(tenantId) ?? []), count]);
    else lateMonth(tenantId, r.usedMonth).callCounts.push(count);
  }
  for (const [tenantId, byMonth] of lateRecords) {
    for (const [used, records] of byMonth) lateMonth(tenantId, used).recordsKeyed += records;
  }
  return { own, late };
}

/** The plan version id in force for a contract on a date (the month's last day by default). */
export const versionIdOf =
  (changes: ReadonlyMap<string, readonly PlanChange[]>, month: string) =>
  (c: Pick<BillableContract, 'id' | 'planVersionId'>, date = lastDay(month)): string =>
    planVersionOn(c, changes.get(c.id) ?? [], date);

/** The plan versions the build needs: each contract's in the month, and those of its late months (priced as then). */
export function versionIdsNeeded(
  contracts: ReadonlyMap<string, BillableContract>,
  late: LateByMonth,
  changes: ReadonlyMap<string, readonly PlanChange[]>,
  month: string,
): string[] {
  const versionOf = versionIdOf(changes, month);
  // Late keyed records are priced as in their own month (the version in force then).
  const lateIds = [...contracts].flatMap(([tenantId, c]) =>
    [...(late.get(tenantId)?.keys() ?? [])].map((used) => versionOf(c, lastDay(used))),
  );
  return [...[...contracts.values()].map((c) => versionOf(c)), ...lateIds];
}

export interface BuildInput<C extends BillableContract> {
  month: string;
  tenantIds: readonly string[];
  contracts: ReadonlyMap<string, C>;
  ended: ReadonlySet<string>;
  changes: ReadonlyMap<string, readonly PlanChange[]>;
  versions: ReadonlyMap<string, PlanTerms>;
  packsOf: ReadonlyMap<string, readonly { purchasedOn: string }[]>;
  own: ReadonlyMap<string, RatedCallCount[]>;
  late: LateByMonth;
  /** The month's own keyed records (imports + adjustment) per tenant. */
  recordsKeyed: ReadonlyMap<string, number>;
  pcs: ReadonlyMap<string, number>;
  taxRatePercent: number;
  taxRounding: TaxRounding;
}

/**
 * Each tenant's invoice of the month, or the DomainError that says why it has none
 * (NOTHING_TO_INVOICE: no contract, or a contract ended before the month and no late usage).
 * A missing plan version is a broken database, not a refusal: it throws.
 */
export function buildInvoices<C extends BillableContract>(input: BuildInput<C>): Map<string, Built<C> | DomainError> {
  const { month } = input;
  const out = new Map<string, Built<C> | DomainError>();
  const nothing = () => new DomainError('NOTHING_TO_INVOICE', { month });
  const versionOf = versionIdOf(input.changes, month);
  const first = firstDay(month);
  for (const tenantId of input.tenantIds) {
    const contract = input.contracts.get(tenantId);
    if (!contract) {
      out.set(tenantId, nothing());
      continue;
    }
    const version = input.versions.get(versionOf(contract));
    if (!version) throw notFound('planVersion');
    const late = [...(input.late.get(tenantId) ?? [])].map(([used, l]) => ({
      month: used,
      callCounts: l.callCounts,
      recordsKeyed: l.recordsKeyed,
      listInputPerRecordYen: input.versions.get(versionOf(contract, lastDay(used)))?.listInputPerRecordYen,
    }));
    if (input.ended.has(tenantId) && !late.some((l) => l.recordsKeyed > 0 || l.callCounts.some((c) => c.count > 0))) {
      out.set(tenantId, nothing());
      continue;
    }
    try {
      const assembled = checked(() =>
        assembleInvoice({
          month,
          plan: version,
          serviceStartDate: contract.serviceStartDate,
          endMonth: contract.endMonth,
          listInput: contract.listInput,
          connectionPacks: input.packsOf.get(contract.id) ?? [],
          registeredPcs: input.pcs.get(tenantId) ?? 0,
          calls: [],
          callCounts: input.own.get(tenantId) ?? [],
          recordsKeyed: input.recordsKeyed.get(tenantId.toLowerCase()) ?? 0,
          lateUsage: late,
          taxRatePercent: input.taxRatePercent,
          taxRounding: input.taxRounding,
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
