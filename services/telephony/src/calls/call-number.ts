import type { PhoneNumber } from '@thankstar/contracts';
import { normalizePhoneNumber, withheldReasonOf } from '@thankstar/phone';

/**
 * What a source may send as a number. A caller-ID reason code (P, O, S, C, anonymous) is
 * withheld; a string made of phone characters is a number, kept raw and flagged when it does
 * not parse. Anything else (empty, letters, longer than any dial string) is not a number at
 * all and is refused, so a broken integration is told at once instead of filling the history
 * with junk.
 */
const dialString = /^[0-9+\-().\s#*]{1,40}$/;

export type NumberRole = 'caller' | 'line';

export function callNumberOf(raw: string, role: NumberRole): PhoneNumber | null {
  const trimmed = raw.trim();
  if (role === 'caller' && withheldReasonOf(trimmed)) return normalizePhoneNumber(raw);
  if (!dialString.test(trimmed) || !/\d/.test(trimmed)) return null;
  return normalizedOf(raw);
}

/**
 * Parsing with libphonenumber costs ~0.1 ms a number, a tenth of a webhook's CPU, and the same
 * strings come back all the time (every event names one of the tenant's few lines; callers call
 * again). So results are kept per raw string, a bounded number of them; each caller gets its own copy.
 */
const normalized = new Map<string, PhoneNumber>();
const NORMALIZED_MAX = 10_000;

function normalizedOf(raw: string): PhoneNumber {
  let number = normalized.get(raw);
  if (!number) {
    number = normalizePhoneNumber(raw);
    if (normalized.size >= NORMALIZED_MAX) normalized.clear();
    normalized.set(raw, number);
  }
  return { ...number };
}
