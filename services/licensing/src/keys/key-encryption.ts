import { SecretSealer } from '@thankstar/platform';

/**
 * Private signing keys are sealed at rest with the platform's SecretSealer under
 * LICENSING_KEY_SECRET; during a change of that secret, LICENSING_KEY_SECRET_PREVIOUS still opens
 * the keys sealed before it.
 */
export const signingKeySealer = new SecretSealer({
  keyVariable: 'LICENSING_KEY_SECRET',
  previousKeyVariable: 'LICENSING_KEY_SECRET_PREVIOUS',
  developmentKey: 'thankstar-local-development-only',
});
