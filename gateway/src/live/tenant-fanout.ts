/** One live subscription of one socket; it receives the events of its own tenant only. */
export interface LiveSubscriber<T> {
  readonly tenantId: string;
  push(event: T): void;
}

/**
 * The subscribers of this gateway instance, by tenant. Publishing an event costs
 * O(subscribers of that tenant), whatever the number of other tenants' sockets.
 */
export class TenantFanout<T> {
  private readonly byTenant = new Map<string, Set<LiveSubscriber<T>>>();

  /** Adds a subscriber; the returned function removes it. */
  add(subscriber: LiveSubscriber<T>): () => void {
    let set = this.byTenant.get(subscriber.tenantId);
    if (!set) {
      set = new Set();
      this.byTenant.set(subscriber.tenantId, set);
    }
    set.add(subscriber);
    return () => {
      const current = this.byTenant.get(subscriber.tenantId);
      if (!current?.delete(subscriber)) return;
      if (current.size === 0) this.byTenant.delete(subscriber.tenantId);
    };
  }

  /** Pushes the event to every subscriber of the tenant; returns how many it reached. */
  publish(tenantId: string, event: T): number {
    const set = this.byTenant.get(tenantId);
    if (!set) return 0;
    // A copy: a push may cut off a slow subscriber, which removes it from the set.
    for (const subscriber of [...set]) subscriber.push(event);
    return set.size;
  }

  subscriberCount(tenantId?: string): number {
    if (tenantId !== undefined) return this.byTenant.get(tenantId)?.size ?? 0;
    let n = 0;
    for (const set of this.byTenant.values()) n += set.size;
    return n;
  }
}
