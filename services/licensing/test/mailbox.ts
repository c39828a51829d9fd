import type { AddressInfo } from 'node:net';
import { simpleParser } from 'mailparser';
import { SMTPServer } from 'smtp-server';
import { eventually } from './support';

export interface ReceivedMail {
  to: string[];
  from: string;
  subject: string;
  text: string;
}

/**
 * A real SMTP server on a free local port, started by the tests: licensing sends to it over
 * SMTP with nodemailer exactly as in production (SMTP_URL), and the test reads what arrived.
 */
export async function startMailbox(): Promise<{
  url: string;
  mails: ReceivedMail[];
  /** The newest mail to `address` after `since` mails had arrived. */
  waitFor(address: string, since?: number): Promise<ReceivedMail>;
  /** The one-time token in the mail's link to `page`. */
  tokenIn(mail: ReceivedMail, page: 'accept-invitation' | 'reset-password'): string;
  close(): Promise<void>;
}> {
  const mails: ReceivedMail[] = [];
  const server = new SMTPServer({
    // Local test server: no TLS certificate, no accounts.
    disabledCommands: ['STARTTLS', 'AUTH'],
    authOptional: true,
    logger: false,
    onData(stream, session, callback) {
      simpleParser(stream)
        .then((parsed) => {
          mails.push({
            to: session.envelope.rcptTo.map((r) => r.address),
            from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
            subject: parsed.subject ?? '',
            text: parsed.text ?? '',
          });
          callback();
        })
        .catch((err: Error) => callback(err));
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.server.address() as AddressInfo;
  return {
    url: `smtp://127.0.0.1:${port}`,
    mails,
    waitFor: (address, since = 0) =>
      eventually(
        () => mails.slice(since).findLast((m) => m.to.includes(address.toLowerCase())),
        `a mail to ${address}`,
        10_000,
      ),
    tokenIn: (mail, page) => {
      const match = mail.text.match(new RegExp(`/#/${page}\\?token=([A-Za-z0-9_%-]+)`));
      if (!match?.[1]) throw new Error(`no ${page} link in the mail: ${mail.text}`);
      return decodeURIComponent(match[1]);
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
