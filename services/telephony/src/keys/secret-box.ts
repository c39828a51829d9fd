import { SecretSealer } from '@thankstar/platform';

/**
 * Webhook secrets and SIP/Twilio credentials must be usable (HMAC verification needs the
 * secret itself), so they are sealed with the platform's SecretSealer under
 * TELEPHONY_SECRET_KEY. Outside production a fixed development key is allowed.
 *
 * Changing the key (see docs/operations.md): run with the new key in TELEPHONY_SECRET_KEY and
 * the old one in TELEPHONY_SECRET_KEY_PREVIOUS (secrets open under either), re-seal the stored
 * secrets with `npm run rekey`, then drop TELEPHONY_SECRET_KEY_PREVIOUS.
 */
export const DEVELOPMENT_SECRET_KEY = 'thankstar-telephony-local-development-only';

export const secretBox = new SecretSealer({
  keyVariable: 'TELEPHONY_SECRET_KEY',
  previousKeyVariable: 'TELEPHONY_SECRET_KEY_PREVIOUS',
  developmentKey: DEVELOPMENT_SECRET_KEY,
});
