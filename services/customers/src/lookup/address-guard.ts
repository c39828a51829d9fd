import { lookup } from 'node:dns/promises';
import { type BlockList, isIP } from 'node:net';
import { parseAllowedCidrs, publicAddressVerdict } from '@thankstar/platform';
import { LookupFailure } from './connectors/connector';

/**
 * SSRF rule for lookup sources, as for outbound webhooks: customers calls a URL the tenant typed
 * from inside our network, so a host that resolves to loopback, a private, link-local (cloud
 * metadata 169.254.169.254), unspecified, multicast or reserved address is refused unless the
 * platform's configuration allows its range (LOOKUP_ALLOWED_CIDRS; tests allow 127.0.0.1 and ::1).
 * Only https is allowed, except to an allowed range (a test's local server).
 *
 * The address rules are the platform's one list (libs/platform/src/net/public-address.ts, also
 * used by outbound webhooks and the SIP registrar); every address the name resolves to must pass.
 * The request itself resolves the name again (a rebinding window of one DNS TTL remains).
 */

/** "127.0.0.1/32, ::1" into a list; throws on a malformed entry (a misconfiguration stops the start). */
export function parseCidrs(value: string | undefined): BlockList {
  return parseAllowedCidrs(value, 'LOOKUP_ALLOWED_CIDRS');
}

/** Whether one resolved address may be called. */
export function addressAllowed(address: string, allowed: BlockList): boolean {
  return publicAddressVerdict(address, allowed).allowed;
}

export type Resolve = (host: string) => Promise<string[]>;
const resolveAll: Resolve = async (host) => (await lookup(host, { all: true })).map((a) => a.address);

/** Builds the check a connector runs before each request (verdicts per host kept for a minute). */
export function urlGuard(allowed: BlockList, resolve: Resolve = resolveAll): (url: string) => Promise<void> {
  const verdicts = new Map<string, { ok: boolean; allowedRange: boolean; until: number }>();
  return async (url: string) => {
    let parsed: URL;
    try {
      parsed = new URL(url);
    } catch {
      throw new LookupFailure('LOOKUP_SOURCE_MISCONFIGURED', 'not a URL');
    }
    if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:')
      throw new LookupFailure('LOOKUP_ADDRESS_REFUSED', `${parsed.protocol} is not allowed`);
    const host = parsed.hostname.replace(/^\[|\]$/g, '');
    const now = Date.now();
    let verdict = verdicts.get(host);
    if (!verdict || verdict.until <= now) {
      let addresses: string[];
      try {
        addresses = isIP(host) ? [host] : await resolve(host);
      } catch {
        throw new LookupFailure('LOOKUP_UNREACHABLE', `cannot resolve ${host}`);
      }
      const ok = addresses.length > 0 && addresses.every((a) => addressAllowed(a, allowed));
      const allowedRange =
        addresses.length > 0 && addresses.every((a) => allowed.check(a, isIP(a) === 6 ? 'ipv6' : 'ipv4'));
      verdict = { ok, allowedRange, until: now + 60_000 };
      verdicts.set(host, verdict);
    }
    if (!verdict.ok) throw new LookupFailure('LOOKUP_ADDRESS_REFUSED', `${host} is a private or reserved address`);
    if (parsed.protocol === 'http:' && !verdict.allowedRange)
      throw new LookupFailure('LOOKUP_ADDRESS_REFUSED', 'only https is allowed');
  };
}
