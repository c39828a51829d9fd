import { openSecretWith } from '@thankstar/platform';
import { describe, expect, it } from 'vitest';
import { signingKeySealer } from './key-encryption';

/** Sealed by licensing's own encryptSecret (key-encryption.ts) before it used the platform's SecretSealer. */
const sealedByTheOldCode = {
  developmentKey: {
    sealed: 'mgSu3QON8n-WVbTC.P8zst7qXF81rbDD8R-NRCw.2YYPWwde6u_T-WoSnUFUsSv-htq-r2Ww9X-3ozM9uHQqq9Pv3xSMWg',
    plain: '{"kty":"EC","crv":"P-256","d":"fixture"}',
  },
  namedKey: {
    sealed: 'N6OiYcRrScVDUj9X.MEWdkEXUsAToe-2LR7kd7g.PyLxuFILokABJNPeg7P4B0B0Dm9-jEg',
    plain: '{"kty":"EC","d":"prod"}',
  },
};

function withEnv(values: Record<string, string | undefined>, run: () => void): void {
  const saved = Object.fromEntries(Object.keys(values).map((name) => [name, process.env[name]]));
  const set = (entries: Record<string, string | undefined>) => {
    for (const [name, value] of Object.entries(entries)) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
  };
  try {
    set(values);
    run();
  } finally {
    set(saved);
  }
}

describe('signing key sealer', () => {
  it('opens private keys sealed by the code it replaced, under the development key and under LICENSING_KEY_SECRET', () => {
    withEnv({ LICENSING_KEY_SECRET: undefined, LICENSING_KEY_SECRET_PREVIOUS: undefined }, () => {
      const { developmentKey, namedKey } = sealedByTheOldCode;
      expect(signingKeySealer.open(developmentKey.sealed)).toBe(developmentKey.plain);
      expect(() => signingKeySealer.open(namedKey.sealed)).toThrow();
      process.env.LICENSING_KEY_SECRET = 'licensing-production-key';
      expect(signingKeySealer.open(namedKey.sealed)).toBe(namedKey.plain);
    });
  });

  it('opens under LICENSING_KEY_SECRET_PREVIOUS after a change of secret and seals with the new one', () => {
    withEnv({ LICENSING_KEY_SECRET: 'a-new-secret', LICENSING_KEY_SECRET_PREVIOUS: undefined }, () => {
      const { namedKey } = sealedByTheOldCode;
      expect(() => signingKeySealer.open(namedKey.sealed)).toThrow();
      process.env.LICENSING_KEY_SECRET_PREVIOUS = 'licensing-production-key';
      expect(signingKeySealer.open(namedKey.sealed)).toBe(namedKey.plain);
      const sealed = signingKeySealer.seal('{"d":"new"}');
      expect(openSecretWith('a-new-secret', sealed)).toBe('{"d":"new"}');
      expect(() => openSecretWith('licensing-production-key', sealed)).toThrow();
    });
  });

  it('refuses to seal in production without LICENSING_KEY_SECRET', () => {
    withEnv({ NODE_ENV: 'production', LICENSING_KEY_SECRET: undefined }, () => {
      expect(() => signingKeySealer.seal('{}')).toThrow('LICENSING_KEY_SECRET must be set in production');
    });
  });
});
