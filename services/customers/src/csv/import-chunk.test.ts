import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Customer } from '../customers/customer';
import { type CustomerInput, CustomersService } from '../customers/customers.service';
import { limits } from '../customers/limits';
import { parsePhone } from '../customers/phone-rules';
import {
  type ExistingCustomer,
  externalIdOf,
  type ImportRow,
  inChunks,
  keyedRecords,
  type PendingRow,
  planChunk,
  ReportRows,
  settleInserts,
} from './import-chunk';

const definitions = [
  { key: 'rank', label: '会員ランク', type: 'SELECT' as const, options: ['ゴールド'], required: false },
];
// CustomersService.prepare, the rule itself: given the definitions it reads and writes nothing.
const service = new CustomersService(undefined as never, undefined as never, undefined as never);
const prepare = (existing: Customer | null, input: CustomerInput) =>
  service.prepare(undefined as never, 't1', existing, input, definitions);

const customer = (id: string, externalId: string): Customer => ({
  id,
  tenantId: 't1',
  externalId,
  name: `既存 ${externalId}`,
  nameKana: null,
  company: null,
  department: null,
  emails: [],
  address: null,
  tags: [],
  notes: null,
  ownerId: null,
  customFields: {},
  createdBy: null,
  updatedBy: null,
  createdAt: '2026-01-01T00:00:00.000Z',
  updatedAt: '2026-01-01T00:00:00.000Z',
});

const digits = (n: string) => parsePhone(n).nationalDigits;
let counter = 0;
const newId = () => `new-${++counter}`;

async function* from<T>(xs: readonly T[]): AsyncGenerator<T> {
  yield* xs;
}

describe('planChunk', () => {
  it('creates, updates by 顧客ID without adding a number it has, and rejects a bad row with its reasons', async () => {
    const existing = new Map<string, ExistingCustomer>([
      ['C-1', { customer: customer('id-1', 'C-1'), phoneDigits: new Set([digits('03-1234-5678')]) }],
    ]);
    const plan = await planChunk(
      [
        {
          line: 2,
          input: {
            externalId: 'C-1',
            name: '山田 太郎',
            phones: [{ number: '(03)1234-5678' }, { number: '090-1111-2222', type: 'MOBILE' }],
          },
        },
        { line: 3, input: { externalId: ' C-2 ', name: '佐藤 花子', phones: [{ number: '0312345678' }] } },
        { line: 4, input: { name: '鈴木', phones: [{ number: 'abc' }] } },
        { line: 5, input: { name: '田中', customFields: [{ key: 'rank', value: 'シルバー' }] } },
        { line: 6, input: { externalId: 'C-3' } },
      ],
      existing,
      prepare,
      newId,
    );
    expect(plan.rows.map((r) => [r.line, r.action, r.externalId])).toEqual([
      [2, 'UPDATE', 'C-1'],
      [3, 'CREATE', ' C-2 '],
      [4, 'REJECT', null],
      [5, 'REJECT', null],
      [6, 'REJECT', 'C-3'],
    ]);
    expect(plan.rows[2]?.problems).toHaveLength(1);
    expect(plan.rows[3]?.problems.length).toBeGreaterThan(0);
    expect(plan.updates.map((u) => [u.id, u.write.name, u.write.externalId])).toEqual([['id-1', '山田 太郎', 'C-1']]);
    expect(plan.inserts.map((u) => [u.write.name, u.write.externalId])).toEqual([['佐藤 花子', 'C-2']]);
    const created = plan.inserts[0]?.id as string;
    expect(plan.phones.map((p) => [p.customerId, p.raw, p.nationalDigits, p.type])).toEqual([
      ['id-1', '090-1111-2222', '9011112222', 'MOBILE'],
      [created, '0312345678', '312345678', 'OTHER'],
    ]);
  });

  it('refuses a row that would give a customer more numbers than the limit, counting the ones it has', async () => {
    const known = new Set(
      Array.from({ length: limits.phones.count }, (_, i) => digits(`090-1000-${String(i).padStart(4, '0')}`)),
    );
    const existing = new Map<string, ExistingCustomer>([
      ['C-1', { customer: customer('id-1', 'C-1'), phoneDigits: known }],
    ]);
    const plan = await planChunk(
      [{ line: 2, input: { externalId: 'C-1', phones: [{ number: '090-9999-9999' }] } }],
      existing,
      prepare,
    );
    expect(plan.rows[0]?.action).toBe('REJECT');
    expect(plan.phones).toEqual([]);
  });

  it('property: one outcome per row in order; inserts, updates and numbers follow the outcomes; no number twice', async () => {
    const pool = ['C-1', 'C-2', 'C-3', 'C-4'];
    const numbers = ['03-1234-5678', '0312345678', '090-1111-2222', '+81 90 1111 2222', '06-6666-7777', '不明'];
    const row = fc.record(
      {
        externalId: fc.constantFrom(...pool, ' C-1', ''),
        name: fc.constantFrom('山田', '  ', 'x'.repeat(201)),
        phones: fc.array(fc.record({ number: fc.constantFrom(...numbers) }), { maxLength: 4 }),
      },
      { requiredKeys: [] },
    );
    await fc.assert(
      fc.asyncProperty(
        fc.array(row, { maxLength: 12 }),
        fc.subarray(pool),
        fc.array(fc.constantFrom(...numbers.slice(0, 5)), { maxLength: 3 }),
        async (inputs, known, knownNumbers) => {
          // A chunk never holds a 顧客ID twice (inChunks starts the next one).
          const seen = new Set<string>();
          const chunk: PendingRow[] = inputs
            .map((input, i) => ({ line: i + 2, input }))
            .filter((r) => {
              const id = externalIdOf(r.input);
              if (!id) return true;
              if (seen.has(id)) return false;
              seen.add(id);
              return true;
            });
          const existing = new Map<string, ExistingCustomer>(
            known.map((id) => [
              id,
              { customer: customer(`id-${id}`, id), phoneDigits: new Set(knownNumbers.map(digits)) },
            ]),
          );
          const plan = await planChunk(chunk, existing, prepare, newId);
          expect(plan.rows.map((r) => r.line)).toEqual(chunk.map((r) => r.line));
          const of = (a: ImportRow['action']) => plan.rows.filter((r) => r.action === a).length;
          expect(plan.inserts).toHaveLength(of('CREATE'));
          expect(plan.updates).toHaveLength(of('UPDATE'));
          plan.rows.forEach((r, i) => {
            const input = chunk[i]?.input as CustomerInput;
            const found = existing.has(externalIdOf(input) ?? '');
            if (r.action === 'REJECT') expect(r.problems.length).toBeGreaterThan(0);
            else expect(r.action).toBe(found ? 'UPDATE' : 'CREATE');
          });
          expect(plan.updates.map((u) => u.id).every((id) => id.startsWith('id-'))).toBe(true);
          const ids = new Set([...plan.inserts, ...plan.updates].map((r) => r.id));
          expect(ids.size).toBe(plan.inserts.length + plan.updates.length);
          for (const p of plan.phones) expect(ids.has(p.customerId)).toBe(true);
          for (const u of plan.updates) {
            const added = plan.phones.filter((p) => p.customerId === u.id).map((p) => p.nationalDigits);
            expect(new Set(added).size).toBe(added.length);
            for (const d of added) expect(knownNumbers.map(digits)).not.toContain(d);
          }
        },
      ),
      { numRuns: 150 },
    );
  });
});

describe('settleInserts and keyedRecords', () => {
  it('rejects a row whose 顧客ID was created meanwhile and drops its numbers; counts each keyed customer once', async () => {
    const plan = await planChunk(
      [
        { line: 2, input: { externalId: 'A', name: '甲', phones: [{ number: '03-1111-2222' }] } },
        { line: 3, input: { externalId: 'B', name: '乙', phones: [{ number: '03-3333-4444' }] } },
      ],
      new Map(),
      prepare,
      newId,
    );
    const [a, b] = plan.inserts.map((r) => r.id) as [string, string];
    const phones = settleInserts(plan, new Set([b]));
    expect(plan.rows.map((r) => [r.action, r.problems])).toEqual([
      ['REJECT', ['顧客ID「A」の顧客はすでに存在します。']],
      ['CREATE', []],
    ]);
    expect(phones.map((p) => p.customerId)).toEqual([b]);
    expect(keyedRecords([b], ['id-x', b], phones)).toBe(2);
    expect(a).not.toBe(b);
  });
});

describe('inChunks', () => {
  it('property: the rows in order, at most `size` per chunk, no 顧客ID twice in one, cut only when it must be', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.constantFrom('A', 'B', ' A', 'C', '', null), { maxLength: 30 }),
        fc.integer({ min: 1, max: 6 }),
        async (ids, size) => {
          const rows: PendingRow[] = ids.map((externalId, i) => ({ line: i + 2, input: { externalId, name: 'x' } }));
          const chunks: PendingRow[][] = [];
          for await (const c of inChunks(from(rows), size)) chunks.push(c);
          expect(chunks.flat()).toEqual(rows);
          chunks.forEach((c, i) => {
            expect(c.length).toBeGreaterThan(0);
            expect(c.length).toBeLessThanOrEqual(size);
            const keys = c.map((r) => externalIdOf(r.input)).filter((x) => x !== null);
            expect(new Set(keys).size).toBe(keys.length);
            const next = chunks[i + 1]?.[0];
            if (next && c.length < size) expect(keys).toContain(externalIdOf(next.input));
          });
        },
      ),
    );
  });
});

describe('ReportRows', () => {
  it('property: counts every row, lists every rejected row up to the limit, in line order, and says when some are left out', () => {
    fc.assert(
      fc.property(
        fc.array(fc.constantFrom('CREATE', 'UPDATE', 'REJECT'), { maxLength: 40 }),
        fc.integer({ min: 1, max: 10 }),
        (actions, limit) => {
          const rows: ImportRow[] = actions.map((action, i) => ({
            line: i + 2,
            action,
            externalId: null,
            name: null,
            problems: [],
          }));
          const report = new ReportRows(limit);
          report.add(rows.slice(0, 7));
          report.add(rows.slice(7));
          const count = (a: string) => actions.filter((x) => x === a).length;
          expect([report.created, report.updated, report.rejected]).toEqual([
            count('CREATE'),
            count('UPDATE'),
            count('REJECT'),
          ]);
          const listed = report.rows();
          expect(listed.rows.map((r) => r.line)).toEqual([...listed.rows.map((r) => r.line)].sort((x, y) => x - y));
          expect(listed.rows.filter((r) => r.action === 'REJECT')).toHaveLength(Math.min(count('REJECT'), limit));
          expect(listed.rows.length).toBeLessThanOrEqual(limit);
          expect(listed.truncated).toBe(listed.rows.length < rows.length);
        },
      ),
    );
  });
});
