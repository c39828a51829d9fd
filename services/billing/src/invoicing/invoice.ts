import type { PopupClass } from '@thankstar/contracts';
import { daysInMonth, monthIndex, monthOf, parseDate, parseMonth } from '../calendar/month';
import { earlyTermination } from '../contracts/early-termination';
import type { Exemption, PopupPrices } from '../rating/rate';
import { lateLinePrefix } from './late-data';
import { assertYen, prorateFromStart } from './proration';
import { type TaxRounding, type TaxSummary, taxPerRate } from './tax';

/** The money terms of a plan version (docs/product-rules.md#plans). */
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
  /**
   * Usage of earlier months that arrived after their invoice was issued (docs/product-rules.md#late-data: billed on the
   * next invoice as their own lines naming the original month). After the contract's end month
   * an invoice carries only these lines (the final settlement of late usage).
   */
  lateUsage?: readonly LateUsage[];
  taxRatePercent: number;
  taxRounding: TaxRounding;
}

/** Usage of one earlier month billed late on this invoice. */
export interface LateUsage {
  /** The month it belongs to (YYYY-MM), before the invoice's month. */
  month: string;
  callCounts: readonly RatedCallCount[];
  /** Records keyed in that month but reported after its invoice was issued. */
  recordsKeyed: number;
  /** The per-record price of the plan version in force in that month (default: the invoice's plan). */
  listInputPerRecordYen?: number;
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
  /** Set on lines billing an earlier month's late usage: that month (YYYY-MM). */
  originalMonth?: string;
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
  constructor(
    message: string,
    readonly month: string,
  ) {
    super(message);
  }
}

/**
 * The lines of the invoice for one month of one contract (docs/product-rules.md#invoice-lines): fixed fees of the month
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
  if (m < monthIndex(startMonth)) throw new InvoiceInputError(`${month} is before the service start.`, month);
  const late = [...(input.lateUsage ?? [])].sort((a, b) => monthIndex(a.month) - monthIndex(b.month));
  for (const [i, l] of late.entries()) {
    if (monthIndex(l.month) >= m) throw new RangeError(`late usage of ${l.month} is not before ${month}`);
    if (i > 0 && late[i - 1]?.month === l.month) throw new RangeError(`late usage of ${l.month} given twice`);
  }
  // After the end month there are no fees: only late usage of the contract's months is settled.
  const afterEnd = input.endMonth !== null && m > monthIndex(input.endMonth);
  if (afterEnd && !late.some((l) => l.recordsKeyed > 0 || l.callCounts.some((c) => c.count > 0)))
    throw new InvoiceInputError(`${month} is after the contract ended.`, month);
  if (!Number.isSafeInteger(input.registeredPcs) || input.registeredPcs < 0) throw new RangeError('registeredPcs');
  if (!Number.isSafeInteger(input.recordsKeyed) || input.recordsKeyed < 0) throw new RangeError('recordsKeyed');

  const isStartMonth = month === startMonth;
  const taxRatePercent = input.taxRatePercent;
  const lines: InvoiceLine[] = [];
  const add = (line: Omit<InvoiceLine, 'amountYen' | 'taxRatePercent'>) => {
    assertYen(line.unitPriceYen);
    lines.push({ ...line, amountYen: line.quantity * line.unitPriceYen, taxRatePercent });
  };

  if (isStartMonth && plan.initialFeeYen > 0 && !afterEnd) {
    add({ kind: 'INITIAL_FEE', description: '初期費用', quantity: 1, unitPriceYen: plan.initialFeeYen });
  }

  const prorated = (fee: number) => (isStartMonth ? prorateFromStart(fee, input.serviceStartDate) : fee);
  const proratedNote = isStartMonth
    ? ` (日割り ${daysInMonth(month) - parseDate(input.serviceStartDate).day + 1}/${daysInMonth(month)}日)`
    : '';
  if (!afterEnd) {
    add({
      kind: 'MAINTENANCE',
      description: `システム保守料金 ${month}${proratedNote}`,
      quantity: 1,
      unitPriceYen: prorated(plan.maintenanceYen),
    });
  }
  if (plan.softwareFeePerPcYen > 0 && input.registeredPcs > 0 && !afterEnd) {
    add({
      kind: 'SOFTWARE_FEE',
      description: `ソフトウェア料金 (PC ${input.registeredPcs}台)${proratedNote}`,
      quantity: input.registeredPcs,
      unitPriceYen: prorated(plan.softwareFeePerPcYen),
    });
  }

  // Each call once, even if the input repeats it.
  const seen = new Set<string>();
  const own: RatedCallCount[] = [...(input.callCounts ?? [])];
  for (const call of input.calls) {
    if (seen.has(call.callId)) continue;
    seen.add(call.callId);
    own.push({ ...call, count: 1 });
  }
  let counted = 0;
  const usage = (
    counts: readonly RatedCallCount[],
    recordsKeyed: number,
    perRecordYen: number,
    originalMonth?: string,
  ) => {
    const u = usageLines(counts, input.listInput === 'per-record' ? recordsKeyed : 0, perRecordYen);
    counted += u.counted;
    for (const line of u.lines) {
      if (originalMonth)
        add({ ...line, description: `${lateLinePrefix(originalMonth)}${line.description}`, originalMonth });
      else add(line);
    }
  };
  if (!afterEnd) usage(own, input.recordsKeyed, plan.listInputPerRecordYen);
  // After the end rating prices every call NO_CONTRACT (0 yen): those are on no invoice, as in
  // any month after the end; a priced one would mean the input is wrong, never dropped silently.
  else if (own.some((c) => c.count > 0 && c.popupYen + c.listInputYen > 0))
    throw new RangeError(`${month} is after the contract ended but has priced calls`);
  // Earlier months' late usage, oldest first, each as its own labelled lines.
  for (const l of late) {
    if (!Number.isSafeInteger(l.recordsKeyed) || l.recordsKeyed < 0) throw new RangeError('late recordsKeyed');
    usage(l.callCounts, l.recordsKeyed, l.listInputPerRecordYen ?? plan.listInputPerRecordYen, l.month);
  }

  const packsDue = afterEnd
    ? 0
    : input.connectionPacks.filter((p) => packDueIn(p.purchasedOn, month, plan.packBillingMonths)).length;
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

type UsageLine = Omit<InvoiceLine, 'amountYen' | 'taxRatePercent'>;

/**
 * The usage lines of one month's calls and keyed records: popups by class and price, exempt
 * popups by reason, list input per popup by surcharge, list input per record. Fixed order,
 * whatever order the calls came in (one by one or counted by the database).
 */
function usageLines(
  counts: readonly RatedCallCount[],
  recordsKeyed: number,
  perRecordYen: number,
): { lines: UsageLine[]; counted: number } {
  let counted = 0;
  const popups = new Map<string, { popupClass: PopupClass; unit: number; count: number }>();
  const exempt = new Map<Exemption, number>();
  const surcharges = new Map<number, number>();
  for (const call of counts) {
    const n = call.count;
    if (!Number.isSafeInteger(n) || n < 0) throw new RangeError('call count');
    if (n === 0) continue;
    counted += n;
    if (call.exemption) {
      exempt.set(call.exemption, (exempt.get(call.exemption) ?? 0) + n);
      continue;
    }
    const key = `${call.popupClass}:${call.popupYen}`;
    const group = popups.get(key) ?? { popupClass: call.popupClass, unit: call.popupYen, count: 0 };
    group.count += n;
    popups.set(key, group);
    if (call.listInputYen > 0) surcharges.set(call.listInputYen, (surcharges.get(call.listInputYen) ?? 0) + n);
  }
  const lines: UsageLine[] = [];
  for (const g of [...popups.values()].sort((a, b) => b.unit - a.unit || a.popupClass.localeCompare(b.popupClass))) {
    lines.push({
      kind: 'POPUPS',
      description: `着信ポップアップ (${popupClassLabels[g.popupClass]})`,
      quantity: g.count,
      unitPriceYen: g.unit,
      popupClass: g.popupClass,
    });
  }
  for (const [exemption, count] of [...exempt].sort(
    (a, b) => exemptionOrder.indexOf(a[0]) - exemptionOrder.indexOf(b[0]),
  )) {
    lines.push({
      kind: 'EXEMPT_POPUPS',
      description: `着信ポップアップ 課金対象外 (${exemptionLabels[exemption]})`,
      quantity: count,
      unitPriceYen: 0,
    });
  }
  for (const [unit, count] of [...surcharges].sort((a, b) => b[0] - a[0])) {
    lines.push({ kind: 'LIST_INPUT', description: 'リスト入力 (1着信ごと)', quantity: count, unitPriceYen: unit });
  }
  if (recordsKeyed > 0) {
    lines.push({
      kind: 'LIST_INPUT',
      description: 'リスト入力 (データ化 1件ごと)',
      quantity: recordsKeyed,
      unitPriceYen: perRecordYen,
    });
  }
  return { lines, counted };
}
