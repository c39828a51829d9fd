/**
 * Every tenant has a time zone; one that was never set is Tokyo's (docs/product-rules.md#time-zone). This is
 * the one default: licensing stores it on new tenants, and billing and the admin UI fall back to
 * it when a tenant's zone is not known yet.
 */
export const DEFAULT_TIME_ZONE = 'Asia/Tokyo';

/** True for an IANA zone name this runtime knows (e.g. Asia/Tokyo). */
export function isTimeZone(zone: string): boolean {
  if (!zone) return false;
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}
