import { lookup } from 'node:dns/promises';
import { BlockList, isIP } from 'node:net';
import { LookupFailure } from './connectors/connector';

/**
 * SSRF rule for lookup sources, as for outbound webhooks: customers calls a URL the tenant typed
 * from inside our network, so a host that resolves to loopback, a private, link-local (cloud
 * metadata 169.254.169.254), unspecified, multicast or reserved address is refused unless the
 * platform's configuration allows its range (LOOKUP_ALLOWED_CIDRS; tests allow 127.0.0.1 and ::1).
 * Only https is allowed, except to an allowed range (a test's local server).
 *
 * A minimal check of this service's own until the address rules move to libs/platform (another
 * change moves telephony's registrar-address.ts there); every address the name resolves to must
 * pass. The request itself resolves the name again (a rebinding window of one DNS TTL remains).
 */
const refused: [string, number, 'ipv4' | 'ipv6'][] = [
  ['0.0.0.0', 8, 'ipv4'],
  ['10.0.0.0', 8, 'ipv4'],
  ['100.64.0.0', 10, 'ipv4'],
  ['127.0.0.0', 8, 'ipv4'],
  ['169.254.0.0', 16, 'ipv4'],
  ['172.16.0.0', 12, 'ipv4'],
  ['192.0.0.0', 24, 'ipv4'],
  ['192.168.0.0', 16, 'ipv4'],
  ['198.18.0.0', 15, 'ipv4'],
  ['224.0.0.0', 4, 'ipv4'],
  ['240.0.0.0', 4, 'ipv4'],
  ['::', 128, 'ipv6'],
  ['::1', 128, 'ipv6'],
  ['fc00::', 7, 'ipv6'],
  ['fe80::', 10, 'ipv6'],
  ['fec0::', 10, 'ipv6'],
  ['ff00::', 8, 'ipv6'],
];
const refusedList = new BlockList();
for (const [net, prefix, type] of refused) refusedList.addSubnet(net, prefix, type);

/** "127.0.0.1/32, ::1" into a list; throws on a malformed entry (a misconfiguration stops the start). */
export function parseCidrs(value: string | undefined): BlockList {
  const list = new BlockList();
  for (const entry of (value ?? '')
    .split(',')
    .map((e) => e.trim())
    .filter(Boolean)) {
    const [address = '', prefixText] = entry.split('/');
    const family = isIP(address);
    const prefix = prefixText === undefined ? (family === 6 ? 128 : 32) : Number(prefixText);
    if (!family || !Number.isInteger(prefix) || prefix < 0 || prefix > (family === 6 ? 128 : 32))
      throw new Error(`LOOKUP_ALLOWED_CIDRS: "${entry}" is not an address or CIDR range`);
    list.addSubnet(address, prefix, family === 6 ? 'ipv6' : 'ipv4');
  }
  return list;
}

/** Whether one resolved address may be called. */
export function addressAllowed(address: string, allowed: BlockList): boolean {
  // An IPv4-mapped IPv6 address (::ffff:127.0.0.1) is judged as the IPv4 address it carries.
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  if (mapped?.[1]) return addressAllowed(mapped[1], allowed);
  const family = isIP(address);
  if (!family) return false;
  const type = family === 6 ? 'ipv6' : 'ipv4';
  if (allowed.check(address, type)) return true;
  return !refusedList.check(address, type);
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
