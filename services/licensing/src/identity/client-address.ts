export interface AddressedRequest {
  ip?: string;
  socket?: { remoteAddress?: string };
  headers: Record<string, string | string[] | undefined>;
}

/**
 * The address a sign-in counts against. Behind the gateway every request comes from the gateway,
 * which would make the per-address limit one shared bucket for all users; with
 * `TRUSTED_PROXY_HOPS=n` the n-th address from the right of X-Forwarded-For is used, the one our
 * own nearest proxy appended (entries further left are whatever the client sent).
 */
export function clientAddress(
  req: AddressedRequest,
  trustedHops = Number(process.env.TRUSTED_PROXY_HOPS ?? 0),
): string {
  const direct = req.ip ?? req.socket?.remoteAddress ?? 'unknown';
  if (!(trustedHops > 0)) return direct;
  const header = req.headers['x-forwarded-for'];
  const chain = (Array.isArray(header) ? header.join(',') : (header ?? ''))
    .split(',')
    .map((a) => a.trim())
    .filter(Boolean);
  return chain[chain.length - trustedHops] ?? direct;
}
