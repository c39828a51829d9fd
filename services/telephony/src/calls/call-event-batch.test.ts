import type { CallEventKind, PhoneNumber } from '@thankstar/contracts';
import { describe, expect, it } from 'vitest';
import {
  applyBatch,
  type BatchEvent,
  dedupKeyOf,
  eventKey,
  firstEventOfEachCall,
  insertCandidates,
  linesWanted,
} from './call-event-batch';
import { callNumberOf } from './call-number';
import type { CallEventFact } from './call-state';

const from = callNumberOf('090-1111-2222', 'caller') as PhoneNumber;
const line = callNumberOf('03-1234-5678', 'line') as PhoneNumber;
const at = (minute: number) => new Date(Date.UTC(2026, 10, 29, 1, minute));

function ev(tenantId: string, callId: string, kind: CallEventKind, minute: number, extension: string | null = null) {
  const event = { callId, kind, from, to: line, occurredAt: at(minute), extension, operatorId: null };
  return { tenantId, source: 'webhook', event, dedupKey: dedupKeyOf(event), traceparent: '' } satisfies BatchEvent;
}

// Our call id of a (tenant, call): the tenant and call joined, as the upsert would give one per call.
const idOf = (p: BatchEvent) => `${p.tenantId}/${p.event.callId}`;

describe('a write batch without the database', () => {
  it('a transfer is deduplicated by its target, every other kind by its kind', () => {
    expect(ev('t', 'c', 'ringing', 0).dedupKey).toBe('ringing');
    expect(ev('t', 'c', 'transferred', 0, '305').dedupKey).toBe('transferred:305:');
  });

  it('takes the first event of each call, per tenant, for the call rows', () => {
    const batch = [ev('a', 'c1', 'answered', 1), ev('b', 'c1', 'ringing', 0), ev('a', 'c1', 'ringing', 0)];
    expect(firstEventOfEachCall(batch)).toEqual([batch[0], batch[1]]);
  });

  it('inserts a repeat inside the batch once', () => {
    const batch = [ev('a', 'c1', 'ringing', 0), ev('a', 'c1', 'ringing', 0), ev('a', 'c1', 'answered', 1)];
    expect(insertCandidates(batch, idOf)).toEqual([batch[0], batch[2]]);
  });

  it('gives the state after each new event as if one transaction per event; repeats are duplicates', () => {
    const batch = [ev('a', 'c1', 'answered', 1, '201'), ev('a', 'c1', 'answered', 1, '201'), ev('a', 'c1', 'ended', 5)];
    // ringing was stored before this batch; answered and ended are new.
    const earlier: CallEventFact<PhoneNumber>[] = [
      { kind: 'ringing', at: at(0), from, to: line, extension: null, operatorId: null },
    ];
    const inserted = new Set([eventKey('a/c1', 'answered'), eventKey('a/c1', 'ended')]);
    const applied = applyBatch(batch, idOf, inserted, new Map([['a/c1', earlier]]));
    expect(applied.results).toEqual([
      { id: 'a/c1', duplicate: false },
      { id: 'a/c1', duplicate: true },
      { id: 'a/c1', duplicate: false },
    ]);
    expect([...applied.stateAfter.values()].map((s) => s.status)).toEqual(['answered', 'ended']);
    expect(applied.stateAfter.has(batch[1] as BatchEvent)).toBe(false);
    expect(applied.finalState.get('a/c1')).toMatchObject({
      tenantId: 'a',
      state: { status: 'ended', ringingAt: at(0) },
    });
    // The history handed in is not changed.
    expect(earlier).toHaveLength(1);
  });

  it('an event the database did not insert (stored before) is a duplicate and changes nothing', () => {
    const batch = [ev('a', 'c1', 'ringing', 0)];
    const applied = applyBatch(batch, idOf, new Set(), new Map());
    expect(applied.results).toEqual([{ id: 'a/c1', duplicate: true }]);
    expect(applied.finalState.size).toBe(0);
    expect(linesWanted(applied.stateAfter)).toEqual([]);
  });

  it('looks up each tenant’s rung line once', () => {
    const batch = [ev('a', 'c1', 'ringing', 0), ev('a', 'c2', 'ringing', 0), ev('b', 'c1', 'ringing', 0)];
    const inserted = new Set(batch.map((p) => eventKey(idOf(p), p.dedupKey)));
    const applied = applyBatch(batch, idOf, inserted, new Map());
    expect(linesWanted(applied.stateAfter)).toEqual([
      { tenantId: 'a', e164: '+81312345678' },
      { tenantId: 'b', e164: '+81312345678' },
    ]);
  });
});
