import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { TenantFanout } from './tenant-fanout';

describe('TenantFanout', () => {
  it('delivers every event to exactly the subscribers of its tenant, in order', () => {
    fc.assert(
      fc.property(
        fc.array(fc.constantFrom('a', 'b', 'c'), { minLength: 1, maxLength: 8 }),
        fc.array(fc.tuple(fc.constantFrom('a', 'b', 'c', 'd'), fc.integer()), { maxLength: 30 }),
        (subscriberTenants, events) => {
          const fanout = new TenantFanout<number>();
          const received = subscriberTenants.map((tenantId) => {
            const got: number[] = [];
            fanout.add({ tenantId, push: (e) => got.push(e) });
            return { tenantId, got };
          });
          for (const [tenantId, event] of events) fanout.publish(tenantId, event);
          for (const { tenantId, got } of received) {
            expect(got).toEqual(events.filter(([t]) => t === tenantId).map(([, e]) => e));
          }
        },
      ),
    );
  });

  it('forgets a removed subscriber and an empty tenant', () => {
    const fanout = new TenantFanout<string>();
    const got: string[] = [];
    const remove = fanout.add({ tenantId: 't', push: (e) => got.push(e) });
    expect(fanout.publish('t', 'one')).toBe(1);
    remove();
    remove();
    expect(fanout.publish('t', 'two')).toBe(0);
    expect(got).toEqual(['one']);
    expect(fanout.subscriberCount()).toBe(0);
  });

  it('keeps delivering to the others when a subscriber removes itself during a push', () => {
    const fanout = new TenantFanout<string>();
    const got: string[] = [];
    const removeFirst = fanout.add({ tenantId: 't', push: () => removeFirst() });
    fanout.add({ tenantId: 't', push: (e) => got.push(e) });
    fanout.publish('t', 'x');
    fanout.publish('t', 'y');
    expect(got).toEqual(['x', 'y']);
    expect(fanout.subscriberCount('t')).toBe(1);
  });
});
