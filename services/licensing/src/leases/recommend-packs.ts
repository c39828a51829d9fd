import {
  CONNECTIONS_PER_PACK,
  connectionCapacity,
  INCLUDED_CONNECTIONS,
  MAX_CONNECTION_PACKS,
  MAX_CONNECTIONS,
} from '@thankstar/contracts';

export interface PackRecommendation {
  /** The peak the recommendation is based on (simultaneous web + mobile connections wanted). */
  peak: number;
  packs: number;
  capacity: number;
  /** True when even the largest purchase cannot cover the peak. */
  exceedsMaximum: boolean;
  message: string;
}

/**
 * The fewest packs whose capacity covers the peak: "peak 8 in the last 30 days: 2 packs".
 * The peak should include refused attempts, so a tenant that was turned away sees why.
 */
export function recommendPacks(peak: number, periodLabel = 'in the last 30 days'): PackRecommendation {
  if (!Number.isInteger(peak) || peak < 0) throw new RangeError(`peak must be a non-negative integer, got ${peak}`);
  const wanted = Math.ceil(Math.max(0, peak - INCLUDED_CONNECTIONS) / CONNECTIONS_PER_PACK);
  // Never more than can be sold (docs/product-rules.md: at most 19 packs, 96 connections).
  const packs = Math.min(wanted, MAX_CONNECTION_PACKS);
  const capacity = connectionCapacity(packs);
  const exceedsMaximum = peak > capacity;
  const unit = packs === 1 ? 'pack' : 'packs';
  const message = exceedsMaximum
    ? `peak ${peak} ${periodLabel}: more than the most that can be bought (${connectionCapacity(MAX_CONNECTION_PACKS)} of at most ${MAX_CONNECTIONS}); ${packs} ${unit} give ${capacity}`
    : `peak ${peak} ${periodLabel}: ${packs} ${unit}`;
  return { peak, packs, capacity, exceedsMaximum, message };
}
