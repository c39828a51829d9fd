import { randomUUID } from 'node:crypto';
import { createLocalJWKSet, exportJWK, generateKeyPair, type JWK, SignJWT } from 'jose';
import { Client } from 'pg';
import type { Principal, Role } from './auth/principal';
import { JwtVerifier, TOKEN_AUDIENCE, TOKEN_ISSUER } from './auth/token-verifier';
import { databaseUrl, runMigrations, type ServiceDataSourceOptions } from './database/data-source';

/*
 * `@thankstar/platform/testing`: what tests, seeds and benchmarks use and a running service never
 * should: resetDatabase (DROP DATABASE), self-signed test tokens and the demo tenant's public
 * credentials. Kept out of the main entry so no service can import them by accident.
 */
export * from './demo';

/**
 * Test support, for tests only. Drops and recreates the service's database (named by
 * THANKSTAR_DB_SUFFIX, e.g. `_test`) and runs its migrations, so a suite starts clean.
 */
export async function resetDatabase(options: ServiceDataSourceOptions): Promise<void> {
  const url = new URL(databaseUrl(options.service));
  const name = url.pathname.slice(1);
  // Under vitest, TEST_DB_SUFFIX (e.g. `_h4`) names a person's own test databases: those may be reset too.
  const suffix = process.env.VITEST ? (process.env.THANKSTAR_DB_SUFFIX ?? '') : '';
  const ownSuffix = /^_[a-z0-9_]+$/.test(suffix) && name.endsWith(suffix);
  if (!ownSuffix && !/_(test|e2e|bench|drill)$/.test(name)) {
    throw new Error(`refusing to reset ${name}: not a test database`);
  }
  url.pathname = '/postgres';
  const admin = new Client({ connectionString: url.toString() });
  await admin.connect();
  try {
    await admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
    await admin.query(`CREATE DATABASE "${name}"`);
  } finally {
    await admin.end();
  }
  await runMigrations(options);
}

/** A signing key of its own, so a subgraph can be tested without licensing running. */
export async function createTestAuth(): Promise<{
  verifier: JwtVerifier;
  jwks: { keys: JWK[] };
  sign(principal: {
    userId?: string;
    tenantId: string;
    roles?: Role[];
    name?: string;
    ttlSeconds?: number;
  }): Promise<string>;
}> {
  const { publicKey, privateKey } = await generateKeyPair('ES256', { extractable: true });
  const kid = randomUUID();
  const jwks = { keys: [{ ...(await exportJWK(publicKey)), kid, alg: 'ES256', use: 'sig' }] };
  return {
    jwks,
    verifier: new JwtVerifier(createLocalJWKSet(jwks)),
    sign: async ({ userId = randomUUID(), tenantId, roles = ['operator'], name = 'Test User', ttlSeconds = 900 }) => {
      const now = Math.floor(Date.now() / 1000);
      return new SignJWT({ tid: tenantId, roles, name })
        .setProtectedHeader({ alg: 'ES256', kid })
        .setSubject(userId)
        .setIssuer(TOKEN_ISSUER)
        .setAudience(TOKEN_AUDIENCE)
        .setIssuedAt(now)
        .setExpirationTime(now + ttlSeconds)
        .sign(privateKey);
    },
  };
}

export type { Principal };
