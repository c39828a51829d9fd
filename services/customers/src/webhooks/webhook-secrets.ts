import { SecretSealer } from '@thankstar/platform';

/**
 * Endpoint secrets must be usable again (every attempt is signed with them), so they are sealed
 * with the platform's SecretSealer under CUSTOMERS_SECRET_KEY, as telephony seals its webhook
 * secrets (CUSTOMERS_SECRET_KEY_PREVIOUS during a key change). Outside production a fixed
 * development key is allowed; production refuses to run without one.
 */
export const webhookSecrets = new SecretSealer({
  keyVariable: 'CUSTOMERS_SECRET_KEY',
  previousKeyVariable: 'CUSTOMERS_SECRET_KEY_PREVIOUS',
  developmentKey: 'thankstar-customers-local-development-only',
});
