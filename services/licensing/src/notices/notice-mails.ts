import type { NoticePayload } from '@thankstar/contracts';
import { japaneseDateTime, type Mail } from '../identity/mail-templates';

/** The admin UI's outbound webhooks page, e.g. `https://app.thankstar.jp/#/integrations/webhooks`. */
export function webhooksPageLink(publicUrl: string): string {
  return `${publicUrl.replace(/\/+$/, '')}/#/integrations/webhooks`;
}

/**
 * The mail to a tenant admin when customers disabled one of the tenant's outbound webhook
 * endpoints after repeated failure (docs/integrations.md "Outbound webhooks": disabled after
 * repeated failure with a notice to the tenant's admins). Pure. Names the host only, never the path.
 */
export function webhookDisabledMail(input: {
  to: string;
  name: string;
  tenantName: string;
  notice: NoticePayload;
  publicUrl: string;
  timeZone: string;
}): Mail {
  const { notice } = input;
  return {
    to: input.to,
    subject: '【Thankstar】Webhook の送信を停止しました',
    text: [
      `${input.name} 様`,
      '',
      `${input.tenantName}の Webhook 送信先 ${notice.endpointHost} への送信が ${notice.failures} 件続けて失敗したため、この送信先を停止しました。`,
      '',
      `停止日時: ${japaneseDateTime(new Date(notice.disabledAt), input.timeZone)}`,
      `最後のエラー: ${notice.lastError ?? '（記録なし）'}`,
      '',
      '受信側のサーバーを確認のうえ、次の画面で送信先を「有効にする」と送信を再開します。',
      '停止前に記録された未送信の分は、有効にしたあとに送信されます。',
      '',
      webhooksPageLink(input.publicUrl),
      '',
      '-- ',
      'Thankstar',
    ].join('\n'),
  };
}
