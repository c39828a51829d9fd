import { type Principal, roles } from '@thankstar/platform';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { authorize } from './authorize';

const principal = (r: Principal['roles']): Principal => ({ userId: 'u', tenantId: 't', roles: r, expiresAt: 0 });

describe('authorize', () => {
  it('refuses an operation without a rule, whoever asks', () => {
    expect(authorize(undefined, principal([...roles]))).toBe('FORBIDDEN');
    expect(authorize(undefined, undefined)).toBe('FORBIDDEN');
  });
  it('lets anyone run a public operation and any signed-in caller a signed-in one', () => {
    expect(authorize({ roles: 'public', tenant: 'NONE' }, undefined)).toBe('ALLOWED');
    expect(authorize({ roles: 'signed-in', tenant: 'SELF' }, undefined)).toBe('UNAUTHENTICATED');
    expect(authorize({ roles: 'signed-in', tenant: 'SELF' }, principal([]))).toBe('ALLOWED');
  });
  it('allows exactly the callers holding one of the listed roles', () => {
    fc.assert(
      fc.property(fc.subarray([...roles], { minLength: 1 }), fc.subarray([...roles]), (allowed, held) => {
        const decision = authorize({ roles: allowed, tenant: 'OWN' }, principal(held));
        expect(decision).toBe(held.some((r) => allowed.includes(r)) ? 'ALLOWED' : 'FORBIDDEN');
      }),
    );
  });
});
