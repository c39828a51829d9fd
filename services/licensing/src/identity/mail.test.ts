import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MailSettingsError, mailSettingsFromEnv } from './mail-settings';
import { invitationMail, japaneseDateTime, passwordResetMail, tokenLink } from './mail-templates';

describe('mail settings', () => {
  it('requires SMTP and an https public URL in production, and logs elsewhere when SMTP is unset', () => {
    expect(() => mailSettingsFromEnv({ NODE_ENV: 'production', PUBLIC_APP_URL: 'https://app.example.jp' })).toThrow(
      /SMTP_URL is required/,
    );
    expect(() => mailSettingsFromEnv({ NODE_ENV: 'production', SMTP_URL: 'smtp://mail:587' })).toThrow(
      /PUBLIC_APP_URL is required/,
    );
    expect(() =>
      mailSettingsFromEnv({ NODE_ENV: 'production', SMTP_URL: 'smtp://mail:587', PUBLIC_APP_URL: 'http://app' }),
    ).toThrow(/https/);
    expect(mailSettingsFromEnv({})).toMatchObject({ transport: 'log', publicUrl: 'http://127.0.0.1:5173/' });
    expect(() => mailSettingsFromEnv({ SMTP_URL: 'http://mail' })).toThrow(MailSettingsError);
    expect(() => mailSettingsFromEnv({ MAIL_FROM: 'nobody' })).toThrow(/MAIL_FROM/);
    expect(
      mailSettingsFromEnv({
        NODE_ENV: 'production',
        SMTP_URL: 'smtps://u:p@mail.example.jp:465',
        PUBLIC_APP_URL: 'https://app.example.jp',
        MAIL_FROM: 'サンクスター <no-reply@example.jp>',
      }),
    ).toMatchObject({ transport: 'smtp', from: 'サンクスター <no-reply@example.jp>' });
  });
});

describe('mail templates', () => {
  it('puts the token only in a link to the configured app, recoverable exactly', () => {
    fc.assert(
      fc.property(fc.string({ minLength: 1, maxLength: 60 }), fc.boolean(), (token, slash) => {
        const link = tokenLink(`https://app.example.jp${slash ? '/' : ''}`, 'accept-invitation', token);
        expect(link.startsWith('https://app.example.jp/#/accept-invitation?token=')).toBe(true);
        expect(new URL(link.replace('/#/', '/')).searchParams.get('token')).toBe(token);
      }),
    );
  });

  it('writes Japanese subjects and bodies with the expiry in the tenant’s time zone', () => {
    const expiresAt = new Date('2026-12-06T15:30:00Z');
    const invitation = invitationMail({
      to: 'a@example.jp',
      name: '田中 美咲',
      tenantName: '山田商店',
      link: 'https://app.example.jp/#/accept-invitation?token=abc',
      expiresAt,
      timeZone: 'Asia/Tokyo',
    });
    expect(invitation.subject).toBe('【Thankstar】山田商店への招待');
    expect(invitation.text).toContain('田中 美咲 様');
    expect(invitation.text).toContain('2026年12月7日 0:30');
    const reset = passwordResetMail({ to: 'a@example.jp', name: 'A', link: 'L', expiresAt, timeZone: 'UTC' });
    expect(reset.subject).toBe('【Thankstar】パスワード再設定のご案内');
    expect(reset.text).toContain('2026年12月6日 15:30');
    expect(japaneseDateTime(new Date('2026-01-01T00:05:00Z'), 'Asia/Tokyo')).toBe('2026年1月1日 9:05');
  });
});
