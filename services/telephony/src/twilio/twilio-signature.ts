import { createHmac, timingSafeEqual } from 'node:crypto';

export type TwilioParams = Record<string, string | string[] | undefined>;

/**
 * Twilio's request signature: base64 HMAC-SHA1, keyed by the account's auth token, over the
 * full URL Twilio requested followed by every POST parameter sorted by name, name then value.
 */
export function twilioSignature(authToken: string, url: string, params: TwilioParams): string {
  const data = Object.keys(params)
    .sort()
    .map((name) => {
      const value = params[name];
      const values = Array.isArray(value) ? [...value].sort() : [value ?? ''];
      return values.map((v) => `${name}${v}`).join('');
    })
    .join('');
  return createHmac('sha1', authToken)
    .update(url + data, 'utf8')
    .digest('base64');
}

export function isValidTwilioSignature(
  authToken: string,
  url: string,
  params: TwilioParams,
  signature: string | undefined,
): boolean {
  if (!signature) return false;
  const expected = Buffer.from(twilioSignature(authToken, url, params));
  const given = Buffer.from(signature);
  return given.length === expected.length && timingSafeEqual(given, expected);
}
