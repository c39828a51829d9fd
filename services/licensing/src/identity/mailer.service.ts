import { Inject, Injectable, Logger, type OnApplicationShutdown } from '@nestjs/common';
import { DomainError } from '@thankstar/platform';
import { createTransport, type Transporter } from 'nodemailer';
import { CONFIG, type Config } from '../config';
import { type MailSettings, mailSettingsFromEnv } from './mail-settings';
import type { Mail } from './mail-templates';

export const mailNotSent = () => new DomainError('MAIL_NOT_SENT');

/**
 * Sends licensing's mails (invitations, password resets) through SMTP. The one place that knows
 * the transport: callers build a `Mail` and await `send`, which throws MAIL_NOT_SENT so that the
 * caller's transaction (and with it the token) is rolled back when the mail did not go.
 */
@Injectable()
export class Mailer implements OnApplicationShutdown {
  private readonly logger = new Logger('Mailer');
  readonly settings: MailSettings;
  private readonly transport: Transporter;

  constructor(@Inject(CONFIG) config: Config) {
    this.settings = mailSettingsFromEnv({
      NODE_ENV: config.NODE_ENV,
      SMTP_URL: config.SMTP_URL,
      SMTP_REQUIRE_TLS: config.SMTP_REQUIRE_TLS,
      MAIL_FROM: config.MAIL_FROM,
      PUBLIC_APP_URL: config.PUBLIC_APP_URL,
    });
    if (this.settings.transport === 'smtp') {
      const url = new URL(this.settings.smtpUrl);
      this.transport = createTransport({
        host: url.hostname,
        port: Number(url.port || (url.protocol === 'smtps:' ? 465 : 587)),
        secure: url.protocol === 'smtps:',
        requireTLS: this.settings.requireTls,
        ...(url.username
          ? { auth: { user: decodeURIComponent(url.username), pass: decodeURIComponent(url.password) } }
          : {}),
        // Bounded: the caller holds a transaction while the mail is handed over.
        connectionTimeout: 10_000,
        greetingTimeout: 10_000,
        socketTimeout: 15_000,
      });
    } else {
      // Development and CI without SMTP_URL: nothing leaves the machine; the mail is logged.
      this.transport = createTransport({ jsonTransport: true });
      this.logger.warn('SMTP_URL is not set: mails are written to this log and NOT delivered (development only)');
    }
  }

  get publicUrl(): string {
    return this.settings.publicUrl;
  }

  async send(mail: Mail): Promise<void> {
    try {
      const info = await this.transport.sendMail({
        from: this.settings.from,
        to: mail.to,
        subject: mail.subject,
        text: mail.text,
      });
      if (this.settings.transport === 'log') {
        this.logger.log(`[NOT DELIVERED, development log transport] ${String(info.message)}`);
      }
    } catch (err) {
      this.logger.error(`mail to ${mail.to} not sent: ${err instanceof Error ? err.message : String(err)}`);
      throw mailNotSent();
    }
  }

  onApplicationShutdown(): void {
    this.transport.close();
  }
}
