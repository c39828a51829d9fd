import { sqlReviewFile } from '@thankstar/platform/testing';
import { describe, expect, it } from 'vitest';
import { identitySql } from './identity/identity.repository';
import { invitationsSql } from './identity/invitations.repository';
import { loginAttemptsSql } from './identity/login-attempts.repository';
import { refreshTokensSql } from './identity/refresh-tokens.repository';
import { keysSql } from './keys/keys.repository';
import { desktopLeasesSql } from './leases/desktop-leases.repository';
import { leasesSql } from './leases/leases.repository';
import { pairingSql } from './seats/pairing.repository';
import { seatsSql } from './seats/seats.repository';

// Every statement licensing sends, one file per repository under services/licensing/sql/: a change
// to a query shows up in review as a diff of a .sql file. After editing a repository, run this
// test with -u and commit the files.
const repositories: [name: string, file: string, statements: Record<string, string>][] = [
  ['IdentityRepository', 'identity.repository.sql', identitySql],
  ['InvitationsRepository', 'invitations.repository.sql', invitationsSql],
  ['RefreshTokensRepository', 'refresh-tokens.repository.sql', refreshTokensSql],
  ['LoginAttemptsRepository', 'login-attempts.repository.sql', loginAttemptsSql],
  ['KeysRepository', 'keys.repository.sql', keysSql],
  ['LeasesRepository', 'leases.repository.sql', leasesSql],
  ['DesktopLeasesRepository', 'desktop-leases.repository.sql', desktopLeasesSql],
  ['SeatsRepository', 'seats.repository.sql', seatsSql],
  ['PairingRepository', 'pairing.repository.sql', pairingSql],
];

describe('SQL review files', () => {
  it.each(repositories)('%s matches sql/%s', async (name, file, statements) => {
    await expect(sqlReviewFile(name, statements)).toMatchFileSnapshot(`../sql/${file}`);
  });
});
