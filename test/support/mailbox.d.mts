export interface ReceivedMail {
  to: string[];
  from: string;
  subject: string;
  text: string;
}

export type LinkPage = 'accept-invitation' | 'reset-password';

export interface Mailbox {
  /** `smtp://127.0.0.1:<port>`, for licensing's SMTP_URL. */
  url: string;
  mails: ReceivedMail[];
  /** The newest mail to `address` among those that arrived after the first `since`. */
  waitFor(address: string, since?: number, timeoutMs?: number): Promise<ReceivedMail>;
  /** The whole link to `page` in the mail, e.g. `http://127.0.0.1:6173/#/accept-invitation?token=…`. */
  linkIn(mail: ReceivedMail, page: LinkPage): string;
  /** The one-time token in the mail's link to `page`. */
  tokenIn(mail: ReceivedMail, page: LinkPage): string;
  close(): Promise<void>;
}

/** `port` 0 (the default) takes a free one. */
export function startMailbox(port?: number): Promise<Mailbox>;
