import { randomUUID } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { AccessRevocationList, CatchUp, withRevocations } from './access-revocations';
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

describe('session revocation (refresh token reused)', () => {
  it('voids every token of the session whatever its age, and no other session of the user', () => {
    const list = new AccessRevocationList();
    const user = randomUUID();
    const session = randomUUID();
    const heard: string[] = [];
    list.onRevoked((r) => heard.push(r.reason));
    list.apply({ reason: 'refresh-token-reused', userId: user, sessionId: session, notBefore: at(1_000) });
    list.apply({ reason: 'refresh-token-reused', userId: user, sessionId: session, notBefore: at(1_000) });
    expect(heard).toEqual(['refresh-token-reused']);
    expect(list.revocationOf({ ...principal(user, 999), sessionId: session })).toBe('refresh-token-reused');
    expect(list.revocationOf({ ...principal(user, 5_000), sessionId: session })).toBe('refresh-token-reused');
    expect(list.revocationOf({ ...principal(user, 999), sessionId: randomUUID() })).toBeUndefined();
    expect(list.revocationOf(principal(user, 999))).toBeUndefined();
    expect(() => list.check({ ...principal(user, 999), sessionId: session })).toThrowError(
      expect.objectContaining({ code: 'TOKEN_REVOKED', status: 401, details: { reason: 'refresh-token-reused' } }),
    );
  });
});

describe('CatchUp', () => {
  it('is not done before the ends are known, nor while a partition is behind them', () => {
    const c = new CatchUp();
    c.advance(0, 4n);
    expect(c.done()).toBe(false);
    c.setTargets([
      { partition: 0, start: 0n, end: 5n },
      { partition: 1, start: 3n, end: 7n },
      { partition: 2, start: 9n, end: 9n },
    ]);
    expect(c.done()).toBe(false);
    c.advance(1, 5n);
    expect(c.done()).toBe(false);
    c.advance(1, 6n);
    expect(c.done()).toBe(true);
  });

  it('is done exactly when every non-empty partition was read to its end, in any order of arrival', () => {
    fc.assert(
      fc.property(
        fc.array(fc.record({ start: fc.integer({ min: 0, max: 5 }), length: fc.integer({ min: 0, max: 6 }) }), {
          minLength: 1,
          maxLength: 4,
        }),
        fc.integer({ min: 0, max: 1_000 }),
        fc.integer({ min: 0, max: 40 }),
        (partitions, seed, stopAfter) => {
          const c = new CatchUp();
          c.setTargets(
            partitions.map((p, i) => ({ partition: i, start: BigInt(p.start), end: BigInt(p.start + p.length) })),
          );
          // Partitions are read in order each, interleaved in a seeded order, and stopped early.
          const queues = partitions.map((p) => Array.from({ length: p.length }, (_, k) => BigInt(p.start + k)));
          const cursor = queues.map(() => 0);
          let handled = 0;
          let r = seed;
          while (handled < stopAfter && queues.some((q, i) => (cursor[i] ?? 0) < q.length)) {
            r = (r * 1_103_515_245 + 12_345) % 2_147_483_648;
            const open = queues.map((_q, i) => i).filter((i) => (cursor[i] ?? 0) < (queues[i]?.length ?? 0));
            const i = open[r % open.length] as number;
            c.advance(i, queues[i]?.[cursor[i] ?? 0] as bigint);
            cursor[i] = (cursor[i] ?? 0) + 1;
            handled++;
          }
          const all = queues.every((q, i) => (cursor[i] ?? 0) >= q.length);
          expect(c.done()).toBe(all);
        },
      ),
    );
  });
});
