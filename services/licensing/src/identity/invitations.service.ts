import { Injectable } from '@nestjs/common';
import { badInput, DomainError, forbidden, type Principal, type Role } from '@thankstar/platform';
import { DataSource, type EntityManager } from 'typeorm';
import { rolesNotAssignable } from './assignable-roles';
import { type LoginResult, LoginService } from './login.service';
import { hashToken, newOneTimeToken } from './one-time-token';
import { hashPassword } from './password';
import { passwordProblem } from './password-policy';
import { TenantEntity } from './tenant.entity';
import { UserEntity } from './user.entity';

export const INVITATION_TTL_SECONDS = Number(process.env.INVITATION_TTL_SECONDS ?? 7 * 86_400);
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

export interface Invitation {
  id: string;
  email: string;
  name: string;
  roles: Role[];
  expiresAt: Date;
  /** Returned once, at creation: the inviter passes it on (there is no mailer yet). */
  token: string;
}

const invalidInvitation = () =>
  new DomainError('INVALID_INVITATION', 'This invitation link is not valid or has expired. Ask for a new one.', 400);

@Injectable()
export class InvitationsService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly login: LoginService,
  ) {}

  /** Invites into the inviter's own tenant, with roles the inviter may give. */
  async invite(principal: Principal, input: { email: string; name: string; roles: Role[] }): Promise<Invitation> {
    return this.dataSource.transaction(async (m) => {
      const tenant = await m.findOneByOrFail(TenantEntity, { id: principal.tenantId });
      const refused = rolesNotAssignable(principal.roles, tenant.isProvider, input.roles);
      if (refused.length) throw forbidden(`You cannot give the roles: ${refused.join(', ')}.`);
      return this.create(m, tenant.id, input, principal.userId);
    });
  }

  /** Creates an invitation; back office uses this directly for a new tenant's first admin. */
  async create(
    m: EntityManager,
    tenantId: string,
    input: { email: string; name: string; roles: Role[] },
    invitedBy: string | null,
  ): Promise<Invitation> {
    const email = input.email.trim().toLowerCase();
    const name = input.name.trim();
    if (!EMAIL.test(email)) throw badInput('Give a valid email address.');
    if (!name || name.length > 100) throw badInput('Give a name of 1 to 100 characters.');
    if (input.roles.length === 0) throw badInput('Give the new user at least one role.');
    if (await m.findOneBy(UserEntity, { email })) {
      throw new DomainError('EMAIL_TAKEN', 'A user with this email address already exists.', 409);
    }
    // Inviting again into the same tenant re-sends (the older link stops working); another tenant must wait.
    await m.query(
      'UPDATE invitations SET expires_at = clock_timestamp() WHERE email = $1 AND tenant_id = $2 AND accepted_at IS NULL AND expires_at > clock_timestamp()',
      [email, tenantId],
    );
    const [pending] = await m.query(
      'SELECT 1 FROM invitations WHERE email = $1 AND accepted_at IS NULL AND expires_at > clock_timestamp()',
      [email],
    );
    if (pending)
      throw new DomainError('INVITATION_PENDING', 'This email address already has a pending invitation.', 409);
    const { token, hash } = newOneTimeToken();
    const [row] = await m.query(
      `INSERT INTO invitations (tenant_id, email, name, roles, token_hash, invited_by, expires_at)
       VALUES ($1, $2, $3, $4, $5, $6, clock_timestamp() + make_interval(secs => $7)) RETURNING id, expires_at`,
      [tenantId, email, name, input.roles, hash, invitedBy, INVITATION_TTL_SECONDS],
    );
    return { id: row.id, email, name, roles: input.roles, expiresAt: row.expires_at, token };
  }

  /** The invitee sets a password; the user is created and signed in. The token works once. */
  async accept(token: string, password: string): Promise<LoginResult> {
    const problem = passwordProblem(password);
    if (problem) throw badInput(problem);
    const passwordHash = await hashPassword(password);
    return this.dataSource.transaction(async (m) => {
      const [invitation] = await m.query(
        `SELECT * FROM invitations WHERE token_hash = $1 AND accepted_at IS NULL AND expires_at > clock_timestamp() FOR UPDATE`,
        [hashToken(token)],
      );
      if (!invitation) throw invalidInvitation();
      if (await m.findOneBy(UserEntity, { email: invitation.email })) {
        throw new DomainError('EMAIL_TAKEN', 'A user with this email address already exists.', 409);
      }
      await m.query('UPDATE invitations SET accepted_at = clock_timestamp() WHERE id = $1', [invitation.id]);
      const user = await m.save(
        m.create(UserEntity, {
          tenantId: invitation.tenant_id,
          email: invitation.email,
          name: invitation.name,
          roles: invitation.roles,
          passwordHash,
          disabledAt: null,
        }),
      );
      return this.login.session(m, user);
    });
  }
}
