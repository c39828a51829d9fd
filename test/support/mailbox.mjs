// A real SMTP server on a free local port for the whole-stack tests (test/e2e and the admin UI's
// browser scenarios): licensing sends to it with nodemailer over SMTP_URL exactly as in
// production, and the test reads the links out of what arrived. Plain ESM so both the vitest
// suites and admin-ui/test/e2e.mjs import the same copy (types in mailbox.d.mts).
// services/licensing/test/mailbox.ts is the same idea for licensing's own in-process tests.
import { simpleParser } from 'mailparser';
import { SMTPServer } from 'smtp-server';

/** `port` 0 (the default) takes a free one. */
export async function startMailbox(port = 0) {
  const mails = [];
  const server = new SMTPServer({
    // Local test server: no TLS certificate, no accounts.
    disabledCommands: ['STARTTLS', 'AUTH'],
    authOptional: true,
    logger: false,
    onData(stream, session, callback) {
      simpleParser(stream)
        .then((parsed) => {
          mails.push({
            to: session.envelope.rcptTo.map((r) => r.address.toLowerCase()),
            from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
            subject: parsed.subject ?? '',
            text: parsed.text ?? '',
          });
          callback();
        })
        .catch((err) => callback(err));
    },
  });
  await new Promise((resolve) => server.listen(port, '127.0.0.1', resolve));
  const bound = server.server.address().port;

  const waitFor = async (address, since = 0, timeoutMs = 20_000) => {
    const wanted = address.toLowerCase();
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const mail = mails.slice(since).findLast((m) => m.to.includes(wanted));
      if (mail) return mail;
      if (Date.now() > deadline) throw new Error(`no mail to ${address} within ${timeoutMs} ms`);
      await new Promise((r) => setTimeout(r, 100));
    }
  };
  const linkIn = (mail, page) => {
    const match = mail.text.match(new RegExp(`\\S+/#/${page}\\?token=[A-Za-z0-9_%-]+`));
    if (!match) throw new Error(`no ${page} link in the mail: ${mail.text}`);
    return match[0];
  };
  // licensing encodes the token with encodeURIComponent (tokenLink): undo exactly that.
  const tokenIn = (mail, page) => decodeURIComponent(linkIn(mail, page).split('?token=')[1]);

  return {
    url: `smtp://127.0.0.1:${bound}`,
    mails,
    waitFor,
    linkIn,
    tokenIn,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
