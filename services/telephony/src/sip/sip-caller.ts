import type { PhoneNumber } from '@thankstar/contracts';
import { callNumberOf } from '../calls/call-number';
import { header, type SipRequest, uriOf, userOf } from './sip-message';

const raw = (value: string): PhoneNumber => ({
  raw: value,
  e164: null,
  display: null,
  valid: false,
  withheldReason: null,
});

/**
 * The caller of an INVITE: P-Asserted-Identity (set by the network, trusted) else From.
 * "anonymous" (RFC 3323) is a withheld caller; anything that is not a number is kept raw.
 */
export function callerOfInvite(invite: SipRequest): PhoneNumber {
  const asserted = (invite.headers.get('p-asserted-identity') ?? [])
    .map((v) => userOf(uriOf(v)))
    .find((user) => user !== null);
  const fromUri = uriOf(header(invite, 'from') ?? '');
  const user = asserted ?? userOf(fromUri) ?? '';
  return callNumberOf(user, 'caller') ?? raw(user || fromUri);
}

/** The number that was called: P-Called-Party-ID when the PBX sends it, else the To user. */
export function calledOfInvite(invite: SipRequest): PhoneNumber {
  const called = header(invite, 'p-called-party-id') ?? header(invite, 'to') ?? '';
  const user = userOf(uriOf(called)) ?? '';
  return callNumberOf(user, 'line') ?? raw(user);
}
