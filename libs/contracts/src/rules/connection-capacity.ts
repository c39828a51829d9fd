/** Every tenant has one concurrent connection included; more come in packs of five (docs/product-rules.md#concurrent-connections). */
export const INCLUDED_CONNECTIONS = 1;
export const CONNECTIONS_PER_PACK = 5;
/** At most 100 concurrent connections per tenant. */
export const MAX_CONNECTIONS = 100;
/**
 * The most packs a tenant can hold: the largest n with 1 + 5 × n ≤ 100, i.e. 19. A 20th pack
 * would be paid for and give nothing, so billing refuses it at sale.
 */
export const MAX_CONNECTION_PACKS = Math.floor((MAX_CONNECTIONS - INCLUDED_CONNECTIONS) / CONNECTIONS_PER_PACK);

/** Capacity = 1 + 5 × packs, at most 100 per tenant (docs/product-rules.md#concurrent-connections). */
export function connectionCapacity(packs: number): number {
  if (!Number.isInteger(packs) || packs < 0) throw new RangeError(`packs must be a non-negative integer, got ${packs}`);
  return Math.min(MAX_CONNECTIONS, INCLUDED_CONNECTIONS + CONNECTIONS_PER_PACK * packs);
}
