import { DomainError } from '@thankstar/platform';
import { describe, expect, it } from 'vitest';
import { cloudPlan } from '../plans/default-plans';
import {
  type BillableContract,
  buildInvoices,
  selectContracts,
  splitUsage,
  type UsedCallCount,
  versionIdsNeeded,
} from './invoice-building';

const tenant = 'aaaaaaaa-0000-4000-8000-000000000001';
const other = 'aaaaaaaa-0000-4000-8000-000000000002';
const contract = (over: Partial<BillableContract> = {}): BillableContract => ({
  id: 'c1',
  recipientName: '株式会社テスト',
  planVersionId: 'v1',
  serviceStartDate: '2026-09-01',
  endMonth: null,
  listInput: 'none',
  createdAt: new Date('2026-08-01T00:00:00Z'),
  ...over,
});
const calls = (usedMonth: string, count: number, tenantId = tenant): UsedCallCount => ({
  tenantId,
  usedMonth,
  popupClass: 'CUSTOMER',
  popupYen: 30,
  listInputYen: 0,
  exemption: null,
  count,
});

function build(month: string, contractsOf: Map<string, BillableContract[]>, counts: UsedCallCount[]) {
  const ids = [...contractsOf.keys()];
  const { contracts, ended } = selectContracts(ids, contractsOf, month);
  const { own, late } = splitUsage(month, counts, new Map());
  const changes = new Map();
  expect(versionIdsNeeded(contracts, late, changes, month).every((id) => id === 'v1')).toBe(true);
  return buildInvoices({
    month,
    tenantIds: ids,
    contracts,
    ended,
    changes,
    versions: new Map([['v1', cloudPlan.terms]]),
    packsOf: new Map(),
    own,
    late,
    recordsKeyed: new Map(),
    pcs: new Map(),
    taxRatePercent: 10,
    taxRounding: 'down',
  });
}

describe('buildInvoices (the pure step of the close)', () => {
  it('bills the month own calls and a late month as its own line; 取引期間 from the late month (worked example 1)', () => {
    const built = build('2026-11', new Map([[tenant, [contract()]]]), [calls('2026-11', 5), calls('2026-10', 2)]).get(
      tenant,
    );
    if (!built || built instanceof DomainError) throw new Error('expected an invoice');
    expect(built.periodStart).toBe('2026-10-01');
    expect(built.assembled.lines.map((l) => [l.description, l.quantity, l.amountYen])).toEqual(
      expect.arrayContaining([
        [expect.stringContaining('システム保守料金'), 1, 10_000],
        ['着信ポップアップ (顧客)', 5, 150],
        ['前月以前のご利用分（2026年10月） 着信ポップアップ (顧客)', 2, 60],
      ]),
    );
    expect(built.assembled.subtotalYen).toBe(10_210);
  });

  it('a tenant without a contract, and one whose contract ended before the month with no late usage, get NOTHING_TO_INVOICE', () => {
    const out = build(
      '2026-11',
      new Map([
        [tenant, []],
        [other, [contract({ id: 'c2', endMonth: '2026-10' })]],
      ]),
      [],
    );
    for (const id of [tenant, other]) {
      const refusal = out.get(id);
      expect(refusal).toBeInstanceOf(DomainError);
      expect((refusal as DomainError).code).toBe('NOTHING_TO_INVOICE');
    }
  });

  it('after the end month, late usage of the contract months is settled on an invoice of its own lines only', () => {
    const built = build('2026-11', new Map([[tenant, [contract({ endMonth: '2026-10' })]]]), [calls('2026-10', 2)]).get(
      tenant,
    );
    if (!built || built instanceof DomainError) throw new Error('expected a settlement invoice');
    expect(built.assembled.lines.map((l) => [l.description, l.amountYen])).toEqual([
      ['前月以前のご利用分（2026年10月） 着信ポップアップ (顧客)', 60],
    ]);
    expect(built.assembled.totalYen).toBe(66);
  });
});
