import { randomUUID } from 'node:crypto';
import {
  monthBounds,
  type Popup,
  type PopupClass,
  popupClasses,
  popupSchema,
  sessionEventSchema,
} from '@thankstar/contracts';
import { DomainError } from '@thankstar/platform';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type BusinessCalendar, classifyMoment, type OpeningHours } from '../src/calendar/business-calendar';
import { addMonths, daysInMonth, lastDay } from '../src/calendar/month';
import { ContractsService } from '../src/contracts/contracts.service';
import type { PlanTerms } from '../src/invoicing/invoice';
import { InvoicingService } from '../src/invoicing/invoicing.service';
import { cloudPlan, integrationPlan } from '../src/plans/default-plans';
import { PlansService } from '../src/plans/plans.service';
import { rateCall } from '../src/rating/rate';
import { RatingService } from '../src/rating/rating.service';
import { popupEvent, startTestApp, type TestApp } from './support';

/*
 * "Money at the edges": the invariant of billing, against the real database and the real services.
 * For randomly generated months of a fresh tenant (calls of every class, duplicated deliveries,
 * calendars and closures in the tenant's zone, presence of every client kind, PCs registered and
 * re-registered, packs, plan versions) with months closed and issued in a generated interleaving
 * with the calls' arrival (some arrive after their month was issued), the sum over the issued
 * invoices equals what an independent oracle says each call and each fee is due: nothing billed
 * twice, nothing dropped (docs/product-rules.md#late-data, docs/decisions/0007-late-data.md).
 *
 * The oracle reuses the pure price of one call (rate.ts) and the calendar classification: the
 * invariant tests the plumbing (months, late data, dedup, closes, fixed fees), not the price table,
 * which has worked examples of its own. Fixed fees, PCs, presence, month placement and pack
 * refusals are computed here from the generated data.
 */
let t: TestApp;
let rating: RatingService;
let invoicing: InvoicingService;
let contracts: ContractsService;
let plans: PlansService;
let backOffice: string;

beforeAll(async () => {
  t = await startTestApp({ skipHistory: true });
  rating = t.app.get(RatingService);
  invoicing = t.app.get(InvoicingService);
  contracts = t.app.get(ContractsService);
  plans = t.app.get(PlansService);
  backOffice = await t.sign({ tenantId: randomUUID(), roles: ['back-office'] });
}, 120_000);
afterAll(async () => {
  await t?.close();
});

// ---------------------------------------------------------------------------------------------
// The generated scenario
// ---------------------------------------------------------------------------------------------

const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;
const zones = ['Asia/Tokyo', 'UTC', 'America/New_York'] as const;

const hoursArb = fc.option(
  fc.record({ opensAt: fc.integer({ min: 6 * 4, max: 10 * 4 }), length: fc.integer({ min: 4 * 4, max: 11 * 4 }) }),
  { freq: 4 },
);

/**
 * A uniform fraction of the window. Unbiased: fast-check's default bias towards small values would
 * put most instants in the first hours of the window (before the service start, after hours).
 */
const fraction = fc.noBias(fc.integer({ min: 0, max: 999_999 })).map((n) => n / 1_000_000);

/** An instant: anywhere in the three months, or within seconds of a month's first instant. */
const instantArb = fc.oneof(
  {
    weight: 5,
    arbitrary: fc.record({
      kind: fc.constant('uniform' as const),
      frac: fraction,
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant('edge' as const),
      month: fc.integer({ min: 1, max: 2 }),
      seconds: fc.integer({ min: -3, max: 3 }),
    }),
  },
);
type InstantSpec = typeof instantArb extends fc.Arbitrary<infer T> ? T : never;

const scenarioArb = fc.record({
  baseMonth: fc.integer({ min: 1, max: 6 }).map((n) => `2026-0${n}`),
  zone: fc.constantFrom(...zones),
  planCode: fc.constantFrom('CLOUD', 'INTEGRATION'),
  /** A new plan version from the first of month 1 or 2 (the contract is moved to it), or none. */
  versionChange: fc.option(fc.integer({ min: 1, max: 2 }), { freq: 2 }),
  listInput: fc.constantFrom('none', 'per-popup', 'per-record'),
  startDay: fc.integer({ min: 1, max: 31 }),
  initialPacks: fc.integer({ min: 0, max: 1 }),
  calendar: fc.record({
    hours: fc.array(hoursArb, { minLength: 7, maxLength: 7 }),
    nationalHolidays: fc.boolean(),
    closures: fc.uniqueArray(fc.integer({ min: 0, max: 91 }), { maxLength: 4 }),
  }),
  leases: fc.array(
    fc.record({
      deviceKind: fc.constantFrom('web', 'mobile', 'desktop'),
      from: fraction,
      minutes: fc.option(fc.noBias(fc.integer({ min: 1, max: 20 * 24 * 60 })), { freq: 6 }),
    }),
    { maxLength: 4 },
  ),
  devices: fc.array(
    fc.record({
      /** Registration periods (minutes from a month before the window; null length = still registered). */
      periods: fc.array(
        fc.record({
          from: fc.integer({ min: -31 * 24 * 60, max: 95 * 24 * 60 }),
          minutes: fc.option(fc.integer({ min: 0, max: 40 * 24 * 60 }), { freq: 3 }),
        }),
        { minLength: 1, maxLength: 3 },
      ),
      /** A registration that ends, or starts, exactly at 00:00 on the 1st of month 1 or 2. */
      edge: fc.option(fc.record({ month: fc.integer({ min: 1, max: 2 }), at: fc.constantFrom('ends', 'starts') }), {
        freq: 2,
      }),
    }),
    { maxLength: 3 },
  ),
  calls: fc.array(
    fc.record({
      popupClass: fc.constantFrom(...popupClasses),
      at: instantArb,
      /** Minutes after the ring it reaches rating: mostly soon, sometimes after the month was issued. */
      delay: fc.oneof(
        { weight: 3, arbitrary: fc.integer({ min: 0, max: 30 }) },
        { weight: 1, arbitrary: fc.noBias(fc.integer({ min: 0, max: 70 * 24 * 60 })) },
      ),
      duplicate: fc.constantFrom('none', 'none', 'same-batch', 'later'),
      duplicateDelay: fc.noBias(fc.integer({ min: 0, max: 60 * 24 * 60 })),
    }),
    { minLength: 3, maxLength: 20, size: 'medium' },
  ),
  packs: fc.array(
    fc.record({
      /** Purchase date: days after the service start (within the three months). */
      day: fc.integer({ min: 0, max: 91 }),
      /** When the back office enters it: minutes from the window's start. */
      enteredAt: fc.noBias(fc.integer({ min: 0, max: 125 * 24 * 60 })),
    }),
    { maxLength: 3 },
  ),
  /** How months 0–2 are closed: issued at once, drafted then issued later, or left to the final close. */
  closes: fc.array(
    fc.record({
      mode: fc.constantFrom('issue', 'draft-then-issue', 'late'),
      after: fc.integer({ min: 60, max: 6 * 24 * 60 }),
      issueAfter: fc.integer({ min: 1, max: 10 * 24 * 60 }),
    }),
    { minLength: 3, maxLength: 3 },
  ),
});
type Scenario = typeof scenarioArb extends fc.Arbitrary<infer T> ? T : never;

// ---------------------------------------------------------------------------------------------
// Helpers
// ---------------------------------------------------------------------------------------------

const iso = (ms: number) => new Date(ms).toISOString();

/** The local date (YYYY-MM-DD) of an instant in a zone, read with Intl (independent of billing). */
function localDate(ms: number, zone: string): string {
  const p = Object.fromEntries(
    new Intl.DateTimeFormat('en-US', { timeZone: zone, year: 'numeric', month: '2-digit', day: '2-digit' })
      .formatToParts(new Date(ms))
      .map((x) => [x.type, x.value]),
  );
  return `${p.year}-${p.month}-${p.day}`;
}

function addDays(date: string, n: number): string {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + n);
  return d.toISOString().slice(0, 10);
}

const popup = popupEvent;

const session = (tenantId: string, payload: Record<string, unknown>) =>
  sessionEventSchema.parse({ id: randomUUID(), type: 'licensing.session', tenantId, occurredAt: payload.at, payload });

/** Retries while the close waits for the pipeline (PIPELINE_BEHIND); any other refusal fails. */
async function whilePipelineBehind<T>(attempt: () => Promise<T>): Promise<T> {
  for (let i = 0; ; i++) {
    try {
      return await attempt();
    } catch (err) {
      if (!(err instanceof DomainError) || err.code !== 'PIPELINE_BEHIND' || i >= 100) throw err;
      await new Promise((r) => setTimeout(r, 200));
    }
  }
}

/** A second version of a plan: every price moved, so the oracle notices the wrong version. */
const nextTerms = (v1: PlanTerms): PlanTerms => ({
  ...v1,
  maintenanceYen: v1.maintenanceYen + 1_000,
  softwareFeePerPcYen: v1.softwareFeePerPcYen > 0 ? v1.softwareFeePerPcYen + 50 : 0,
  popupPrices: { ...v1.popupPrices, CUSTOMER: 33, UNKNOWN: 31, EMPLOYEE: 16, WITHHELD: 32 },
  connectionPriceYen: 1_000,
  listInputPerPopupYen: 6,
});

/** What the runs covered (printed with INVARIANT_STATS=1, to check the generator reaches the edges). */
const stats: Record<string, number> = {};
const tally = (key: string, n = 1) => {
  stats[key] = (stats[key] ?? 0) + n;
};

interface Action {
  at: number;
  order: number;
  run(): Promise<void>;
}

interface InvoiceSnapshot {
  id: string;
  month: string;
  number: string;
  subtotal_yen: string;
  total_yen: string;
  lines: unknown;
}

const snapshot = async (id: string): Promise<InvoiceSnapshot> =>
  (
    await t.db.query(
      `SELECT id, month, number, subtotal_yen::text, total_yen::text, lines FROM invoices WHERE id = $1 AND status = 'issued'`,
      [id],
    )
  )[0];

// ---------------------------------------------------------------------------------------------
// One run: generate, drive the real services in simulated time, then compare with the oracle
// ---------------------------------------------------------------------------------------------

async function runScenario(s: Scenario): Promise<void> {
  const tenantId = randomUUID();
  const months = [0, 1, 2, 3].map((k) => addMonths(s.baseMonth, k));
  const bounds = months.map((m) => monthBounds(m, s.zone));
  const windowStart = (bounds[0] as { start: Date }).start.getTime();
  const windowEnd = (bounds[2] as { end: Date }).end.getTime();
  const monthStart = (k: number) => (bounds[k] as { start: Date }).start.getTime();
  const monthEnd = (k: number) => (bounds[k] as { end: Date }).end.getTime();
  const instant = (spec: InstantSpec) =>
    spec.kind === 'uniform'
      ? windowStart + Math.floor(spec.frac * ((windowEnd - windowStart) / 1000)) * 1000
      : monthStart(spec.month) + spec.seconds * 1000;

  // --- plan (a fresh plan with two versions when the scenario moves the contract) ---------------
  const base = s.planCode === 'CLOUD' ? cloudPlan.terms : integrationPlan.terms;
  const v2 = nextTerms(base);
  const changeMonth = s.versionChange === null ? null : (months[s.versionChange] as string);
  let planCode = s.planCode;
  let v2Id: string | null = null;
  if (changeMonth) {
    planCode = `INV_${randomUUID().replace(/-/g, '').slice(0, 20).toUpperCase()}`;
    const plan = await plans.create(planCode, `不変条件テスト ${s.planCode}`, { ...base, effectiveFrom: '2020-01-01' });
    v2Id = (await plans.addVersion(plan.id, { ...v2, effectiveFrom: `${changeMonth}-01` })).id;
  }
  const termsOn = (date: string): PlanTerms => (changeMonth && date >= `${changeMonth}-01` ? v2 : base);

  // --- calendar (GraphQL, as a back office would set it) ---------------------------------------
  const hours: (OpeningHours | null)[] = s.calendar.hours.map((h) =>
    h ? { opensAt: h.opensAt * 15, closesAt: Math.min(24 * 60, h.opensAt * 15 + h.length * 15) } : null,
  );
  const closures = s.calendar.closures.map((d) => addDays(`${months[0]}-01`, d));
  const calendar: BusinessCalendar = {
    timezone: s.zone,
    hours,
    nationalHolidays: s.calendar.nationalHolidays,
    closures,
  };
  const clock = (min: number) =>
    `${String(Math.floor(min / 60)).padStart(2, '0')}:${String(min % 60).padStart(2, '0')}`;
  const cal = await t.gql(
    backOffice,
    'mutation($i: BusinessCalendarInput!, $t: ID) { updateBusinessCalendar(input: $i, tenantId: $t) { timezone } }',
    {
      t: tenantId,
      i: {
        timezone: s.zone,
        hours: hours.map((h, weekday) => ({
          weekday,
          opensAt: h ? clock(h.opensAt) : null,
          closesAt: h ? clock(h.closesAt) : null,
        })),
        nationalHolidays: s.calendar.nationalHolidays,
        closures,
      },
    },
  );
  expect(cal.errors).toBeUndefined();

  // --- contract -----------------------------------------------------------------------------
  const startDate = `${months[0]}-${String(Math.min(s.startDay, daysInMonth(months[0] as string))).padStart(2, '0')}`;
  const created = await t.gql(backOffice, 'mutation($i: NewContractInput!) { createContract(input: $i) { id } }', {
    i: {
      tenantId,
      recipientName: '株式会社ふへん商事',
      planCode,
      serviceStartDate: startDate,
      listInput: { none: 'NONE', 'per-popup': 'PER_POPUP', 'per-record': 'PER_RECORD' }[s.listInput],
      connectionPacks: s.initialPacks,
    },
  });
  expect(created.errors).toBeUndefined();
  const contractId: string = created.data.createContract.id;
  if (changeMonth && v2Id) {
    await contracts.movePlanVersion(null, contractId, v2Id, `${changeMonth}-01`, new Date(windowStart));
  }

  // --- presence and PCs, all known before any call is rated (set-based, one transaction) -------
  const leases = s.leases.map((l) => {
    const from = windowStart + Math.floor(l.from * ((windowEnd - windowStart) / MINUTE)) * MINUTE;
    return {
      leaseId: randomUUID(),
      deviceKind: l.deviceKind,
      from,
      to: l.minutes === null ? null : from + l.minutes * MINUTE,
    };
  });
  const seats = s.devices.flatMap((d, i) => {
    const deviceId = `PC-${i + 1}`;
    const periods = d.periods.map((p) => {
      const from = windowStart + p.from * MINUTE;
      return { deviceId, from, to: p.minutes === null ? null : from + p.minutes * MINUTE };
    });
    if (d.edge) {
      const edge = monthStart(d.edge.month);
      periods.push(
        d.edge.at === 'ends'
          ? { deviceId, from: edge - 3 * DAY, to: edge }
          : { deviceId, from: edge, to: edge + 2 * DAY },
      );
    }
    return periods;
  });
  await t.db.transaction(async (m) => {
    for (const l of leases) {
      const userId = randomUUID();
      await rating.recordSession(
        session(tenantId, { kind: 'connected', leaseId: l.leaseId, userId, deviceKind: l.deviceKind, at: iso(l.from) }),
        m,
      );
      if (l.to !== null) {
        await rating.recordSession(
          session(tenantId, {
            kind: 'disconnected',
            leaseId: l.leaseId,
            userId,
            reason: 'closed',
            deviceKind: l.deviceKind,
            at: iso(l.to),
          }),
          m,
        );
      }
    }
    for (const p of seats) {
      const seatId = randomUUID();
      await rating.recordSession(
        session(tenantId, { kind: 'seat-registered', seatId, deviceId: p.deviceId, at: iso(p.from) }),
        m,
      );
      if (p.to !== null) {
        await rating.recordSession(
          session(tenantId, { kind: 'seat-deregistered', seatId, deviceId: p.deviceId, at: iso(p.to) }),
          m,
        );
      }
    }
  });

  // --- the interleaving, in simulated time ------------------------------------------------------
  const issuedMonths = new Set<string>();
  const issuedSnapshots = new Map<string, InvoiceSnapshot>();
  const drafts = new Map<string, string>();
  /** The oracle's placement: each call's billed month, decided when it first arrives. */
  const expectedBilledMonth = new Map<string, string>();
  const firstOpen = (own: string) => {
    let month = own;
    while (issuedMonths.has(month)) month = addMonths(month, 1);
    return month;
  };
  const recordIssued = async (month: string, id: string) => {
    const snap = await snapshot(id);
    expect(snap, `${month} issued`).toBeDefined();
    issuedMonths.add(month);
    issuedSnapshots.set(month, snap);
  };
  const closeAndIssue = async (month: string, now: Date) => {
    const draftId = drafts.get(month);
    if (draftId) {
      await whilePipelineBehind(() => invoicing.issue(draftId, now));
      await recordIssued(month, draftId);
      return;
    }
    const id = await whilePipelineBehind(async () => {
      const r = await invoicing.closeMonthMany([tenantId], month, { now, issue: true });
      const refusal = r.refused.get(tenantId.toLowerCase());
      if (refusal) throw refusal;
      return r.invoiceIds.get(tenantId.toLowerCase()) as string;
    });
    await recordIssued(month, id);
  };

  const actions: Action[] = [];
  let order = 0;
  const schedule = (at: number, run: () => Promise<void>) => actions.push({ at, order: order++, run });

  const calls = s.calls.map((c, i) => ({
    ...c,
    callId: `call-${i}-${randomUUID().slice(0, 8)}`,
    rangAt: instant(c.at),
  }));
  const ownMonthOf = (ms: number) => localDate(ms, s.zone).slice(0, 7);
  for (const c of calls) {
    const arrive = c.rangAt + c.delay * MINUTE;
    const deliver = (copies: number) => async () => {
      if (!expectedBilledMonth.has(c.callId)) expectedBilledMonth.set(c.callId, firstOpen(ownMonthOf(c.rangAt)));
      const batch = Array.from({ length: copies }, () => popup(tenantId, c.callId, c.popupClass, iso(c.rangAt)));
      await t.db.transaction((m) => rating.ratePopups(batch, m));
    };
    schedule(arrive, deliver(c.duplicate === 'same-batch' ? 2 : 1));
    if (c.duplicate === 'later') schedule(arrive + c.duplicateDelay * MINUTE, deliver(1));
  }

  /** Packs: accepted unless dated into a month whose invoice is issued when entered. */
  const acceptedPacks: string[] = Array.from({ length: s.initialPacks }, () => startDate);
  const lastActivityDay = lastDay(months[2] as string);
  for (const p of s.packs) {
    const purchasedOn = [addDays(startDate, p.day), lastActivityDay].sort()[0] as string;
    schedule(windowStart + p.enteredAt * MINUTE, async () => {
      const refusedExpected = issuedMonths.has(purchasedOn.slice(0, 7));
      const res = await t.gql(
        backOffice,
        'mutation($c: ID!, $d: String!) { addConnectionPacks(contractId: $c, count: 1, purchasedOn: $d) { id } }',
        { c: contractId, d: purchasedOn },
      );
      if (refusedExpected) {
        expect(res.errors?.[0]?.extensions?.code, `pack of ${purchasedOn}`).toBe('PACK_MONTH_INVOICED');
      } else {
        expect(res.errors, `pack of ${purchasedOn}`).toBeUndefined();
        acceptedPacks.push(purchasedOn);
      }
    });
  }

  s.closes.forEach((c, k) => {
    const month = months[k] as string;
    const closeAt = monthEnd(k) + c.after * MINUTE;
    if (c.mode === 'issue') schedule(closeAt, () => closeAndIssue(month, new Date(closeAt)));
    if (c.mode === 'draft-then-issue') {
      schedule(closeAt, async () => {
        const draft = await whilePipelineBehind(() => invoicing.closeMonth(tenantId, month, new Date(closeAt)));
        expect(draft.status).toBe('draft');
        drafts.set(month, draft.id);
      });
      const issueAt = closeAt + c.issueAfter * MINUTE;
      schedule(issueAt, () => closeAndIssue(month, new Date(issueAt)));
    }
  });

  actions.sort((a, b) => a.at - b.at || a.order - b.order);
  for (const action of actions) await action.run();

  // The final close: every month not issued yet, oldest first, up to the month after the activity.
  const finalNow = new Date(monthEnd(3) + 2 * DAY);
  for (const month of months) if (!issuedMonths.has(month)) await closeAndIssue(month, finalNow);

  // --- the oracle ---------------------------------------------------------------------------
  const anyoneIn = (ms: number) => leases.some((l) => l.from <= ms && (l.to === null || ms < l.to));
  let callsYen = 0;
  let pricedCalls = 0;
  let exemptCalls = 0;
  const expectedYen = new Map<string, number>();
  for (const c of calls) {
    const moment = classifyMoment(calendar, new Date(c.rangAt));
    const date = localDate(c.rangAt, s.zone);
    expect(moment.local.date).toBe(date);
    let yen = 0;
    const attended = moment.kind === 'after-hours' ? (anyoneIn(c.rangAt) ? ' attended' : ' unattended') : '';
    tally(`call ${moment.kind}${attended}`);
    if (c.duplicate !== 'none') tally(`duplicate ${c.duplicate}`);
    if (date < startDate) {
      exemptCalls++; // before the service start: NO_CONTRACT, 0 yen
      tally('call before the start');
    } else {
      const terms = termsOn(date);
      const rated = rateCall({
        popupClass: c.popupClass,
        prices: terms.popupPrices,
        listInputSurchargeYen: s.listInput === 'per-popup' ? terms.listInputPerPopupYen : 0,
        dayKind: moment.kind,
        anyoneIn: anyoneIn(c.rangAt),
      });
      yen = rated.amountYen;
      if (rated.exemption) exemptCalls++;
      else pricedCalls++;
    }
    expectedYen.set(c.callId, yen);
    callsYen += yen;
  }
  const startDays = daysInMonth(months[0] as string) - Number(startDate.slice(8)) + 1;
  const prorate = (yen: number, k: number) =>
    k === 0 ? Math.floor((yen * startDays) / daysInMonth(months[0] as string)) : yen;
  let feesYen = 0;
  const feeDetail: Record<string, number> = {};
  months.forEach((month, k) => {
    const terms = termsOn(lastDay(month));
    const pcs = new Set(
      seats
        .filter((p) => Math.max(p.from, monthStart(k)) < Math.min(p.to ?? Number.POSITIVE_INFINITY, monthEnd(k)))
        .map((p) => p.deviceId),
    ).size;
    const packs = acceptedPacks.filter((d) => d.slice(0, 7) === month).length;
    const fee =
      (k === 0 ? terms.initialFeeYen : 0) +
      prorate(terms.maintenanceYen, k) +
      pcs * prorate(terms.softwareFeePerPcYen, k) +
      packs * terms.connectionPriceYen * terms.packSize * terms.packBillingMonths;
    feeDetail[month] = fee;
    feesYen += fee;
  });

  // --- what billing did -----------------------------------------------------------------------
  const invoices: InvoiceSnapshot[] = await t.db.query(
    `SELECT id, month, number, subtotal_yen::text, total_yen::text, lines FROM invoices
      WHERE tenant_id = $1 AND kind = 'invoice' AND status = 'issued' ORDER BY month`,
    [tenantId],
  );
  const rated: { call_id: string; amount_yen: number; billed_month: string }[] = await t.db.query(
    'SELECT call_id, amount_yen, billed_month FROM rated_calls WHERE tenant_id = $1',
    [tenantId],
  );
  const lines = invoices.flatMap((i) => i.lines as { kind: string; quantity: number; amountYen: number }[]);
  const quantity = (kind: string) => lines.filter((l) => l.kind === kind).reduce((n, l) => n + l.quantity, 0);

  tally('runs');
  tally(`zone ${s.zone}`);
  tally(`plan ${s.planCode}${changeMonth ? ' versioned' : ''}`);
  tally(
    'late calls',
    [...expectedBilledMonth].filter(
      ([id, billedIn]) => billedIn !== ownMonthOf(calls.find((c) => c.callId === id)?.rangAt as number),
    ).length,
  );
  tally('packs accepted', acceptedPacks.length);
  tally('packs refused', s.initialPacks + s.packs.length - acceptedPacks.length);
  tally('seat edges', s.devices.filter((d) => d.edge).length);
  tally('leases', leases.length);
  // Every call once, at its own price, placed where the oracle placed it.
  expect(new Map(rated.map((r) => [r.call_id, r.amount_yen]))).toEqual(expectedYen);
  expect(new Map(rated.map((r) => [r.call_id, r.billed_month]))).toEqual(expectedBilledMonth);
  // Every month of the window issued exactly once, and every billed month has its issued invoice.
  expect(invoices.map((i) => i.month)).toEqual(months);
  for (const r of rated) expect(issuedMonths.has(r.billed_month), `${r.call_id} in ${r.billed_month}`).toBe(true);
  // No call counted twice, none dropped.
  expect(quantity('POPUPS')).toBe(pricedCalls);
  expect(quantity('EXEMPT_POPUPS')).toBe(exemptCalls);
  // Fixed fees month by month (initial fee, maintenance, PCs, packs), then usage as a whole
  // (late usage moves between invoices, its sum must not change).
  const fixedKinds = new Set(['INITIAL_FEE', 'MAINTENANCE', 'SOFTWARE_FEE', 'CONNECTION_PACKS']);
  const fixedOf = (i: InvoiceSnapshot) =>
    (i.lines as { kind: string; amountYen: number }[])
      .filter((l) => fixedKinds.has(l.kind))
      .reduce((sum, l) => sum + l.amountYen, 0);
  expect(Object.fromEntries(invoices.map((i) => [i.month, fixedOf(i)]))).toEqual(feeDetail);
  const usageYen = lines.filter((l) => !fixedKinds.has(l.kind)).reduce((sum, l) => sum + l.amountYen, 0);
  expect(usageYen).toBe(callsYen);
  // The invariant: the issued invoices bill exactly what is due.
  const billed = invoices.reduce((sum, i) => sum + Number(i.subtotal_yen), 0);
  expect(billed).toBe(callsYen + feesYen);
  // An issued invoice never changed afterwards.
  for (const i of invoices) expect(i).toEqual(issuedSnapshots.get(i.month));
}

describe('money invariant (real Postgres and Kafka)', () => {
  it('issued invoices bill exactly what every call and every fee is due, however months and late data interleave', async () => {
    await fc.assert(fc.asyncProperty(scenarioArb, runScenario), { numRuns: 20 });
    if (process.env.INVARIANT_STATS) console.info(JSON.stringify(stats, null, 1));
  }, 240_000);
});

describe('the early-termination fee is never dropped (real Postgres)', () => {
  const terminate = (contractId: string, endMonth: string, fee: number) =>
    t.gql(
      backOffice,
      'mutation($c: ID!, $e: String!, $f: Int!) { terminateContract(contractId: $c, endMonth: $e, expectedFeeYen: $f) { status endMonth } }',
      { c: contractId, e: endMonth, f: fee },
    );
  const preview = async (contractId: string, endMonth: string): Promise<number> =>
    (
      await t.gql(
        backOffice,
        'query($c: ID!, $e: String!) { previewTermination(contractId: $c, endMonth: $e) { feeYen } }',
        {
          c: contractId,
          e: endMonth,
        },
      )
    ).data.previewTermination.feeYen;
  const contract = async (tenantId: string) => {
    const res = await t.gql(backOffice, 'mutation($i: NewContractInput!) { createContract(input: $i) { id } }', {
      i: {
        tenantId,
        recipientName: '株式会社かいやく',
        planCode: 'CLOUD',
        serviceStartDate: '2026-02-10',
        listInput: 'NONE',
      },
    });
    expect(res.errors).toBeUndefined();
    return res.data.createContract.id as string;
  };
  const feeBilled = async (tenantId: string) =>
    (
      await t.db.query(
        `SELECT coalesce(sum((l->>'amountYen')::bigint), 0)::int AS yen FROM invoices, jsonb_array_elements(lines) l
          WHERE tenant_id = $1 AND kind = 'invoice' AND status = 'issued' AND l->>'kind' = 'EARLY_TERMINATION'`,
        [tenantId],
      )
    )[0].yen as number;

  it('refuses an end month whose invoice is already issued when the fee could no longer be billed', async () => {
    // Started 2026-02-10: the term runs 2026-03 … 2027-02. March is issued on 2 April; ending
    // with March leaves 11 months: 11 × 10,000 = 110,000 due on March's invoice, which never changes.
    const tenantId = randomUUID();
    const contractId = await contract(tenantId);
    for (const month of ['2026-02', '2026-03'])
      await invoicing.closeMonthMany([tenantId], month, { now: new Date('2026-04-02T03:00:00Z'), issue: true });
    const fee = await preview(contractId, '2026-03');
    expect(fee).toBe(110_000);
    const refused = await terminate(contractId, '2026-03', fee);
    expect(refused.errors?.[0]?.extensions?.code).toBe('END_MONTH_INVOICED');
    expect(refused.errors?.[0]?.message).toContain('2026年3月分の請求書は発行済み');
    const [row] = await t.db.query('SELECT status, end_month FROM contracts WHERE id = $1', [contractId]);
    expect(row).toEqual({ status: 'active', end_month: null });
    // Ending with April instead: April's invoice carries the fee (10 months: 100,000).
    const aprilFee = await preview(contractId, '2026-04');
    expect((await terminate(contractId, '2026-04', aprilFee)).errors).toBeUndefined();
    await invoicing.closeMonthMany([tenantId], '2026-04', { now: new Date('2026-05-02T03:00:00Z'), issue: true });
    expect(await feeBilled(tenantId)).toBe(100_000);
  });

  it('accepts an end month that is only drafted or has no fee left: the fee is on the issued invoice', async () => {
    const tenantId = randomUUID();
    const contractId = await contract(tenantId);
    const draft = await invoicing.closeMonth(tenantId, '2026-03', new Date('2026-04-02T03:00:00Z'));
    const fee = await preview(contractId, '2026-03');
    expect((await terminate(contractId, '2026-03', fee)).errors).toBeUndefined();
    await invoicing.issue(draft.id, new Date('2026-04-02T04:00:00Z'));
    expect(await feeBilled(tenantId)).toBe(110_000);

    // Ending in or after the term's last month costs nothing, so an issued end month loses nothing.
    const other = randomUUID();
    const otherContract = await contract(other);
    for (let k = 2; k <= 12; k++) {
      const month = `2026-${String(k).padStart(2, '0')}`;
      await invoicing.closeMonthMany([other], month, { now: new Date('2027-03-02T03:00:00Z'), issue: true });
    }
    await invoicing.closeMonthMany([other], '2027-01', { now: new Date('2027-03-02T03:00:00Z'), issue: true });
    await invoicing.closeMonthMany([other], '2027-02', { now: new Date('2027-03-02T03:00:00Z'), issue: true });
    expect(await preview(otherContract, '2027-02')).toBe(0);
    expect((await terminate(otherContract, '2027-02', 0)).errors).toBeUndefined();
  });
});
