import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { JwtVerifier, type Principal, TOKEN_AUDIENCE, TOKEN_ISSUER, type TokenVerifier } from '@thankstar/platform';
import {
  createLocalJWKSet,
  decodeProtectedHeader,
  exportJWK,
  generateKeyPair,
  importJWK,
  type JWK,
  SignJWT,
} from 'jose';
import { DataSource } from 'typeorm';
import { CONFIG, type Config } from '../config';
import { signingKeySealer } from './key-encryption';
import { KeysRepository, type SigningKey } from './keys.repository';

/**
 * ES256 signing keys. The newest unretired key signs; the JWKS lists every key that may still
 * have valid tokens, so rotating adds a key without logging anyone out.
 */
/**
 * One cache per process, shared by the signer and the token verifier (two instances in the Nest
 * container): a rotation seen by one is seen by the other at once.
 */
const keyCache: {
  current: { keys: SigningKey[]; at: number } | undefined;
  /** Bumped by every invalidation, so a load begun before it cannot store keys it did not see. */
  generation: number;
  /** The one load in flight: concurrent requests share it instead of each querying the keys. */
  loading: { generation: number; promise: Promise<SigningKey[]> } | undefined;
} = { current: undefined, generation: 0, loading: undefined };

const invalidateKeys = () => {
  keyCache.current = undefined;
  keyCache.generation++;
};

/** The verifier of one key set: importing the keys for every request cost more than the ES256 check. */
const verifiers = new WeakMap<SigningKey[], JwtVerifier>();

/**
 * Tokens already verified, until they expire: a token's claims and signature never change, so
 * the gateway's lease calls (one token, a heartbeat every 15 s) are checked once. Oldest out first.
 */
const VERIFIED_MAX = 20_000;
const verified = new Map<string, { principal: Principal; kid: string }>();

@Injectable()
export class SigningKeysService implements TokenVerifier {
  private readonly accessTokenTtlSeconds: number;

  constructor(
    private readonly dataSource: DataSource,
    private readonly keys: KeysRepository,
    @Inject(CONFIG) config: Config,
  ) {
    this.accessTokenTtlSeconds = config.ACCESS_TOKEN_TTL_SECONDS;
  }

  /**
   * A new signing key; the older ones are retired but stay in the JWKS for one access-token
   * lifetime, so tokens they signed keep working until they expire.
   */
  async rotate(): Promise<SigningKey> {
    const { publicKey, privateKey } = await generateKeyPair('ES256', { extractable: true });
    const kid = randomUUID();
    const publicJwk = { ...(await exportJWK(publicKey)), kid, alg: 'ES256', use: 'sig' };
    const privateJwkEncrypted = signingKeySealer.seal(JSON.stringify(await exportJWK(privateKey)));
    const key = await this.dataSource.transaction((m) =>
      this.keys.replaceSigningKey(m, { kid, publicJwk, privateJwkEncrypted }),
    );
    invalidateKeys();
    return key;
  }

  /**
   * Newest first: the signing key, then retired keys whose tokens may still be valid. Cached 5 s;
   * when the cache is stale, requests go on with it while one load refreshes it (before, every
   * request arriving then queried the keys itself: 200 at once in the lease benchmark).
   */
  private async activeKeys(): Promise<SigningKey[]> {
    const cached = keyCache.current;
    if (cached && Date.now() - cached.at < 5_000) return cached.keys;
    const refresh = this.refreshKeys();
    if (cached) {
      refresh.catch(() => undefined);
      return cached.keys;
    }
    return refresh;
  }

  private refreshKeys(): Promise<SigningKey[]> {
    const generation = keyCache.generation;
    if (keyCache.loading?.generation === generation) return keyCache.loading.promise;
    const promise = this.loadKeys()
      .then((keys) => {
        if (keyCache.generation === generation) keyCache.current = { keys, at: Date.now() };
        return keys;
      })
      .finally(() => {
        if (keyCache.loading?.promise === promise) keyCache.loading = undefined;
      });
    keyCache.loading = { generation, promise };
    return promise;
  }

  private async loadKeys(): Promise<SigningKey[]> {
    const load = () => this.keys.active(this.dataSource.manager, this.accessTokenTtlSeconds);
    let keys = await load();
    if (!keys.some((k) => k.retiredAt === null)) {
      await this.rotate();
      keys = await load();
    }
    return keys;
  }

  async jwks(): Promise<{ keys: JWK[] }> {
    return { keys: (await this.activeKeys()).map((k) => k.publicJwk as JWK) };
  }

  async sign(claims: {
    sub: string;
    tid: string;
    roles: string[];
    name: string;
    /** The sign-in session (refresh-token family); tokens signed for tests may have none. */
    sid?: string;
  }): Promise<{ token: string; expiresAt: number }> {
    const key = (await this.activeKeys()).find((k) => k.retiredAt === null);
    if (!key) throw new Error('no signing key');
    const privateKey = await importJWK(JSON.parse(signingKeySealer.open(key.privateJwkEncrypted)) as JWK, 'ES256');
    const now = Math.floor(Date.now() / 1000);
    const expiresAt = now + this.accessTokenTtlSeconds;
    const token = await new SignJWT({
      tid: claims.tid,
      roles: claims.roles,
      name: claims.name,
      ...(claims.sid ? { sid: claims.sid } : {}),
    })
      .setProtectedHeader({ alg: 'ES256', kid: key.kid })
      .setSubject(claims.sub)
      .setIssuer(TOKEN_ISSUER)
      .setAudience(TOKEN_AUDIENCE)
      .setIssuedAt(now)
      .setExpirationTime(expiresAt)
      .setJti(randomUUID())
      .sign(privateKey);
    return { token, expiresAt };
  }

  /** Licensing checks its own tokens against its own keys, without an HTTP round trip. */
  async verify(token: string): Promise<Principal> {
    // A key made by another instance is picked up soon, yet unknown kids cannot force a reload per request.
    const kid = safeKid(token);
    if (
      keyCache.current &&
      kid &&
      Date.now() - keyCache.current.at > 1_000 &&
      !keyCache.current.keys.some((k) => k.kid === kid)
    ) {
      invalidateKeys();
    }
    const keys = await this.activeKeys();
    const hit = verified.get(token);
    if (hit) {
      // Still unexpired, and its key still in the key set (a key leaving it ends its tokens).
      if (hit.principal.expiresAt * 1000 > Date.now() && keys.some((k) => k.kid === hit.kid)) return hit.principal;
      verified.delete(token);
    }
    let verifier = verifiers.get(keys);
    if (!verifier) {
      verifier = new JwtVerifier(createLocalJWKSet({ keys: keys.map((k) => k.publicJwk as JWK) }));
      verifiers.set(keys, verifier);
    }
    const principal = await verifier.verify(token);
    if (verified.size >= VERIFIED_MAX) {
      const oldest = verified.keys().next().value;
      if (oldest !== undefined) verified.delete(oldest);
    }
    if (kid) verified.set(token, { principal, kid });
    return principal;
  }
}

function safeKid(token: string): string | undefined {
  try {
    return decodeProtectedHeader(token).kid;
  } catch {
    return undefined;
  }
}
