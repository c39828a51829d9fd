import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { checkWebhookSignature, signWebhook } from './webhook-signature';

const body = Buffer.from('{"callId":"c1","event":"ringing"}');
const now = 1_800_000_000;

describe('webhook signature', () => {
  it('accepts its own signature inside the window', () => {
    const header = signWebhook('s3cret', body, now - 299);
    expect(checkWebhookSignature({ header, rawBody: body, secrets: ['s3cret'], nowSeconds: now })).toBe('VALID');
  });

  it('accepts either of two active secrets (rotation)', () => {
    const header = signWebhook('old', body, now);
    expect(checkWebhookSignature({ header, rawBody: body, secrets: ['new', 'old'], nowSeconds: now })).toBe('VALID');
  });

  it('refuses a stale or future timestamp as expired', () => {
    for (const t of [now - 301, now + 301]) {
      const header = signWebhook('s3cret', body, t);
      expect(checkWebhookSignature({ header, rawBody: body, secrets: ['s3cret'], nowSeconds: now })).toBe(
        'SIGNATURE_EXPIRED',
      );
    }
  });

  it('refuses a wrong secret, a changed body, a changed timestamp, a missing or garbled header', () => {
    const header = signWebhook('s3cret', body, now);
    const check = (h: string | undefined, raw = body, secrets = ['s3cret']) =>
      checkWebhookSignature({ header: h, rawBody: raw, secrets, nowSeconds: now });
    expect(check(header, body, ['other'])).toBe('INVALID_SIGNATURE');
    expect(check(header, Buffer.from(`${body} `))).toBe('INVALID_SIGNATURE');
    expect(check(header.replace(`t=${now}`, `t=${now - 1}`))).toBe('INVALID_SIGNATURE');
    expect(check(undefined)).toBe('INVALID_SIGNATURE');
    expect(check('v1=zz')).toBe('INVALID_SIGNATURE');
    expect(check(`t=${now}`)).toBe('INVALID_SIGNATURE');
    expect(check(header, body, [])).toBe('INVALID_SIGNATURE');
  });

  it('never validates a signature made for any other body', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 200 }), fc.uint8Array({ maxLength: 200 }), (a, b) => {
        fc.pre(Buffer.compare(Buffer.from(a), Buffer.from(b)) !== 0);
        const header = signWebhook('k', Buffer.from(a), now);
        expect(checkWebhookSignature({ header, rawBody: Buffer.from(b), secrets: ['k'], nowSeconds: now })).toBe(
          'INVALID_SIGNATURE',
        );
      }),
    );
  });

  it('never throws on any header', () => {
    fc.assert(
      fc.property(fc.string(), (header) => {
        expect(['INVALID_SIGNATURE', 'SIGNATURE_EXPIRED', 'VALID']).toContain(
          checkWebhookSignature({ header, rawBody: body, secrets: ['k'], nowSeconds: now }),
        );
      }),
    );
  });
});
