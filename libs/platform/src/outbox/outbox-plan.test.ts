import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { planOutboxBatch, publishOneByOne, type RelayRow } from './outbox-plan';

const tooLarge = Object.assign(new Error('too large'), { name: 'KafkaJSProtocolError', type: 'MESSAGE_TOO_LARGE' });
const brokerAway = Object.assign(new Error('Connection error: connect ECONNREFUSED'), {
  name: 'KafkaJSConnectionError',
});

const row = (id: number, key: string, bytes = 10): RelayRow => ({
  id: String(id),
  topic: 't',
  key,
  value: 'x'.repeat(bytes),
});

/** A batch in id order: keys from a small set (so keys repeat), some rows far too large. */
const batch = fc
  .array(fc.record({ key: fc.constantFrom('a', 'b', 'c', 'd'), big: fc.boolean() }), { maxLength: 40 })
  .map((rs) => rs.map((r, i) => row(i + 1, r.key, r.big ? 2_000 : 10)));

/** No row of a key is sent after a parked row of the same key (nothing overtakes a parked row). */
function keepsKeyOrder(rows: RelayRow[], sent: RelayRow[], parked: RelayRow[]): boolean {
  const firstParked = new Map<string, bigint>();
  for (const p of parked) {
    const id = BigInt(p.id);
    if (!firstParked.has(p.key) || (firstParked.get(p.key) ?? id) > id) firstParked.set(p.key, id);
  }
  const order = new Map(rows.map((r, i) => [r.id, i]));
  return (
    sent.every((s) => {
      const head = firstParked.get(s.key);
      return head === undefined || BigInt(s.id) < head;
    }) && sent.every((s, i) => i === 0 || (order.get(sent[i - 1]?.id ?? '') ?? -1) < (order.get(s.id) ?? -1))
  );
}

describe('planOutboxBatch', () => {
  it('parks an oversized row with its reason, holds its key behind it and sends the other keys', () => {
    const rows = [row(1, 'a'), row(2, 'b', 5_000), row(3, 'c'), row(4, 'b'), row(5, 'a')];
    const plan = planOutboxBatch(rows, new Map(), 1_000);
    expect(plan.send.map((r) => r.id)).toEqual(['1', '3', '5']);
    expect(plan.park.map((p) => [p.row.id, p.behind])).toEqual([
      ['2', undefined],
      ['4', '2'],
    ]);
    expect(plan.park[0]?.reason).toMatch(/^MESSAGE_TOO_LARGE: 5\d+ bytes/);
    expect(plan.park[1]?.reason).toMatch(/^HELD_BEHIND_PARKED: .* 2 /);
  });

  it('holds a key that already has parked rows, even when its new row is small', () => {
    const plan = planOutboxBatch([row(10, 'a'), row(11, 'b')], new Map([['a', '3']]), 1_000);
    expect(plan.send.map((r) => r.id)).toEqual(['11']);
    expect(plan.park).toEqual([expect.objectContaining({ behind: '3' })]);
  });

  it('property: every row is sent or parked once, rows over the limit are parked, no key is overtaken', () => {
    fc.assert(
      fc.property(batch, (rows) => {
        const plan = planOutboxBatch(rows, new Map(), 1_000);
        const parked = plan.park.map((p) => p.row);
        const ids = [...plan.send, ...parked].map((r) => r.id).sort();
        return (
          ids.length === rows.length &&
          new Set(ids).size === rows.length &&
          rows.filter((r) => r.value.length > 1_000).every((r) => parked.includes(r)) &&
          keepsKeyOrder(rows, plan.send, parked)
        );
      }),
    );
  });
});

describe('publishOneByOne', () => {
  it('parks the refused row, holds its key, sends the rest in order', async () => {
    const published: string[] = [];
    const result = await publishOneByOne([row(1, 'a'), row(2, 'b'), row(3, 'a'), row(4, 'c')], async (r) => {
      if (r.id === '1') throw tooLarge;
      published.push(r.id);
    });
    expect(published).toEqual(['2', '4']);
    expect(result.park.map((p) => [p.row.id, p.behind])).toEqual([
      ['1', undefined],
      ['3', '1'],
    ]);
    expect(result.park[0]?.reason).toMatch(/^MESSAGE_TOO_LARGE: /);
    expect(result.transient).toBeUndefined();
  });

  it('stops at a transient failure and leaves the rest for the next try', async () => {
    const result = await publishOneByOne([row(1, 'a'), row(2, 'b'), row(3, 'c')], async (r) => {
      if (r.id === '2') throw brokerAway;
    });
    expect(result.sent.map((r) => r.id)).toEqual(['1']);
    expect(result.park).toEqual([]);
    expect(result.transient).toBe(brokerAway);
  });

  it('property: whatever the broker refuses, no key is overtaken and nothing is both sent and parked', async () => {
    await fc.assert(
      fc.asyncProperty(batch, fc.func(fc.boolean()), async (rows, refuses) => {
        const result = await publishOneByOne(rows, async (r) => {
          if (refuses(r.id)) throw tooLarge;
        });
        const parked = result.park.map((p) => p.row);
        return (
          result.sent.length + parked.length === rows.length &&
          result.sent.every((s) => !parked.includes(s)) &&
          keepsKeyOrder(rows, result.sent, parked)
        );
      }),
    );
  });
});
