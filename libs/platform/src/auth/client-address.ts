import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * The caller's real address travels from the gateway to the subgraphs in these two headers. The
 * proof is an HMAC of the address and a timestamp under a secret only the gateway and the
 * subgraphs hold, so a client (or anything else on the network) cannot choose the address a
 * subgraph counts it against, and a captured header stops working after `maxAgeSeconds`.
 * The secret itself never crosses the wire.
 */
export const CLIENT_ADDRESS_HEADER = 'x-thankstar-client-address';
export const CLIENT_ADDRESS_PROOF_HEADER = 'x-thankstar-client-address-proof';

// Outside production the gateway and the services share this key, so a local stack works without
// configuration; production refuses to start without a real one (forwardingSecretFromEnv).
const DEVELOPMENT_SECRET = 'thankstar-development-forwarding-secret';

/** THANKSTAR_FORWARDING_SECRET; required (at least 32 characters) in production. */
export function forwardingSecretFromEnv(env: Record<string, string | undefined> = process.env): string {
  const secret = env.THANKSTAR_FORWARDING_SECRET;
  if (secret) {
    if (secret.length < 32) throw new Error('THANKSTAR_FORWARDING_SECRET must be at least 32 characters');
    return secret;
  }
  if (env.NODE_ENV === 'production') throw new Error('THANKSTAR_FORWARDING_SECRET must be set in production');
  return DEVELOPMENT_SECRET;
}

const mac = (secret: string, at: number, address: string) =>
  createHmac('sha256', secret).update(`${at}\n${address}`).digest('hex');

/** The headers the gateway adds to a subgraph request for a caller at `address`. */
export function signClientAddress(secret: string, address: string, now = Date.now()): Record<string, string> {
  const at = Math.floor(now / 1000);
  return { [CLIENT_ADDRESS_HEADER]: address, [CLIENT_ADDRESS_PROOF_HEADER]: `${at}.${mac(secret, at, address)}` };
}

/**
 * The forwarded address when its proof is valid and fresh, else undefined (the caller then uses
 * its direct peer: a request that did not come through the gateway is counted where it came from).
 */
export function verifiedClientAddress(
  headers: Record<string, string | string[] | undefined>,
  secret: string,
  now = Date.now(),
  maxAgeSeconds = 60,
): string | undefined {
  const address = headers[CLIENT_ADDRESS_HEADER];
  const proof = headers[CLIENT_ADDRESS_PROOF_HEADER];
  if (typeof address !== 'string' || typeof proof !== 'string' || address === '' || address.length > 100) return;
  const [atText, given] = proof.split('.');
  const at = Number(atText);
  if (!Number.isSafeInteger(at) || !given || Math.abs(now / 1000 - at) > maxAgeSeconds) return;
  const expected = Buffer.from(mac(secret, at, address), 'hex');
  const actual = Buffer.from(given, 'hex');
  if (actual.length !== expected.length || !timingSafeEqual(actual, expected)) return;
  return address;
}

/**
 * The client address of a request that came through `trustedHops` proxies of our own: the
 * n-th entry from the right of X-Forwarded-For, the one our outermost trusted proxy appended
 * (entries further left are whatever the client sent, so never trusted). With no trusted hops,
 * or a header shorter than that, the direct peer.
 */
export function forwardedClientAddress(
  forwardedFor: string | string[] | undefined,
  peer: string | undefined,
  trustedHops: number,
): string {
  const direct = normalizeAddress(peer ?? 'unknown');
  if (!(trustedHops > 0)) return direct;
  const chain = (Array.isArray(forwardedFor) ? forwardedFor.join(',') : (forwardedFor ?? ''))
    .split(',')
    .map((a) => a.trim())
    .filter(Boolean);
  const entry = chain[chain.length - trustedHops];
  return entry ? normalizeAddress(entry) : direct;
}

/** `::ffff:203.0.113.9` (an IPv4 peer on a dual-stack socket) is the same client as `203.0.113.9`. */
function normalizeAddress(address: string): string {
  return address.startsWith('::ffff:') && address.includes('.') ? address.slice(7) : address;
}
