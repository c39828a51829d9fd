/**
 * The mails licensing sends, in Japanese. Pure (no Nest, no nodemailer): the links and the
 * wording are tested on their own. Each mail carries its one-time token only inside the link,
 * to the address being proven: whoever asked for the mail never sees the token.
 */

export interface Mail {
  to: string;
  subject: string;
  text: string;
}

/** The page of the web app that takes a token, e.g. `https://app.thankstar.jp/#/accept-invitation?token=…`. */
export function tokenLink(publicUrl: string, page: 'accept-invitation' | 'reset-password', token: string): string {
  const base = publicUrl.replace(/\/+$/, '');
  return `${base}/#/${page}?token=${encodeURIComponent(token)}`;
}

/** "2026年12月7日 9:05" in the tenant's time zone, so the reader sees their own clock. */
export function japaneseDateTime(at: Date, timeZone: string): string {
  const parts = new Intl.DateTimeFormat('ja-JP', {
    timeZone,
    year: 'numeric',
    month: 'numeric',
    day: 'numeric',
    hour: 'numeric',
    minute: '2-digit',
    hourCycle: 'h23',
  }).formatToParts(at);
  const get = (type: string) => parts.find((p) => p.type === type)?.value ?? '';
  return `${get('year')}年${get('month')}月${get('day')}日 ${get('hour')}:${get('minute')}`;
}

export function invitationMail(input: {
  to: string;
  name: string;
  tenantName: string;
  link: string;
  expiresAt: Date;
  timeZone: string;
}): Mail {
  return {
    to: input.to,
    subject: `【Thankstar】${input.tenantName}への招待`,
    text: [
      `${input.name} 様`,
      '',
      `${input.tenantName}から Thankstar への招待が届いています。`,
      '次のリンクを開いてパスワードを設定すると、利用を開始できます。',
      '',
      input.link,
      '',
      `このリンクの有効期限は ${japaneseDateTime(input.expiresAt, input.timeZone)} です。一度だけ使えます。`,
      '心当たりがない場合は、このメールを破棄してください。',
      '',
      '-- ',
      'Thankstar',
    ].join('\n'),
  };
}

export function passwordResetMail(input: {
  to: string;
  name: string;
  link: string;
  expiresAt: Date;
  timeZone: string;
}): Mail {
  return {
    to: input.to,
    subject: '【Thankstar】パスワード再設定のご案内',
    text: [
      `${input.name} 様`,
      '',
      '管理者がパスワードの再設定を受け付けました。',
      '次のリンクを開いて、新しいパスワードを設定してください。',
      '',
      input.link,
      '',
      `このリンクの有効期限は ${japaneseDateTime(input.expiresAt, input.timeZone)} です。一度だけ使えます。`,
      '再設定すると、すべての端末でサインインし直しが必要になります。',
      '心当たりがない場合は、管理者にお問い合わせください。',
      '',
      '-- ',
      'Thankstar',
    ].join('\n'),
  };
}
