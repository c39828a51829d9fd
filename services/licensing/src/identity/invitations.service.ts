import { Inject, Injectable } from '@nestjs/common';
import { badInput, DomainError, forbidden, notFound, type Principal, type Role } from '@thankstar/platform';
import { DataSource, type EntityManager } from 'typeorm';
import { CONFIG, type Config } from '../config';
import { rolesNotAssignable } from './assignable-roles';
import { IdentityRepository } from './identity.repository';
import { type InvitationRecord, InvitationsRepository } from './invitations.repository';
import { type LoginResult, LoginService } from './login.service';
import { invitationMail, tokenLink } from './mail-templates';
import { Mailer } from './mailer.service';
import { hashToken, newOneTimeToken } from './one-time-token';
import { hashPassword } from './password';
import { passwordProblem } from './password-policy';

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/**
 * An invitation as the inviter sees it. There is no token here on purpose: it goes only by mail
 * to the invited address, so accepting proves that the invitee owns that mailbox.
 */
export interface Invitation {
  id: string;
  email: string;
  name: string;
  roles: Role[];
  invitedAt: Date;
  expiresAt: Date;
}

const invalidInvitation = () => new DomainError('INVALID_INVITATION');
const emailTaken = () => new DomainError('EMAIL_TAKEN');
const toInvitation = (row: InvitationRecord): Invitation => ({
  id: row.id,
  email: row.email,
  name: row.name,
  roles: row.roles,
  invitedAt: row.createdAt,
  expiresAt: row.expiresAt,
});

/**
 * Invitations into a tenant. An open invitation reserves nothing: the address is taken only when
 * someone who received the mail accepts (a user row, unique per address), so nobody can block an
 * address, or a new tenant's createTenant, by inviting it first.
 */
@Injectable()
export class InvitationsService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly identity: IdentityRepository,
    private readonly invitations: InvitationsRepository,
    private readonly login: LoginService,
    private readonly mailer: Mailer,
    @Inject(CONFIG) private readonly config: Config,
  ) {}

  /** Invites into the inviter's own tenant, with roles the inviter may give. */
  async invite(principal: Principal, input: { email: string; name: string; roles: Role[] }): Promise<Invitation> {
    return this.dataSource.transaction(async (m) => {
      const tenant = await this.identity.existingTenant(m, principal.tenantId);
      const refused = rolesNotAssignable(principal.roles, tenant.isProvider, input.roles);
      if (refused.length)
        throw forbidden({
          ja: `次のロールは付与できません: ${refused.join(', ')}。`,
          en: `You cannot give the roles: ${refused.join(', ')}.`,
        });
      return this.create(m, tenant.id, input, principal.userId);
    });
  }

  /**
   * Creates an invitation and mails its link, in the caller's transaction (back office uses this
   * for a new tenant's first admin): when the mail cannot be handed over, nothing is kept.
   */
  async create(
    m: EntityManager,
    tenantId: string,
    input: { email: string; name: string; roles: Role[] },
    invitedBy: string | null,
  ): Promise<Invitation> {
    const email = input.email.trim().toLowerCase();
    const name = input.name.trim();
    if (!EMAIL.test(email))
      throw badInput({ ja: '有効なメールアドレスを入力してください。', en: 'Enter a valid email address.' });
    if (!name || name.length > 100)
      throw badInput({ ja: '名前は1〜100文字で入力してください。', en: 'A name is 1 to 100 characters.' });
    if (input.roles.length === 0)
      throw badInput({ ja: '少なくとも1つのロールを選んでください。', en: 'Choose at least one role.' });
    if (await this.identity.userByEmail(m, email)) throw emailTaken();
    // Inviting again into the same tenant replaces the open invitation (its link stops working).
    await this.invitations.cancelOpenFor(m, tenantId, email);
    const { token, hash } = newOneTimeToken();
    const row = await this.invitations.insert(
      m,
      tenantId,
      { email, name, roles: input.roles, tokenHash: hash, invitedBy },
      this.config.INVITATION_TTL_SECONDS,
    );
    await this.mail(m, row, token);
    return toInvitation(row);
  }

  /** Open (neither accepted nor cancelled) invitations of the caller's tenant, expired ones too, so they can be resent. */
  async listOpen(tenantId: string): Promise<Invitation[]> {
    return (await this.invitations.listOpen(this.dataSource.manager, tenantId)).map(toInvitation);
  }

  /** A new link for an open invitation of the caller's tenant (the older link stops working), mailed again. */
  async resend(principal: Principal, id: string): Promise<Invitation> {
    return this.dataSource.transaction(async (m) => {
      const row = await this.openOfTenant(m, principal.tenantId, id);
      const tenant = await this.identity.existingTenant(m, principal.tenantId);
      // The roles were checked against the inviter; the admin who resends must be able to give them too.
      const refused = rolesNotAssignable(principal.roles, tenant.isProvider, row.roles);
      if (refused.length)
        throw forbidden({
          ja: `次のロールは付与できません: ${refused.join(', ')}。`,
          en: `You cannot give the roles: ${refused.join(', ')}.`,
        });
      if (await this.identity.userByEmail(m, row.email)) throw emailTaken();
      const { token, hash } = newOneTimeToken();
      const updated = await this.invitations.renewToken(
        m,
        row.tenantId,
        row.id,
        hash,
        this.config.INVITATION_TTL_SECONDS,
      );
      if (!updated) throw new Error('invitation vanished');
      await this.mail(m, updated, token);
      return toInvitation(updated);
    });
  }

  /** Cancels an open invitation of the caller's tenant: its link stops working. */
  async cancel(principal: Principal, id: string): Promise<void> {
    await this.dataSource.transaction(async (m) => {
      const row = await this.openOfTenant(m, principal.tenantId, id);
      await this.invitations.cancel(m, row.tenantId, row.id);
    });
  }

  /** The invitee sets a password; the user is created and signed in. The token works once. */
  async accept(token: string, password: string): Promise<LoginResult> {
    const problem = passwordProblem(password);
    if (problem) throw badInput(problem);
    const passwordHash = await hashPassword(password);
    return this.dataSource.transaction(async (m) => {
      const invitation = await this.invitations.validByTokenForUpdate(m, hashToken(token));
      if (!invitation) throw invalidInvitation();
      // The address is reserved here, by the users table's unique email, and nowhere before.
      if (await this.identity.userByEmail(m, invitation.email)) throw emailTaken();
      await this.invitations.markAccepted(m, invitation.tenantId, invitation.id);
      const user = await this.identity
        .insertUser(m, invitation.tenantId, {
          email: invitation.email,
          name: invitation.name,
          roles: invitation.roles,
          passwordHash,
        })
        .catch((err: { code?: string }) => {
          // Two tenants' invitations of one address accepted at once: the second loses here.
          if (err.code === '23505') throw emailTaken();
          throw err;
        });
      return this.login.session(m, user);
    });
  }

  private async openOfTenant(m: EntityManager, tenantId: string, id: string): Promise<InvitationRecord> {
    if (!/^[0-9a-f-]{36}$/i.test(id)) throw notFound('invitation');
    const row = await this.invitations.openForUpdate(m, tenantId, id);
    if (!row) throw notFound('invitation');
    return row;
  }

  private async mail(m: EntityManager, row: InvitationRecord, token: string): Promise<void> {
    const tenant = await this.identity.existingTenant(m, row.tenantId);
    await this.mailer.send(
      invitationMail({
        to: row.email,
        name: row.name,
        tenantName: tenant.name,
        link: tokenLink(this.mailer.publicUrl, 'accept-invitation', token),
        expiresAt: row.expiresAt,
        timeZone: tenant.timezone,
      }),
    );
  }
}
