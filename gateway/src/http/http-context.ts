import type { Principal } from '@thankstar/platform';

/** What the gateway knows about an HTTP GraphQL request. */
export interface HttpContext {
  /** The caller's verified principal; absent for anonymous calls (e.g. login). */
  principal?: Principal;
  /** The header as received, forwarded to subgraphs. */
  authorization?: string;
  /** The caller's real address (through our trusted proxies), forwarded to subgraphs with a proof. */
  clientAddress?: string;
}
