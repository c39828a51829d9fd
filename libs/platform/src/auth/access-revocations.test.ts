import { randomUUID } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { AccessRevocationList, withRevocations } from './access-revocations';
import type { Principal } from './principal';

const at = (seconds: number) => new Date(seconds * 1000).toISOString();
const principal = (userId: string, issuedAt?: number): Principal => ({
  userId,
  tenantId: randomUUID(),
  roles: ['operator'],
  expiresAt: (issuedAt ?? 0) + 900,
  ...(issuedAt === undefined ? {} : { issuedAt }),
});

describe('AccessRevocationList', () => {
  it('voids a disabled user’s tokens up to and including the revocation’s second, and nobody else’s', () => {
    const list = new AccessRevocationList();
    const user = randomUUID();
    list.apply({ reason: 'user-disabled', userId: user, notBefore: at(1_000.4) });
    expect(list.revocationOf(principal(user, 999))).toBe('user-disabled');
    expect(list.revocationOf(principal(user, 1_000))).toBe('user-disabled');
    expect(list.revocationOf(principal(user))).toBe('user-disabled');
    expect(list.revocationOf(principal(randomUUID(), 999))).toBeUndefined();
    expect(() => list.check(principal(user, 999))).toThrowError(
      expect.objectContaining({ code: 'TOKEN_REVOKED', status: 401 }),
    );
  });

  it('after a password reset keeps tokens of the reset’s own second (the user signs in again at once)', () => {
    const list = new AccessRevocationList();
    const user = randomUUID();
    list.apply({ reason: 'password-reset', userId: user, notBefore: at(1_000.9) });
    expect(list.revocationOf(principal(user, 999))).toBe('password-reset');
    expect(list.revocationOf(principal(user, 1_000))).toBeUndefined();
    expect(list.check(principal(user, 1_001)).userId).toBe(user);
  });

  it('keeps the newest revocation of a user whatever order they arrive in, and tells listeners of news only', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 1, max: 10_000 }), { minLength: 1, maxLength: 20 }), (seconds) => {
        const list = new AccessRevocationList();
        const user = randomUUID();
        const heard: string[] = [];
        list.onRevoked((r) => heard.push(r.notBefore));
        for (const s of seconds) list.apply({ reason: 'password-reset', userId: user, notBefore: at(s) });
        const newest = Math.max(...seconds);
        expect(list.revocationOf(principal(user, newest - 1))).toBe('password-reset');
        expect(list.revocationOf(principal(user, newest))).toBeUndefined();
        // Each message heard raised the bar: strictly increasing.
        const heardSeconds = heard.map((h) => Date.parse(h) / 1000);
        expect(heardSeconds).toEqual([...new Set(heardSeconds)].sort((a, b) => a - b));
        expect(heardSeconds.at(-1)).toBe(newest);
      }),
    );
  });

  it('wraps a verifier: the signature check first, then the list', async () => {
    const list = new AccessRevocationList();
    const user = randomUUID();
    const verifier = withRevocations({ verify: async (token) => principal(token, 500) }, list);
    expect((await verifier.verify(user)).userId).toBe(user);
    list.apply({ reason: 'user-disabled', userId: user, notBefore: at(600) });
    await expect(verifier.verify(user)).rejects.toMatchObject({ code: 'TOKEN_REVOKED' });
    await expect(
      withRevocations({ verify: () => Promise.reject(new Error('bad signature')) }, list).verify('x'),
    ).rejects.toThrow('bad signature');
  });
});
