import type { PopupPayload } from '@thankstar/contracts';

/**
 * The popup's default size budget in bytes (its JSON, UTF-8), well under the broker's 1 MB message
 * limit: a popup the broker refuses (MESSAGE_TOO_LARGE) would stop the outbox for every tenant, and
 * a screen pop of more than a few hundred KB is useless to an operator anyway. The envelope around
 * the payload adds well under 1 KB. `CUSTOMERS_POPUP_MAX_BYTES` (src/config.ts) overrides.
 */
export const DEFAULT_POPUP_BUDGET = 256 * 1024;

export const popupBytes = (p: PopupPayload): number => Buffer.byteLength(JSON.stringify(p), 'utf8');

/**
 * Fields never shortened: the popup's and the call's identity, the caller, times, ids, enums and
 * keys. Shortening a date or an id would make the event invalid or point at the wrong record.
 */
const KEEP = new Set([
  'popupId',
  'callId',
  'class',
  'caller',
  'rangAt',
  'interactionId',
  'id',
  'customerId',
  'occurredAt',
  'purchasedOn',
  'dueOn',
  'since',
  'transferredAt',
  'lastPurchaseOn',
  'type',
  'key',
  'e164',
  'userId',
  'assigneeId',
]);
/** Lists inside a customer or the popup that may be shortened after the history rows and candidates. */
const LISTS = new Set(['tags', 'emails', 'phones', 'customFields', 'values', 'handledBy']);
const ELLIPSIS = '…';

/** Every free-text string capped at `max` characters (code points), ending in … when cut. */
function capStrings<T>(value: T, max: number, key = ''): T {
  if (KEEP.has(key)) return value;
  if (typeof value === 'string') {
    if (value.length <= max) return value; // UTF-16 length ≥ code points: nothing to cut
    const chars = Array.from(value);
    return (chars.length <= max ? value : chars.slice(0, Math.max(max - 1, 0)).join('') + ELLIPSIS) as T;
  }
  if (Array.isArray(value)) return value.map((v) => capStrings(v, max, key)) as T;
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, capStrings(v, max, k)])) as T;
  }
  return value;
}

/** Every list named in LISTS cut to its first `max` entries. */
function capLists<T>(value: T, max: number, key = ''): T {
  if (KEEP.has(key)) return value;
  if (Array.isArray(value)) {
    const kept = LISTS.has(key) ? value.slice(0, max) : value;
    return kept.map((v) => capLists(v, max)) as T;
  }
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, capLists(v, max, k)])) as T;
  }
  return value;
}

/** The largest n in [lo, hi] for which fits(n) holds, assuming fits is monotone; lo when none does. */
function largest(lo: number, hi: number, fits: (n: number) => boolean): number {
  while (lo < hi) {
    const mid = Math.ceil((lo + hi) / 2);
    if (fits(mid)) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

/**
 * The popup made to fit `budget` bytes; it is never refused for size. First match wins, each step
 * only when the popup is still too large, keeping as much as the budget allows:
 *   1. older history rows go first: interactions, then purchases, then follow-ups (oldest last in
 *      each list, so the newest are kept);
 *   2. fewer candidates of a MULTIPLE_MATCHES call (the most recent contacts stay), counted in
 *      `moreCandidates` so the operator knows the list is short;
 *   3. long texts are cut (notes, tags, custom field values... ending in …), the longest first;
 *   4. the lists inside a record (tags, e-mails, numbers, custom fields, handlers) are shortened.
 * The identity (popupId, callId, class, caller, rangAt, interactionId, record ids) is never
 * touched. `moreCandidates` already counting matches the lookup did not list is kept and added to.
 */
export function fitPopup(popup: PopupPayload, budget: number): PopupPayload {
  if (popupBytes(popup) <= budget) return popup;
  let p: PopupPayload = { ...popup };
  const fits = (x: PopupPayload) => popupBytes(x) <= budget;

  for (const list of ['interactions', 'purchases', 'followUps'] as const) {
    const all = p[list] ?? [];
    const n = largest(0, all.length, (k) => fits({ ...p, [list]: all.slice(0, k) }));
    p = { ...p, [list]: all.slice(0, n) };
    if (fits(p)) return p;
  }

  const candidates = p.candidates;
  if (candidates.length > 1) {
    const more = p.moreCandidates ?? 0;
    const withN = (k: number): PopupPayload => ({
      ...p,
      candidates: candidates.slice(0, k),
      moreCandidates: more + candidates.length - k,
    });
    p = withN(largest(1, candidates.length, (k) => fits(withN(k))));
    if (fits(p)) return p;
  }

  // Texts longer than the budget allows are cut to one common length, as long as possible.
  const base = p;
  const longest = Math.max(budget, 1);
  const chars = largest(16, longest, (k) => fits(capStrings(base, k)));
  p = capStrings(base, chars);
  if (fits(p)) return p;

  const shorter = p;
  const items = largest(0, 10_000, (k) => fits(capLists(shorter, k)));
  p = capLists(shorter, items);
  if (fits(p)) return p;
  // Still too big (a budget smaller than a bare popup): the bare popup, texts cut hard.
  return capStrings(capLists(p, 0), 16);
}
