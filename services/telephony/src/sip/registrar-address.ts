/**
 * Which addresses the SIP listener may send to: the platform's public-address rule
 * (libs/platform/src/net/public-address.ts), shared with customers' outbound webhooks. Only
 * public unicast addresses are allowed unless SIP_ALLOWED_CONTACT_CIDRS allows a range.
 */
export { parseAllowedCidrs, publicAddressVerdict as registrarAddressVerdict } from '@thankstar/platform';
