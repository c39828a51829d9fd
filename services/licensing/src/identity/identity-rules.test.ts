import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { assignableRoles, rolesNotAssignable } from './assignable-roles';
import { hashToken, newOneTimeToken } from './one-time-token';
import { passwordProblem } from './password-policy';

describe('assignableRoles', () => {
  it('lets a tenant admin give customer roles only', () => {
    expect(assignableRoles(['tenant-admin'], false)).toEqual(['operator', 'tenant-admin']);
    expect(rolesNotAssignable(['tenant-admin', 'operator'], false, ['operator', 'platform-admin'])).toEqual([
      'platform-admin',
    ]);
  });
  it('lets a platform admin give provider roles only in the provider tenant', () => {
    expect(assignableRoles(['platform-admin'], true)).toEqual(['back-office', 'sales', 'platform-admin']);
    expect(assignableRoles(['platform-admin'], false)).toEqual([]);
    expect(assignableRoles(['tenant-admin'], true)).toEqual([]);
  });
  it('never hands out provider roles in a customer tenant', () => {
    const role = fc.constantFrom('operator', 'tenant-admin', 'back-office', 'sales', 'platform-admin' as const);
    fc.assert(
      fc.property(fc.array(role), (inviter) => {
        const given = assignableRoles(inviter, false);
        expect(given.some((r) => r === 'back-office' || r === 'sales' || r === 'platform-admin')).toBe(false);
      }),
    );
  });
});

describe('passwordProblem', () => {
  it('asks for at least 10 characters, counting Japanese characters as one each', () => {
    expect(passwordProblem('short')?.en).toContain('at least 10');
    expect(passwordProblem('short')?.ja).toBe('パスワードは10文字以上にしてください。');
    expect(passwordProblem('x'.repeat(201))?.ja).toBe('パスワードは200文字以内にしてください。');
    expect(passwordProblem('correct horse')).toBeNull();
    expect(passwordProblem('ありがとうございます')).toBeNull();
    expect(passwordProblem('x'.repeat(201))?.en).toContain('at most');
  });
});

describe('one-time tokens', () => {
  it('are random and stored only as a hash that matches', () => {
    const a = newOneTimeToken();
    const b = newOneTimeToken();
    expect(a.token).not.toBe(b.token);
    expect(a.hash).toBe(hashToken(a.token));
    expect(a.hash).not.toContain(a.token);
  });
});
