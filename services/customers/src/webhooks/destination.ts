import type { LookupAddress } from 'node:dns';
import { lookup } from 'node:dns/promises';
import type { BlockList } from 'node:net';
import { isIP } from 'node:net';
import { DomainError, publicAddressVerdict } from '@thankstar/platform';

/**
 * Where a tenant's webhooks may go. A tenant names a URL and we connect to it from inside our
 * network, so a host that resolves to loopback, a private, link-local (cloud metadata) or
 * multicast address is refused, with the platform's rule (libs/platform net/public-address.ts),
 * unless WEBHOOK_ALLOWED_CIDRS allows the range (tests allow 127.0.0.1/32). Checked when the
 * endpoint is saved and again on every connection (the resolved address is the one connected
 * to, so a name that later resolves elsewhere is caught).
 */
export const MAX_URL_LENGTH = 2000;

export function parseWebhookUrl(text: string): URL {
  let url: URL;
  try {
    url = new URL(text.trim());
  } catch {
    throw new DomainError('WEBHOOK_URL_INVALID');
  }
  if (text.length > MAX_URL_LENGTH || (url.protocol !== 'https:' && url.protocol !== 'http:') || !url.hostname)
    throw new DomainError('WEBHOOK_URL_INVALID');
  if (url.username || url.password) throw new DomainError('WEBHOOK_URL_INVALID');
  return url;
}

/** The host as an IP literal, without IPv6 brackets, or null for a name. */
export function ipLiteral(hostname: string): string | null {
  const bare = hostname.replace(/^\[|\]$/g, '');
  return isIP(bare) ? bare : null;
}

export class RefusedDestination extends Error {
  constructor(
    readonly host: string,
    readonly address: string,
    readonly reason: string,
  ) {
    super(`destination ${host} (${address}) refused: ${reason}`);
  }
}

/** Every address the host resolves to, each allowed; throws RefusedDestination otherwise. */
export async function vettedAddresses(hostname: string, allowed: BlockList): Promise<LookupAddress[]> {
  const literal = ipLiteral(hostname);
  const addresses = literal
    ? [{ address: literal, family: isIP(literal) }]
    : await lookup(hostname, { all: true, verbatim: true });
  if (addresses.length === 0) throw new RefusedDestination(hostname, '', 'no address');
  for (const a of addresses) {
    const verdict = publicAddressVerdict(a.address, allowed);
    if (!verdict.allowed) throw new RefusedDestination(hostname, a.address, verdict.reason);
  }
  return addresses;
}

/** At save time: the URL's host must resolve only to allowed addresses (DomainError in Japanese otherwise). */
export async function checkDestination(url: URL, allowed: BlockList): Promise<void> {
  try {
    await vettedAddresses(url.hostname, allowed);
  } catch (error) {
    if (error instanceof RefusedDestination)
      throw new DomainError('WEBHOOK_DESTINATION_REFUSED', { host: url.hostname });
    // A name that does not resolve (yet) is refused the same way: it cannot be checked.
    throw new DomainError('WEBHOOK_DESTINATION_REFUSED', { host: url.hostname });
  }
}

/**
 * A `lookup` for node:http(s) that connects only to vetted addresses (the check happens on the
 * address actually connected to). IP literals never reach a lookup, so callers check them first.
 */
export function vettingLookup(allowed: BlockList) {
  return (
    hostname: string,
    options: { all?: boolean },
    callback: (err: Error | null, address: string | LookupAddress[], family?: number) => void,
  ) => {
    vettedAddresses(hostname, allowed).then(
      (addresses) => {
        if (options.all) callback(null, addresses);
        else {
          const first = addresses[0] as LookupAddress;
          callback(null, first.address, first.family);
        }
      },
      (err: Error) => callback(err, ''),
    );
  };
}
