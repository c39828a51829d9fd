/**
 * Where licensing's mails go, read and checked once at start (a bad setting stops the service
 * rather than losing mails later). Pure: tested on its own; the values come from config.ts.
 *
 * - `SMTP_URL`: `smtp://user:pass@host:587` (STARTTLS when offered) or `smtps://…:465`.
 *   Required in production. Elsewhere, when absent, mails go to the log transport: written to
 *   the log and never delivered, announced as such at start.
 * - `MAIL_FROM`: the sender, e.g. `Thankstar <no-reply@thankstar.jp>`.
 * - `PUBLIC_APP_URL`: the web app's address the links point to (https in production, localhost excepted).
 * - `SMTP_REQUIRE_TLS`: `false` lets smtp:// stay plain in production (a local sink only); default true there.
 */
export type MailSettings =
  | { transport: 'smtp'; smtpUrl: string; requireTls: boolean; from: string; publicUrl: string }
  | { transport: 'log'; from: string; publicUrl: string };

const ADDRESS = /^[^\s@<>]+@[^\s@<>]+\.[^\s@<>]+$/;

export class MailSettingsError extends Error {}

export function mailSettingsFromEnv(env: Record<string, string | undefined>): MailSettings {
  const production = env.NODE_ENV === 'production';
  const from = env.MAIL_FROM?.trim() || 'Thankstar <no-reply@thankstar.jp>';
  const address = from.match(/<([^>]+)>\s*$/)?.[1] ?? from;
  if (!ADDRESS.test(address)) throw new MailSettingsError(`MAIL_FROM is not a mail address: ${from}`);

  const rawPublic = env.PUBLIC_APP_URL?.trim();
  if (production && !rawPublic) throw new MailSettingsError('PUBLIC_APP_URL is required in production');
  const publicUrl = parseUrl(rawPublic || 'http://127.0.0.1:5173', 'PUBLIC_APP_URL');
  if (!['http:', 'https:'].includes(publicUrl.protocol)) {
    throw new MailSettingsError('PUBLIC_APP_URL must be an http(s) URL');
  }
  // A stack on one machine (docker compose runs the production image) may link to localhost over http.
  const local = ['localhost', '127.0.0.1', '[::1]'].includes(publicUrl.hostname);
  if (production && publicUrl.protocol !== 'https:' && !local) {
    throw new MailSettingsError('PUBLIC_APP_URL must be https in production: the links carry one-time tokens');
  }

  const rawSmtp = env.SMTP_URL?.trim();
  if (!rawSmtp) {
    if (production) throw new MailSettingsError('SMTP_URL is required in production');
    return { transport: 'log', from, publicUrl: publicUrl.toString() };
  }
  const smtp = parseUrl(rawSmtp, 'SMTP_URL');
  if (!['smtp:', 'smtps:'].includes(smtp.protocol) || !smtp.hostname) {
    throw new MailSettingsError('SMTP_URL must be smtp://host:port or smtps://host:port');
  }
  // Tokens travel in these mails: smtp:// must upgrade with STARTTLS in production unless
  // SMTP_REQUIRE_TLS=false says the relay is local (docker compose's mail sink).
  const requireTls = smtp.protocol === 'smtp:' && (env.SMTP_REQUIRE_TLS ?? (production ? 'true' : 'false')) !== 'false';
  return { transport: 'smtp', smtpUrl: smtp.toString(), requireTls, from, publicUrl: publicUrl.toString() };
}

function parseUrl(value: string, name: string): URL {
  try {
    return new URL(value);
  } catch {
    throw new MailSettingsError(`${name} is not a URL`);
  }
}
