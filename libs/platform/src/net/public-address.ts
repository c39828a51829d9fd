import { BlockList, isIP } from 'node:net';

/**
 * Which IP addresses a service may send to on a tenant's behalf. A tenant names a host (a SIP
 * registrar, an outbound webhook URL); we then connect to it from inside our network, so an
 * address on loopback, a private range or a cloud metadata address (169.254.169.254) would let a
 * tenant probe our own ports and hosts. Only public unicast addresses are allowed, unless the
 * platform's configuration allows a range (e.g. "127.0.0.1/32" in tests, "10.20.0.0/16" for a
 * PBX reached over a VPN). Moved here from telephony's SIP registrar check so customers' outbound
 * webhooks refuse the same ranges.
 */

export type RefusedReason =
  | 'unspecified'
  | 'loopback'
  | 'private'
  | 'link-local'
  | 'multicast'
  | 'documentation'
  | 'reserved';

/** The ranges refused, with why (IANA special-purpose registries). */
const refusedV4: [string, number, RefusedReason][] = [
  ['0.0.0.0', 8, 'unspecified'],
  ['10.0.0.0', 8, 'private'],
  ['100.64.0.0', 10, 'private'], // carrier-grade NAT (RFC 6598)
  ['127.0.0.0', 8, 'loopback'],
  ['169.254.0.0', 16, 'link-local'],
  ['172.16.0.0', 12, 'private'],
  ['192.0.0.0', 24, 'reserved'], // IETF protocol assignments
  ['192.0.2.0', 24, 'documentation'],
  ['192.88.99.0', 24, 'reserved'], // 6to4 relay anycast (deprecated)
  ['192.168.0.0', 16, 'private'],
  ['198.18.0.0', 15, 'reserved'], // benchmarking
  ['198.51.100.0', 24, 'documentation'],
  ['203.0.113.0', 24, 'documentation'],
  ['224.0.0.0', 4, 'multicast'],
  ['240.0.0.0', 4, 'reserved'], // includes 255.255.255.255 broadcast
];
const refusedV6: [string, number, RefusedReason][] = [
  ['::', 128, 'unspecified'],
  ['::1', 128, 'loopback'],
  ['::', 96, 'reserved'], // IPv4-compatible (deprecated)
  ['64:ff9b:1::', 48, 'private'], // local-use NAT64
  ['100::', 64, 'reserved'], // discard-only
  ['2001:db8::', 32, 'documentation'],
  ['3fff::', 20, 'documentation'],
  ['fc00::', 7, 'private'], // unique local (ULA)
  ['fe80::', 10, 'link-local'],
  ['fec0::', 10, 'private'], // site-local (deprecated)
  ['ff00::', 8, 'multicast'],
];

export type AddressVerdict = { allowed: true } | { allowed: false; reason: RefusedReason | 'not-an-ip' };

/** One BlockList per range, built once, so a verdict can name the range that refused. */
const ranges = [
  ...refusedV4.map(([net, prefix, reason]) => ({ type: 'ipv4' as const, reason, list: subnet(net, prefix, 'ipv4') })),
  ...refusedV6.map(([net, prefix, reason]) => ({ type: 'ipv6' as const, reason, list: subnet(net, prefix, 'ipv6') })),
];

function subnet(net: string, prefix: number, type: 'ipv4' | 'ipv6'): BlockList {
  const list = new BlockList();
  list.addSubnet(net, prefix, type);
  return list;
}

/** Parses "a.b.c.d/n, x::/n" into a list (throws on a malformed entry: a misconfiguration should stop the start). */
export function parseAllowedCidrs(value: string | undefined, variable = 'SIP_ALLOWED_CONTACT_CIDRS'): BlockList {
  const list = new BlockList();
  for (const entry of (value ?? '')
    .split(',')
    .map((e) => e.trim())
    .filter(Boolean)) {
    const [address = '', prefixText] = entry.split('/');
    const family = isIP(address);
    const prefix = prefixText === undefined ? (family === 6 ? 128 : 32) : Number(prefixText);
    if (!family || !Number.isInteger(prefix) || prefix < 0 || prefix > (family === 6 ? 128 : 32))
      throw new Error(`${variable}: "${entry}" is not an address or CIDR range`);
    list.addSubnet(address, prefix, family === 6 ? 'ipv6' : 'ipv4');
  }
  return list;
}

/** The eight 16-bit groups of an IPv6 address (any spelling: ::, a dotted IPv4 tail, a zone). */
function groupsOf(address: string): number[] {
  let text = address.toLowerCase().replace(/%.*$/, '');
  const dotted = /(\d+)\.(\d+)\.(\d+)\.(\d+)$/.exec(text);
  if (dotted) {
    const [a, b, c, d] = dotted.slice(1).map(Number) as [number, number, number, number];
    text = `${text.slice(0, dotted.index)}${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  }
  const [head = '', tail] = text.split('::');
  const parse = (part: string) => (part ? part.split(':').map((g) => Number.parseInt(g, 16)) : []);
  const first = parse(head);
  const last = tail === undefined ? [] : parse(tail);
  return [...first, ...new Array<number>(8 - first.length - last.length).fill(0), ...last];
}

/**
 * The IPv4 address an IPv6 address carries and stands for: IPv4-mapped (::ffff:a.b.c.d),
 * IPv4-translated (::ffff:0:a.b.c.d) or well-known NAT64 (64:ff9b::a.b.c.d).
 */
function embeddedV4(address: string): string | null {
  const g = groupsOf(address);
  const zeros = (from: number, to: number) => g.slice(from, to).every((x) => x === 0);
  const mapped = zeros(0, 5) && g[5] === 0xffff;
  const translated = zeros(0, 4) && g[4] === 0xffff && g[5] === 0;
  const nat64 = g[0] === 0x64 && g[1] === 0xff9b && zeros(2, 6);
  if (!mapped && !translated && !nat64) return null;
  const high = g[6] ?? 0;
  const low = g[7] ?? 0;
  return `${high >> 8}.${high & 255}.${low >> 8}.${low & 255}`;
}

/**
 * Whether we may send to this IP address. An IPv4-mapped or NAT64 IPv6 address is
 * judged by the IPv4 address it carries, so ::ffff:127.0.0.1 is loopback.
 */
export function publicAddressVerdict(address: string, allowed: BlockList = new BlockList()): AddressVerdict {
  const family = isIP(address);
  if (!family) return { allowed: false, reason: 'not-an-ip' };
  const v4 = family === 4 ? address : embeddedV4(address);
  const [checked, type] = v4 !== null ? [v4, 'ipv4' as const] : [address, 'ipv6' as const];
  if (allowed.check(checked, type)) return { allowed: true };
  const hit = ranges.find((r) => r.type === type && r.list.check(checked, type));
  return hit ? { allowed: false, reason: hit.reason } : { allowed: true };
}
