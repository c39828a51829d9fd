import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isProviderStaff, PROVIDER_STAFF_ROLES } from './provider-staff';

describe('isProviderStaff', () => {
  it('is back office, sales and platform admins (docs/product-rules.md#provider-staff), in token or GraphQL spelling', () => {
    expect([...PROVIDER_STAFF_ROLES].sort()).toEqual(['back-office', 'platform-admin', 'sales']);
    for (const r of ['back-office', 'sales', 'platform-admin', 'BACK_OFFICE', 'SALES', 'PLATFORM_ADMIN']) {
      expect(isProviderStaff([r])).toBe(true);
    }
  });

  it('is not operators or tenant admins', () => {
    expect(isProviderStaff(['operator'])).toBe(false);
    expect(isProviderStaff(['tenant-admin', 'OPERATOR'])).toBe(false);
    expect(isProviderStaff([])).toBe(false);
  });

  it('holds exactly when one of the roles is a provider role', () => {
    const all = ['operator', 'tenant-admin', 'back-office', 'sales', 'platform-admin'];
    fc.assert(
      fc.property(fc.subarray(all), (roles) => {
        expect(isProviderStaff(roles)).toBe(roles.some((r) => r !== 'operator' && r !== 'tenant-admin'));
      }),
    );
  });
});
