import { verifiedClientAddress } from '@thankstar/platform';

export interface AddressedRequest {
  ip?: string;
  socket?: { remoteAddress?: string };
  headers: Record<string, string | string[] | undefined>;
}

/**
 * The address a sign-in counts against. Behind the gateway every request comes from the gateway,
 * which would make the per-address limits one shared bucket for everybody; the gateway therefore
 * sends the real client address with a proof (libs/platform client-address.ts), which is trusted
 * only when valid. Without one (a call that did not come through the gateway) the direct peer counts.
 */
export function clientAddress(req: AddressedRequest, forwardingSecret: string): string {
  return verifiedClientAddress(req.headers, forwardingSecret) ?? req.ip ?? req.socket?.remoteAddress ?? 'unknown';
}
