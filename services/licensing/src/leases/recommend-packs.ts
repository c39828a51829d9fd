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
  /** What an admin reads, in Japanese: 「過去30日のピーク 8：接続パック 2 件」. */
  message: string;
  /** The same in English, for integrators. */
  messageEn: string;
}

/**
 * The fewest packs whose capacity covers the peak: "peak 8 in the last 30 days: 2 packs".
 * The peak should include refused attempts, so a tenant that was turned away sees why.
 */
export function recommendPacks(peak: number, days = 30): PackRecommendation {
  if (!Number.isInteger(peak) || peak < 0) throw new RangeError(`peak must be a non-negative integer, got ${peak}`);
  const wanted = Math.ceil(Math.max(0, peak - INCLUDED_CONNECTIONS) / CONNECTIONS_PER_PACK);
  // Never more than can be sold (docs/product-rules.md: at most 19 packs, 96 connections).
  const packs = Math.min(wanted, MAX_CONNECTION_PACKS);
  const capacity = connectionCapacity(packs);
  const exceedsMaximum = peak > capacity;
  const unit = packs === 1 ? 'pack' : 'packs';
  const most = connectionCapacity(MAX_CONNECTION_PACKS);
  const message = exceedsMaximum
    ? `過去${days}日のピーク ${peak}：購入できる上限（同時接続 ${most}、最大 ${MAX_CONNECTIONS}）を超えています。接続パック ${packs} 件で同時接続 ${capacity} です`
    : `過去${days}日のピーク ${peak}：接続パック ${packs} 件`;
  const messageEn = exceedsMaximum
    ? `peak ${peak} in the last ${days} days: more than the most that can be bought (${most} of at most ${MAX_CONNECTIONS}); ${packs} ${unit} give ${capacity}`
    : `peak ${peak} in the last ${days} days: ${packs} ${unit}`;
  return { peak, packs, capacity, exceedsMaximum, message, messageEn };
}
