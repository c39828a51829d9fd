import type { PopupClass } from '@thankstar/contracts';
import { daysInMonth, monthIndex, monthOf, parseDate, parseMonth } from '../calendar/month';
import { earlyTermination } from '../contracts/early-termination';
import type { Exemption, PopupPrices } from '../rating/rate';
import { assertYen, prorateFromStart } from './proration';
import { type TaxRounding, type TaxSummary, taxPerRate } from './tax';

/** The money terms of a plan version (SPEC.md §3). */
export interface PlanTerms {
  initialFeeYen: number;
  maintenanceYen: number;
  softwareFeePerPcYen: number;
  popupPrices: PopupPrices;
  connectionPriceYen: number;
  packSize: number;
  packBillingMonths: number;
  minimumTermMonths: number;
  listInputPerPopupYen: number;
  listInputPerRecordYen: number;
}

export type ListInputOption = 'none' | 'per-popup' | 'per-record';

/** A call as rating stored it: prices were fixed when it was rated. */
export interface RatedCallRecord {
  callId: string;
  popupClass: PopupClass;
  popupYen: number;
  listInputYen: number;
  exemption: Exemption | null;
}

/** Calls of one kind counted by the database (the monthly close aggregates with GROUP BY). */
export interface RatedCallCount {
  popupClass: PopupClass;
  popupYen: number;
  listInputYen: number;
  exemption: Exemption | null;
  count: number;
}

export interface InvoiceInput {
  /** The month billed, YYYY-MM in the tenant's timezone. */
  month: string;
  plan: PlanTerms;
  serviceStartDate: string;
  /** Last month of service when the contract is terminated. */
  endMonth: string | null;
  listInput: ListInputOption;
  connectionPacks: readonly { purchasedOn: string }[];
  /** Desktop PCs registered at any time in the month. */
  registeredPcs: number;
  calls: readonly RatedCallRecord[];
  /** Calls already counted per kind (distinct calls, e.g. from the unique rated_calls rows), besides `calls`. */
  callCounts?: readonly RatedCallCount[];
  /** Records keyed by the data-entry staff this month (list input per record). */
  recordsKeyed: number;
  taxRatePercent: number;
  taxRounding: TaxRounding;
}

export type InvoiceLineKind =
  | 'INITIAL_FEE'
  | 'MAINTENANCE'
  | 'SOFTWARE_FEE'
  | 'POPUPS'
  | 'EXEMPT_POPUPS'
  | 'LIST_INPUT'
  | 'CONNECTION_PACKS'
  | 'EARLY_TERMINATION'
  /** Credit notes only. */
  | 'CREDIT';

export interface InvoiceLine {
  kind: InvoiceLineKind;
  description: string;
  quantity: number;
  unitPriceYen: number;
  amountYen: number;
  taxRatePercent: number;
  popupClass?: PopupClass;
}

export interface AssembledInvoice {
  lines: InvoiceLine[];
  subtotalYen: number;
  taxes: TaxSummary[];
  taxYen: number;
  totalYen: number;
  /** Calls counted on this invoice (each once). */
  callsCounted: number;
}

export const popupClassLabels: Record<PopupClass, string> = {
  CUSTOMER: '顧客',
  MULTIPLE_MATCHES: '複数該当',
  UNKNOWN: '未登録',
  WITHHELD: '非通知等',
  EMPLOYEE: '社員',
  NUISANCE: '迷惑電話',
};

const exemptionLabels: Record<Exemption, string> = {
  CLOSED_DAY: '休業日',
  AFTER_HOURS_UNATTENDED: '営業時間外・不在',
  NO_CONTRACT: '契約期間外',
};

const exemptionOrder: readonly Exemption[] = ['CLOSED_DAY', 'AFTER_HOURS_UNATTENDED', 'NO_CONTRACT'];

export class InvoiceInputError extends Error {
  readonly code = 'NOTHING_TO_INVOICE';
}

/**
 * The lines of the invoice for one month of one contract (SPEC.md §4): fixed fees of the month
 * (日割り in the start month), usage by class, options, yearly packs due, the initial fee on the
 * first invoice and the early-termination fee on the last. Each call is counted once even if
 * the input repeats it.
 */
export function assembleInvoice(input: InvoiceInput): AssembledInvoice {
  const { month, plan } = input;
  parseMonth(month);
  parseDate(input.serviceStartDate);
  const startMonth = monthOf(input.serviceStartDate);
  const m = monthIndex(month);
  if (m < monthIndex(startMonth)) throw new InvoiceInputError(`${month} is before the service start.`);
  if (input.endMonth && m > monthIndex(input.endMonth))
    throw new InvoiceInputError(`${month} is after the contract ended.`);
  if (!Number.isSafeInteger(input.registeredPcs) || input.registeredPcs < 0) throw new RangeError('registeredPcs');
  if (!Number.isSafeInteger(input.recordsKeyed) || input.recordsKeyed < 0) throw new RangeError('recordsKeyed');

  const isStartMonth = month === startMonth;
  const taxRatePercent = input.taxRatePercent;
  const lines: InvoiceLine[] = [];
  const add = (line: Omit<InvoiceLine, 'amountYen' | 'taxRatePercent'>) => {
    assertYen(line.unitPriceYen);
    lines.push({ ...line, amountYen: line.quantity * line.unitPriceYen, taxRatePercent });
  };

  if (isStartMonth && plan.initialFeeYen > 0) {
    add({ kind: 'INITIAL_FEE', description: '初期費用', quantity: 1, unitPriceYen: plan.initialFeeYen });
  }

  const prorated = (fee: number) => (isStartMonth ? prorateFromStart(fee, input.serviceStartDate) : fee);
  const proratedNote = isStartMonth
    ? ` (日割り ${daysInMonth(month) - parseDate(input.serviceStartDate).day + 1}/${daysInMonth(month)}日)`
    : '';
  add({
    kind: 'MAINTENANCE',
    description: `システム保守料金 ${month}${proratedNote}`,
    quantity: 1,
    unitPriceYen: prorated(plan.maintenanceYen),
  });
  if (plan.softwareFeePerPcYen > 0 && input.registeredPcs > 0) {
    add({
      kind: 'SOFTWARE_FEE',
      description: `ソフトウェア料金 (PC ${input.registeredPcs}台)${proratedNote}`,
      quantity: input.registeredPcs,
      unitPriceYen: prorated(plan.softwareFeePerPcYen),
    });
  }

  const seen = new Set<string>();
  let counted = 0;
  const popups = new Map<string, { popupClass: PopupClass; unit: number; count: number }>();
  const exempt = new Map<Exemption, number>();
  const surcharges = new Map<number, number>();
  const count = (call: Omit<RatedCallCount, 'count'>, n: number) => {
    if (!Number.isSafeInteger(n) || n < 0) throw new RangeError('call count');
    if (n === 0) return;
    counted += n;
    if (call.exemption) {
      exempt.set(call.exemption, (exempt.get(call.exemption) ?? 0) + n);
      return;
    }
    const key = `${call.popupClass}:${call.popupYen}`;
    const group = popups.get(key) ?? { popupClass: call.popupClass, unit: call.popupYen, count: 0 };
    group.count += n;
    popups.set(key, group);
    if (call.listInputYen > 0) surcharges.set(call.listInputYen, (surcharges.get(call.listInputYen) ?? 0) + n);
  };
  for (const call of input.calls) {
    if (seen.has(call.callId)) continue;
    seen.add(call.callId);
    count(call, 1);
  }
  for (const group of input.callCounts ?? []) count(group, group.count);
  for (const g of [...popups.values()].sort((a, b) => b.unit - a.unit || a.popupClass.localeCompare(b.popupClass))) {
    add({
      kind: 'POPUPS',
      description: `着信ポップアップ (${popupClassLabels[g.popupClass]})`,
      quantity: g.count,
      unitPriceYen: g.unit,
      popupClass: g.popupClass,
    });
  }
  // Fixed order, whatever order the calls came in (one by one or counted by the database).
  for (const [exemption, count] of [...exempt].sort(
    (a, b) => exemptionOrder.indexOf(a[0]) - exemptionOrder.indexOf(b[0]),
  )) {
    add({
      kind: 'EXEMPT_POPUPS',
      description: `着信ポップアップ 課金対象外 (${exemptionLabels[exemption]})`,
      quantity: count,
      unitPriceYen: 0,
    });
  }
  for (const [unit, count] of [...surcharges].sort((a, b) => b[0] - a[0])) {
    add({ kind: 'LIST_INPUT', description: 'リスト入力 (1着信ごと)', quantity: count, unitPriceYen: unit });
  }
  if (input.listInput === 'per-record' && input.recordsKeyed > 0) {
    add({
      kind: 'LIST_INPUT',
      description: 'リスト入力 (データ化 1件ごと)',
      quantity: input.recordsKeyed,
      unitPriceYen: plan.listInputPerRecordYen,
    });
  }

  const packsDue = input.connectionPacks.filter((p) => packDueIn(p.purchasedOn, month, plan.packBillingMonths)).length;
  if (packsDue > 0) {
    add({
      kind: 'CONNECTION_PACKS',
      description: `同時接続 ${plan.packSize}接続パック ${plan.packBillingMonths}か月分 (${plan.connectionPriceYen}円×${plan.packSize}接続×${plan.packBillingMonths}か月)`,
      quantity: packsDue,
      unitPriceYen: plan.connectionPriceYen * plan.packSize * plan.packBillingMonths,
    });
  }

  if (input.endMonth === month) {
    const et = earlyTermination(input.serviceStartDate, month, plan.maintenanceYen, plan.minimumTermMonths);
    if (et.feeYen > 0) {
      add({
        kind: 'EARLY_TERMINATION',
        description: `契約違約金 (最低利用期間 残${et.monthsRemaining}か月)`,
        quantity: et.monthsRemaining,
        unitPriceYen: plan.maintenanceYen,
      });
    }
  }

  const subtotalYen = lines.reduce((sum, l) => sum + l.amountYen, 0);
  const taxes = taxPerRate(lines, input.taxRounding);
  const taxYen = taxes.reduce((sum, t) => sum + t.taxYen, 0);
  return { lines, subtotalYen, taxes, taxYen, totalYen: subtotalYen + taxYen, callsCounted: counted };
}

/** Packs are billed 12 months in advance on purchase and on each anniversary of their own purchase. */
export function packDueIn(purchasedOn: string, month: string, billingMonths: number): boolean {
  const since = monthIndex(month) - monthIndex(monthOf(purchasedOn));
  return since >= 0 && since % billingMonths === 0;
}
