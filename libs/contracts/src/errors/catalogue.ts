/**
 * The one list of error codes the services and the gateway answer with, and what each means to a
 * person. Browser-safe (no Node imports) so the admin UI renders the same Japanese text by code.
 *
 * - `status`: the HTTP status of a REST answer (GraphQL answers carry the code in
 *   `extensions.code`; the gateway answers 200 with errors except where noted).
 * - `ja` / `en`: message templates with named parameters `{name}`. Both name the same parameters
 *   (a unit test holds them to it). Japanese is what users see (`message`); English travels in
 *   `extensions.messageEn` / `messageEn` for integrators.
 *
 * A parameter is a plain value, or a `{ja, en}` pair when the words themselves differ by language
 * (what was not found, why an input is refused). Codes are stable API: never rename one.
 */
export interface ErrorEntry {
  /** The code on the wire when it differs from the key (a second message for one stable code). */
  readonly code?: string;
  readonly status: number;
  readonly ja: string;
  readonly en: string;
}

export const errorCatalogue = {
  // ── Generic (platform, every service, the gateway) ─────────────────────────────────────────
  BAD_USER_INPUT: { status: 400, ja: '{reason}', en: '{reason}' },
  BAD_REQUEST: { status: 400, ja: '要求の形式が正しくありません。{reason}', en: 'The request is not valid. {reason}' },
  UNAUTHENTICATED: { status: 401, ja: '{reason}', en: '{reason}' },
  FORBIDDEN: { status: 403, ja: '{reason}', en: '{reason}' },
  NOT_FOUND: { status: 404, ja: '{resource}が見つかりません。', en: '{resource} was not found.' },
  CONFLICT: {
    status: 409,
    ja: '他の操作と競合しました。{reason}',
    en: 'The request conflicts with another change. {reason}',
  },
  PAYLOAD_TOO_LARGE: {
    status: 413,
    ja: 'リクエストの本文が{maxBytes}バイトを超えています。',
    en: 'The request body is larger than {maxBytes} bytes.',
  },
  UNSUPPORTED_MEDIA_TYPE: {
    status: 415,
    ja: '{mediaType} で送ってください。',
    en: 'Send the request as {mediaType}.',
  },
  RATE_LIMITED: {
    status: 429,
    ja: 'リクエストが多すぎます。{retryAfterSeconds}秒ほど待ってからもう一度お試しください。',
    en: 'Too many requests: retry in {retryAfterSeconds} s.',
  },
  UNAVAILABLE: {
    status: 503,
    ja: 'ただいま利用できません。しばらくしてからもう一度お試しください。',
    en: 'The service is unavailable; retry shortly.',
  },
  SERVICE_UNAVAILABLE: {
    status: 503,
    ja: 'ただいま利用できません。しばらくしてからもう一度お試しください。',
    en: 'The service is unavailable; retry shortly.',
  },
  INTERNAL: {
    status: 500,
    ja: 'システム側で問題が発生しました。もう一度お試しください。',
    en: 'Something went wrong on our side. Please retry.',
  },
  INTERNAL_SERVER_ERROR: {
    status: 500,
    ja: 'システム側で問題が発生しました。もう一度お試しください。',
    en: 'Something went wrong on our side. Please retry.',
  },
  NOT_READY: {
    status: 503,
    ja: '準備ができていません（データベース {database}、ブローカー {broker}、失効リスト {revocations}）。',
    en: 'Not ready: database {database}, broker {broker}, access revocations {revocations}.',
  },
  TOKEN_EXPIRED: {
    status: 401,
    ja: 'アクセストークンの有効期限が切れました。更新してからもう一度お試しください。',
    en: 'The access token has expired. Refresh it and retry.',
  },
  TOKEN_REVOKED: { status: 401, ja: '{reason}', en: '{reason}' },
  GATEWAY_PROOF_REQUIRED: {
    status: 403,
    ja: '_service と _entities はゲートウェイからの要求にだけ応答します。',
    en: '_service and _entities answer only requests from the gateway.',
  },
  DOCUMENT_REFUSED: {
    status: 400,
    ja: 'このクエリは受け付けられません：{reason}',
    en: 'The document is refused: {reason}',
  },
  INVALID_LIMIT: {
    status: 400,
    ja: 'limit は 1 から 1000 の整数で指定してください。',
    en: 'limit is a whole number from 1 to 1000.',
  },
  INVALID_OUTBOX_ID: {
    status: 400,
    ja: '退避された行の ID が正しくありません。',
    en: 'The parked row id is not valid.',
  },
  OUTBOX_ROW_NOT_FOUND: { status: 404, ja: '退避された行が見つかりません。', en: 'The parked row was not found.' },
  OUTBOX_ROW_HELD: {
    status: 409,
    ja: '同じキーの先行する行 {first} が退避されています。先にその行を再送してください。',
    en: 'An earlier row {first} with the same key is parked; replay it first.',
  },

  // ── Gateway (GraphQL over HTTP and the live socket) ──────────────────────────────────────────
  SUBSCRIPTION_LIMIT_REACHED: {
    status: 429,
    ja: '1つの接続で同時に購読できるのは{max}件までです。不要な購読を終了してからもう一度お試しください。',
    en: 'One connection can hold at most {max} subscriptions; end one and retry.',
  },
  OPERATION_NOT_SUPPORTED: {
    status: 400,
    ja: 'ソケットでは購読（subscription）だけを実行できます。クエリと更新は POST /graphql に送ってください。',
    en: 'Only subscriptions run over the socket; send queries and mutations to POST /graphql.',
  },
  CONNECTION_LIMIT_REACHED: {
    status: 409,
    ja: '同時接続数の上限（{capacity}）に達しています。接続中の端末を閉じるか、管理者に接続パックの追加をご相談ください。',
    en: 'All {capacity} concurrent connections are in use: close one of the devices listed, or ask your administrator for more packs.',
  },

  // ── Licensing ───────────────────────────────────────────────────────────────────────────────
  INVALID_CREDENTIALS: {
    status: 401,
    ja: 'メールアドレスまたはパスワードが正しくありません。',
    en: 'The email address or password is not correct.',
  },
  INVALID_REFRESH_TOKEN: {
    status: 401,
    ja: 'セッションが終了しました。もう一度サインインしてください。',
    en: 'Your session has ended. Sign in again.',
  },
  REFRESH_TOKEN_REUSED: {
    status: 401,
    ja: 'このセッションは別の場所で使われたため、安全のためすべての端末で終了しました。もう一度サインインしてください。',
    en: 'This session was used from somewhere else, so it has been ended everywhere for your safety. Sign in again.',
  },
  LOGIN_THROTTLED: {
    status: 429,
    ja: 'サインインの失敗が続いたため、しばらく受け付けられません。{wait}後にもう一度お試しいただくか、パスワードを再設定してください。',
    en: 'Too many failed sign-ins: retry in {wait}, or reset your password.',
  },
  INVALID_RESET_TOKEN: {
    status: 400,
    ja: 'このパスワード再設定リンクは無効か、有効期限が切れています。管理者に再発行を依頼してください。',
    en: 'This password reset link is invalid or has expired. Ask your administrator for a new one.',
  },
  INVALID_INVITATION: {
    status: 400,
    ja: 'この招待リンクは無効か、有効期限が切れています。管理者に再送を依頼してください。',
    en: 'This invitation link is invalid or has expired. Ask your administrator to send it again.',
  },
  EMAIL_TAKEN: {
    status: 409,
    ja: 'このメールアドレスのユーザーはすでに登録されています。',
    en: 'A user with this email address already exists.',
  },
  MAIL_NOT_SENT: {
    status: 503,
    ja: 'メールを送信できませんでした。しばらくしてからもう一度お試しください。',
    en: 'The mail could not be sent. Please retry shortly.',
  },
  SEAT_NOT_REGISTERED: {
    status: 404,
    ja: 'このPCにはライセンス（シート）が登録されていません。管理者に登録を依頼してください。',
    en: 'This PC has no seat licence. Ask your administrator to register it.',
  },
  SEAT_ALREADY_REGISTERED: {
    status: 409,
    ja: 'このPCはすでに登録されています。',
    en: 'This PC is already registered.',
  },
  SEAT_OF_ANOTHER_USER: {
    status: 403,
    ja: 'このPCは別のユーザーに登録されています。登録されたユーザーでサインインしてください。',
    en: 'This PC is registered to another user. Sign in as that user.',
  },
  PAIRING_NOT_FOUND: {
    status: 404,
    ja: 'このペアリングコードは見つからないか、有効期限（10分）が切れています。PCでコードを出し直してください。',
    en: 'This pairing code does not exist or has expired (10 minutes). Show a new code on the PC.',
  },
  PAIRING_RATE_LIMITED: {
    status: 429,
    ja: 'ペアリングの要求が多すぎます。しばらくしてからもう一度お試しください。',
    en: 'Too many pairing requests. Please retry in a few minutes.',
  },
  // The live socket's close reason (short: a close reason is at most 123 bytes) for SEAT_REVOKED.
  SEAT_REVOKED: {
    status: 403,
    ja: 'このPCの登録は取り消されたか、無効です。',
    en: 'This PC’s pairing was revoked or is not valid.',
  },
  // The live socket's close reason when this user's newer tab took the connection over.
  LEASE_TAKEN_OVER: {
    status: 409,
    ja: '新しいタブ（接続）に引き継いだため、この接続は終了しました。',
    en: 'A newer tab (connection) of yours took this connection over.',
  },
  DEVICE_CREDENTIAL_INVALID: {
    status: 403,
    ja: 'このPCの登録は取り消されたか、無効です。もう一度ペアリングしてください。',
    en: 'This PC’s pairing was revoked or is not valid. Pair it again.',
  },
  LEASE_NOT_FOUND: {
    status: 404,
    ja: 'この接続は期限切れか、終了しています。もう一度接続してください。',
    en: 'This connection has expired or was closed. Connect again.',
  },
  // Answered as LEASE_NOT_FOUND (the gateway closes the socket on it as on any ended lease).
  LEASE_OF_DISABLED_USER: {
    code: 'LEASE_NOT_FOUND',
    status: 404,
    ja: 'アカウントが無効にされたため、この接続は終了しました。',
    en: 'This connection was ended: the account has been disabled.',
  },
  USER_DISABLED: {
    status: 403,
    ja: 'このアカウントは無効にされています。管理者にお問い合わせください。',
    en: 'This account has been disabled. Ask your administrator.',
  },

  // ── Billing ─────────────────────────────────────────────────────────────────────────────────
  PLAN_EXISTS: {
    status: 409,
    ja: 'プランコード {code} のプランはすでに存在します。',
    en: 'A plan with the code {code} already exists.',
  },
  PLAN_VERSION_NOT_LATER: {
    status: 409,
    ja: '新しい版は {effectiveFrom}（版 {version} の適用開始日）より後に適用開始する必要があります。',
    en: 'A new version must take effect after {effectiveFrom}, when version {version} took effect.',
  },
  NO_PLAN_VERSION: {
    status: 409,
    ja: 'プラン {planCode} には {date} に適用される版がありません。',
    en: 'The plan {planCode} has no version in effect on {date}.',
  },
  MONTH_INVOICED: {
    status: 409,
    ja: '{month}分の請求書は発行済みです。訂正は返金伝票（クレジットノート）で行ってください。',
    en: 'The invoice of {month} is issued; correct it with a credit note.',
  },
  PDF_FONT_MISSING: {
    status: 503,
    ja: '請求書PDF用の日本語フォントが {path} にありません。fonts-ipaexfont を入れるか、BILLING_PDF_FONT に日本語を含む .ttf/.otf を指定してください。',
    en: 'The Japanese font for invoice PDFs is missing at {path}. Install fonts-ipaexfont or set BILLING_PDF_FONT to a .ttf/.otf with Japanese glyphs.',
  },
  PIPELINE_UNKNOWN: {
    status: 503,
    ja: '利用データの取り込み状況を確認できないため、まだ締められません。しばらくしてからもう一度お試しください。',
    en: 'The usage pipeline cannot be checked, so the month cannot close yet. Retry shortly.',
  },
  PIPELINE_BEHIND: {
    status: 409,
    ja: '{required} までの着信の集計が終わっていないため、まだ締められません{pending}。集計が追いつくと自動で締められます。',
    en: 'Calls up to {required} are not counted yet, so the month cannot close{pending}. It closes by itself once counting catches up.',
  },
  MONTH_NOT_OVER: {
    status: 409,
    ja: '{month}は{timezone}ではまだ終わっていません。',
    en: '{month} is not over yet in {timezone}.',
  },
  NOTHING_TO_INVOICE: {
    status: 409,
    ja: '{month}にこのテナントの契約はありませんでした。',
    en: 'The tenant had no contract in {month}.',
  },
  NOT_CREDITABLE: {
    status: 409,
    ja: '返金伝票を発行できるのは、発行済みまたは入金済みの請求書だけです。',
    en: 'Only an issued or paid invoice can be credited.',
  },
  CREDIT_EXCEEDS_INVOICE: {
    status: 409,
    ja: '{number}で返金できる残りは最大{leftYen}円（税抜）です。',
    en: 'At most {leftYen} yen (税抜) of {number} is left to credit.',
  },
  INVALID_INVOICE_STATUS: {
    status: 409,
    ja: '状態が「{from}」の請求書は「{to}」にできません。',
    en: 'An invoice that is {from} cannot become {to}.',
  },
  PLAN_CHANGE_TOO_LATE: {
    status: 409,
    ja: 'プラン変更はまだ始まっていない月から適用されます（本日は{today}です）。',
    en: 'A plan change takes effect from a month that has not begun; today is {today}.',
  },
  PLAN_CHANGE_NOT_LATER: {
    status: 409,
    ja: 'この契約はすでに{effectiveFrom}からプランの版を変更する予定です。',
    en: 'The contract already changes plan version from {effectiveFrom}.',
  },
  PLAN_VERSION_NOT_NEWER: {
    status: 409,
    ja: '同じプランのより新しい版を選んでください（現在の契約は版 {version} です）。',
    en: 'Move to a newer version of the same plan (the contract is on version {version}).',
  },
  PLAN_VERSION_NOT_IN_EFFECT: {
    status: 409,
    ja: '版 {version} の適用開始は{versionFrom}で、{effectiveFrom}より後です。',
    en: 'Version {version} takes effect on {versionFrom}, after {effectiveFrom}.',
  },
  CONTRACT_EXISTS: {
    status: 409,
    ja: 'このテナントにはすでに有効な契約があります。',
    en: 'This tenant already has an active contract.',
  },
  CONNECTION_LIMIT: {
    status: 409,
    ja: '接続パックは1テナントあたり最大{max}個（同時接続100）までです。現在{existing}個あります。',
    en: 'A tenant can have at most {max} packs (100 concurrent connections); it has {existing}.',
  },
  TERMINATION_FEE_CHANGED: {
    status: 409,
    ja: '契約違約金は{expectedFeeYen}円ではなく{feeYen}円です。もう一度確認してから確定してください。',
    en: 'The early-termination fee is {feeYen} yen, not {expectedFeeYen}. Preview it again before confirming.',
  },
  ALREADY_INVOICED: {
    status: 409,
    ja: '{endMonth}より後の月はすでに請求済みです。先にその請求書を取り消してください。',
    en: 'Months after {endMonth} are already invoiced; void them first.',
  },
  CONTRACT_TERMINATED: { status: 409, ja: 'この契約は解約済みです。', en: 'The contract is terminated.' },
  PACK_MONTH_INVOICED: {
    status: 409,
    ja: '{month}分の請求書は発行済みのため、購入日がこの月のパックは追加できません。購入日を{open}以降にしてください。',
    en: 'The invoice of {month} is issued, so a pack bought in that month cannot be added. Buy it from {open}.',
  },
  END_MONTH_INVOICED: {
    status: 409,
    ja: '{month}分の請求書は発行済みのため、この月を最終月とする解約は確定できません（契約違約金を請求できなくなります）。請求書を取り消してから確定するか、最終月を{next}以降にしてください。',
    en: 'The invoice of {month} is issued, so a termination ending that month cannot be confirmed (its fee could not be billed). Void the invoice first, or end in {next} or later.',
  },

  END_MONTH_BEFORE_USAGE: {
    status: 409,
    ja: '{month}に課金対象の着信があるため、終了月を{end}にはできません。{month}以降を指定してください。',
    en: 'Calls were billed in {month}, so the contract cannot end in {end}. End it in {month} or later.',
  },

  // ── Customers ───────────────────────────────────────────────────────────────────────────────
  INVALID_SINCE: {
    status: 400,
    ja: 'since は ISO 8601 形式の日時で指定してください（例: 2026-11-29T10:00:00Z）。',
    en: 'since must be an ISO 8601 time, e.g. 2026-11-29T10:00:00Z.',
  },
  INVALID_CUSTOMER: { status: 400, ja: '{reason}', en: '{reason}' },
  INVALID_PAGE: {
    status: 400,
    ja: 'ページ指定が正しくありません：{reason}',
    en: 'The page is not valid: {reason}',
  },
  INVALID_PHONE_NUMBER: {
    status: 400,
    ja: '「{number}」は電話番号ではありません。',
    en: '"{number}" is not a phone number.',
  },
  DUPLICATE_EXTERNAL_ID: {
    status: 409,
    ja: '顧客ID「{externalId}」の顧客はすでに存在します。',
    en: 'A customer with external id "{externalId}" already exists.',
  },
  INVALID_PURCHASE: {
    status: 400,
    ja: '購入履歴が正しくありません：{reason}',
    en: 'The purchase is not valid: {reason}',
  },
  INVALID_ADDRESS: { status: 400, ja: '{reason}', en: '{reason}' },
  INVALID_CUSTOM_FIELD: { status: 400, ja: '{reason}', en: '{reason}' },
  INVALID_CUSTOM_FIELD_DEFINITION: { status: 400, ja: '{reason}', en: '{reason}' },
  CUSTOM_FIELD_IN_USE: {
    status: 409,
    ja: '「{label}」にはすでに値を持つ顧客がいるため、種類を変更できません。',
    en: 'Customers already have values for "{label}": its type cannot change.',
  },
  // ── Lookup sources (customers, Integration plan) ─────────────────────────────────────────
  LOOKUP_PLAN_REQUIRED: {
    status: 403,
    ja: '参照先（既存データベースとの連携）は既存DB連携プランでご利用いただけます。',
    en: 'Lookup sources (your own database) are available on the Integration plan.',
  },
  LOOKUP_SOURCE_NAME_TAKEN: {
    status: 409,
    ja: '「{name}」という名前の参照先はすでにあります。別の名前にしてください。',
    en: 'A lookup source named "{name}" already exists.',
  },
  LOOKUP_AUTH_FAILED: {
    status: 502,
    ja: '参照先で認証に失敗しました。APIトークン・アカウント・パスワード（または署名の設定）を確認してください。',
    en: 'The lookup source refused the credentials (API token, account, password or signature).',
  },
  LOOKUP_SOURCE_MISCONFIGURED: {
    status: 502,
    ja: '参照先に指定したアプリ・データベース・レイアウト・項目またはURLが見つかりません。設定を確認してください。',
    en: 'The app, database, layout, field or URL configured for the lookup source was not found.',
  },
  LOOKUP_RATE_LIMITED: {
    status: 502,
    ja: '参照先から「要求が多すぎる」と応答がありました。指定された時間が過ぎるまで問い合わせを止めています。',
    en: 'The lookup source answered 429 (too many requests); it is not asked until its Retry-After has passed.',
  },
  LOOKUP_TIMEOUT: {
    status: 504,
    ja: '参照先から時間内に応答がありませんでした。',
    en: 'The lookup source did not answer in time.',
  },
  LOOKUP_UNREACHABLE: {
    status: 502,
    ja: '参照先に接続できませんでした。URLとネットワークを確認してください。',
    en: 'The lookup source could not be reached.',
  },
  LOOKUP_BAD_ANSWER: {
    status: 502,
    ja: '参照先の応答を読み取れませんでした。応答の形式を確認してください。',
    en: 'The lookup source gave an answer that could not be read.',
  },
  LOOKUP_ADDRESS_REFUSED: {
    status: 400,
    ja: 'このURLには接続できません。社内向け・ループバック・リンクローカルのアドレスや https 以外は使えません。',
    en: 'This URL is refused: private, loopback or link-local addresses and non-https URLs are not allowed.',
  },
  LOOKUP_SOURCE_FAILED: {
    status: 502,
    ja: '参照先がエラーを返しました。',
    en: 'The lookup source answered with an error.',
  },
  LOOKUP_CIRCUIT_OPEN: {
    status: 503,
    ja: '参照先で失敗が続いたため、しばらく問い合わせを止めています。',
    en: 'The lookup source failed repeatedly and is not asked for a while.',
  },
  IMPORT_CONCURRENCY_LIMIT: {
    status: 429,
    ja: '同時に実行できる取込は1テナントあたり{max}件までです。実行中の取込が終わってから、もう一度お試しください。',
    en: 'At most {max} imports run at once per tenant; retry when one has finished.',
  },
  IMPORT_UPLOAD_TIMEOUT: {
    status: 408,
    ja: 'アップロードが{seconds}秒間止まったため中断しました。ファイルをもう一度送ってください。',
    en: 'The upload stalled for {seconds} s and was stopped; send the file again.',
  },
  INVALID_IMPORT_JOB_ID: { status: 400, ja: 'jobId は UUID で指定してください。', en: 'jobId must be a UUID.' },
  IMPORT_JOB_EXISTS: {
    status: 409,
    ja: 'ID {jobId} の取込はすでに存在します。',
    en: 'An import with id {jobId} already exists.',
  },
  IMPORT_INTERRUPTED: {
    status: 409,
    ja: '取込が中断されました。ファイルをもう一度取り込んでください（顧客IDで上書きされるため重複しません）。',
    en: 'The import was interrupted; import the file again (rows upsert on 顧客ID).',
  },
  INVALID_IMPORT_OPTIONS: {
    status: 400,
    ja: '取込の指定が正しくありません：{reason}',
    en: 'The import options are not valid: {reason}',
  },
  CSV_CONTENT_TYPE: {
    status: 415,
    ja: 'CSVファイルそのものを本文として、Content-Type text/csv（または application/octet-stream）で送ってください。',
    en: 'Send the CSV file itself as the body, with Content-Type text/csv (or application/octet-stream).',
  },
  CSV_TOO_LARGE: {
    status: 413,
    ja: '{reason}ファイルを分けて取り込んでください。',
    en: '{reason} Split the file into several imports.',
  },
  CSV_EMPTY: { status: 400, ja: '{reason}', en: '{reason}' },
  CSV_ENCODING: { status: 400, ja: '{reason}', en: '{reason}' },
  CSV_COLUMNS: { status: 400, ja: '{reason}', en: '{reason}' },
  CSV_UNREADABLE: {
    status: 400,
    ja: 'CSVとして読み取れません：{reason}',
    en: 'The file is not readable CSV: {reason}',
  },
  NOTES_NOT_ALLOWED: {
    status: 409,
    ja: 'この着信は迷惑電話リストの番号からのため、メモを書けません。',
    en: 'This call is from a number on the nuisance list (迷惑電話): notes cannot be written.',
  },
  CALL_NOT_FOUND: {
    status: 404,
    ja: '着信 {callId} はこのテナントにありません。',
    en: 'No call {callId} has rung for your tenant.',
  },
  INVALID_INTERACTION: { status: 400, ja: '{reason}', en: '{reason}' },
  REASON_REQUIRED: {
    status: 400,
    ja: '迷惑電話とする理由を入力してください。',
    en: 'Say why the number is a nuisance (迷惑電話の理由).',
  },

  // ── Telephony ───────────────────────────────────────────────────────────────────────────────
  UNKNOWN_KEY: {
    status: 401,
    ja: 'X-Thankstar-Key ヘッダーが有効な署名キーを指していません。管理画面で発行したキー ID を送ってください。',
    en: 'X-Thankstar-Key does not name a valid signing key; send the key id issued in the admin console.',
  },
  SIGNATURE_EXPIRED: {
    status: 401,
    ja: '署名のタイムスタンプが現在時刻から5分以上ずれています。送信のたびに署名してください。',
    en: 'The signature timestamp is more than 5 minutes from now: sign each request when sending it.',
  },
  INVALID_SIGNATURE: {
    status: 401,
    ja: '署名が正しくありません：{reason}',
    en: 'The signature is not valid: {reason}',
  },
  INVALID_BODY: {
    status: 400,
    ja: '着信イベントの内容が正しくありません：{reason}',
    en: 'The call event is not valid: {reason}',
  },
  INVALID_NUMBER: {
    status: 400,
    ja: '{number} は電話番号として使えません。',
    en: '{number} is not a phone number that can be used.',
  },
  OCCURRED_AT_OUT_OF_RANGE: { status: 400, ja: '{reason}', en: '{reason}' },
  LINE_EXISTS: {
    status: 409,
    ja: '回線 {number} はすでに登録されています。',
    en: 'The line {number} is already registered.',
  },
  INVALID_LABEL: { status: 400, ja: '回線の名前は100文字以内です。', en: 'A line label is at most 100 characters.' },
  INVALID_TIME: {
    status: 400,
    ja: '{name} は ISO 8601 形式の日時で指定してください。',
    en: '{name} must be an ISO 8601 time.',
  },
  INVALID_ACCOUNT_SID: {
    status: 400,
    ja: 'Twilio の Account SID は AC に続く32桁の16進数です。',
    en: 'A Twilio Account SID is AC followed by 32 hex digits.',
  },
  INVALID_AUTH_TOKEN: {
    status: 400,
    ja: 'Twilio の Auth Token の形式ではありません。',
    en: 'That does not look like a Twilio auth token.',
  },
  ACCOUNT_TAKEN: {
    status: 409,
    ja: 'この Twilio アカウントは別のテナントに接続されています。',
    en: 'This Twilio account is connected to another tenant.',
  },
  UNKNOWN_ACCOUNT: {
    status: 401,
    ja: 'AccountSid が接続済みの Twilio アカウントを指していません。',
    en: 'AccountSid does not name a connected Twilio account.',
  },
  REGISTRAR_ADDRESS_NOT_ALLOWED: {
    status: 400,
    ja: 'レジストラのアドレス {address} には接続できません (ループバック・プライベート・リンクローカル・マルチキャスト・ドキュメント用などのアドレスは使えません)。PBX のグローバル IP アドレスかホスト名を指定してください。',
    en: 'The registrar address {address} is not allowed (loopback, private, link-local, multicast, documentation…); give the PBX’s public IP address or host name.',
  },
  INVALID_REGISTRAR: { status: 400, ja: '{reason}', en: '{reason}' },
  INVALID_SIP_USER: {
    status: 400,
    ja: 'SIP ユーザーは内線名です（空白なし）。',
    en: 'The SIP user is the extension name, without spaces.',
  },
  INVALID_SIP_PASSWORD: {
    status: 400,
    ja: 'SIP パスワードは1〜128文字です。',
    en: 'The SIP password is 1 to 128 characters.',
  },
  UNSUPPORTED_TRANSPORT: {
    status: 400,
    ja: 'SIP は UDP か TCP で接続します（TLS は使えません）。',
    en: 'The listener speaks SIP over UDP or TCP (no TLS).',
  },
  INVALID_GRACE_PERIOD: {
    status: 400,
    ja: '猶予期間は0〜720の整数（時間）で指定してください。',
    en: 'The grace period is a whole number of hours from 0 to 720.',
  },

  // ── Outbound webhooks (customers) ───────────────────────────────────────────────────────────
  WEBHOOK_URL_INVALID: {
    status: 400,
    ja: '送信先URLは http:// または https:// で始まる正しいURL（2,000文字まで）で指定してください。',
    en: 'The destination must be a valid http:// or https:// URL of at most 2,000 characters.',
  },
  WEBHOOK_DESTINATION_REFUSED: {
    status: 400,
    ja: 'この送信先には送れません（{host} は内部・ループバック・リンクローカル等のアドレスです）。公開されたアドレスを指定してください。',
    en: 'This destination is refused: {host} is a loopback, private, link-local or otherwise non-public address.',
  },
  WEBHOOK_EVENT_TYPES_INVALID: {
    status: 400,
    ja: '通知するイベントを1つ以上、一覧から選んでください（不明: {unknown}）。',
    en: 'Choose at least one event type from the list (unknown: {unknown}).',
  },
  WEBHOOK_ENDPOINT_LIMIT: {
    status: 409,
    ja: '送信先は1テナントあたり{max}件までです。',
    en: 'A tenant can have at most {max} endpoints.',
  },

  // ── Admin UI (the client's own failures, shown like the server's) ─────────────────────────
  NETWORK_ERROR: {
    status: 0,
    ja: 'サーバーに接続できません。ネットワークを確認してもう一度お試しください。',
    en: 'The gateway cannot be reached.',
  },
  BAD_RESPONSE: {
    status: 0,
    ja: 'サーバーから正しい応答がありませんでした（HTTP {status}）。',
    en: 'The gateway answered {status} without a usable body.',
  },
} as const satisfies Record<string, ErrorEntry>;

/** A catalogue key: what a throw site names. Almost always the code on the wire itself. */
export type ErrorCode = keyof typeof errorCatalogue;

/** The stable code clients see for a key (`extensions.code`, REST `code`). */
export function wireCode(key: ErrorCode): string {
  const entry: ErrorEntry = errorCatalogue[key];
  return entry.code ?? key;
}

/**
 * Sentences appended to an error's message without changing its code: the error keeps its
 * meaning for code that branches on it, the reader learns what happened around it.
 */
export const errorNotes = {
  importPartlySaved: {
    ja: '（取込 {jobId}: 先頭の{rows}行は処理・保存済みです。顧客IDで上書きされるため、同じファイルをもう一度取り込んでも問題ありません）',
    en: '(import {jobId}: the first {rows} rows were processed and saved; re-importing the file is safe, rows upsert on 顧客ID)',
  },
} as const satisfies Record<string, Localized>;
export type ErrorNoteKey = keyof typeof errorNotes;
export type ErrorNoteParams<N extends ErrorNoteKey> = {
  readonly [K in TemplateParams<(typeof errorNotes)[N]['ja']>]: ErrorParamValue;
};

/** The `{name}`s of a template, as a union of string literals. */
type TemplateParams<S extends string> = S extends `${string}{${infer P}}${infer Rest}`
  ? P | TemplateParams<Rest>
  : never;

export type ErrorParamName<C extends ErrorCode> = TemplateParams<(typeof errorCatalogue)[C]['ja']>;

/** Words that differ by language (a noun, a reason): each language's message takes its own. */
export interface Localized {
  readonly ja: string;
  readonly en: string;
}
export type ErrorParamValue = string | number | Localized;
export type ErrorParams<C extends ErrorCode> = { readonly [K in ErrorParamName<C>]: ErrorParamValue };
export type ErrorLanguage = 'ja' | 'en';

export function isErrorCode(code: unknown): code is ErrorCode {
  return typeof code === 'string' && Object.hasOwn(errorCatalogue, code);
}

/** The parameter names a template uses, in order of first use. */
export function templateParams(template: string): string[] {
  return [...new Set([...template.matchAll(/\{([A-Za-z][A-Za-z0-9]*)\}/g)].map((m) => m[1] as string))];
}

const isLocalized = (v: unknown): v is Localized =>
  typeof v === 'object' &&
  v !== null &&
  typeof (v as Localized).ja === 'string' &&
  typeof (v as Localized).en === 'string';

/**
 * The message of `code` in `language` with its parameters filled in. Returns undefined when the
 * code is unknown or a parameter is missing, so a caller (the admin UI) can fall back to the
 * text it was given instead of showing a half-filled template.
 */
export function renderErrorMessage(
  code: string,
  language: ErrorLanguage,
  params: Readonly<Record<string, unknown>> = {},
): string | undefined {
  if (!isErrorCode(code)) return undefined;
  return fillTemplate(errorCatalogue[code][language], language, params);
}

/** A note's text in `language`, or undefined when the note or a parameter is unknown. */
export function renderErrorNote(
  note: string,
  language: ErrorLanguage,
  params: Readonly<Record<string, unknown>> = {},
): string | undefined {
  if (!Object.hasOwn(errorNotes, note)) return undefined;
  return fillTemplate(errorNotes[note as ErrorNoteKey][language], language, params);
}

function fillTemplate(
  template: string,
  language: ErrorLanguage,
  params: Readonly<Record<string, unknown>>,
): string | undefined {
  let missing = false;
  const text = template.replace(/\{([A-Za-z][A-Za-z0-9]*)\}/g, (_, name: string) => {
    const v = params[name];
    if (isLocalized(v)) return v[language];
    if (typeof v === 'string' || typeof v === 'number') return String(v);
    missing = true;
    return '';
  });
  return missing ? undefined : text;
}

/**
 * What the filters say for a refusal that is not a DomainError (Nest's HttpException, a body
 * parser's http-error) by HTTP status; the library's own English goes to `messageEn`.
 */
export const httpStatusMessages: Readonly<Record<number, string>> = {
  400: '要求の形式が正しくありません。',
  401: 'サインインが必要です。',
  403: 'この操作は許可されていません。',
  404: '指定されたものが見つかりません。',
  405: 'この方法では要求できません。',
  408: '要求が時間内に届きませんでした。もう一度お試しください。',
  409: '他の操作と競合しました。もう一度お試しください。',
  413: '送信されたデータが大きすぎます。',
  415: 'この形式のデータは受け付けられません。',
  429: 'リクエストが多すぎます。しばらく待ってからもう一度お試しください。',
  503: 'ただいま利用できません。しばらくしてからもう一度お試しください。',
};
export const genericClientErrorJa = '要求を受け付けられませんでした。';

/** What a thing is called in each language, for NOT_FOUND's `{resource}`. */
export const resourceNames = {
  customer: { ja: '顧客', en: 'The customer' },
  interaction: { ja: '対応履歴', en: 'The interaction' },
  number: { ja: '番号', en: 'The number' },
  customField: { ja: 'カスタム項目', en: 'The custom field' },
  plan: { ja: 'プラン', en: 'The plan' },
  planVersion: { ja: 'プランの版', en: 'The plan version' },
  invoice: { ja: '請求書', en: 'The invoice' },
  contract: { ja: '契約', en: 'The contract' },
  user: { ja: 'ユーザー', en: 'The user' },
  ownUser: { ja: 'あなたのユーザー', en: 'Your user' },
  invitation: { ja: '招待', en: 'The invitation' },
  seat: { ja: '登録済みのPC', en: 'The registered PC' },
  tenant: { ja: 'テナント', en: 'The tenant' },
  line: { ja: '回線', en: 'The line' },
  webhookKey: { ja: 'Webhook キー', en: 'The webhook key' },
  webhookEndpoint: { ja: 'Webhook の送信先', en: 'The webhook endpoint' },
  webhookDelivery: { ja: 'Webhook の配信', en: 'The webhook delivery' },
  page: { ja: 'ページ', en: 'The page' },
} as const satisfies Record<string, Localized>;
export type ResourceName = keyof typeof resourceNames;
