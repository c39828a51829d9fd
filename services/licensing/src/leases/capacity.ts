/** Every tenant has one concurrent connection included; more come in packs of five. */
export const INCLUDED_CONNECTIONS = 1;
export const CONNECTIONS_PER_PACK = 5;
export const MAX_CONNECTIONS = 100;

/** Capacity = 1 + 5 × packs, at most 100 per tenant (SPEC.md section 2). */
export function connectionCapacity(packs: number): number {
  if (!Number.isInteger(packs) || packs < 0) throw new RangeError(`packs must be a non-negative integer, got ${packs}`);
  return Math.min(MAX_CONNECTIONS, INCLUDED_CONNECTIONS + CONNECTIONS_PER_PACK * packs);
}
