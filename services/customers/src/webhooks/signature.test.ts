import fc from 'fast-check';
import { Webhook } from 'standardwebhooks';
import { describe, expect, it } from 'vitest';
import { newWebhookSecret, signatureOf, signedHeaders } from './signature';

describe('Standard Webhooks signatures', () => {
  it('verify with the reference implementation for any body and id', () => {
    const secret = newWebhookSecret();
    const now = new Date();
    fc.assert(
      fc.property(fc.string(), fc.uuid(), (text, id) => {
        const body = JSON.stringify({ type: 'call.ringing', data: { text } });
        const headers = signedHeaders(secret, id, body, now);
        expect(new Webhook(secret).verify(body, headers)).toEqual(JSON.parse(body));
      }),
      { numRuns: 50 },
    );
  });

  it('change with the body, the id, the timestamp and the secret', () => {
    const secret = newWebhookSecret();
    const base = signatureOf(secret, 'a', 1, '{}');
    expect(signatureOf(secret, 'a', 1, '{} ')).not.toBe(base);
    expect(signatureOf(secret, 'b', 1, '{}')).not.toBe(base);
    expect(signatureOf(secret, 'a', 2, '{}')).not.toBe(base);
    expect(signatureOf(newWebhookSecret(), 'a', 1, '{}')).not.toBe(base);
    expect(base).toMatch(/^v1,[A-Za-z0-9+/]+=*$/);
  });

  it('makes secrets in the whsec_ form, never the same twice', () => {
    const a = newWebhookSecret();
    expect(a).toMatch(/^whsec_[A-Za-z0-9+/]{32}$/);
    expect(newWebhookSecret()).not.toBe(a);
  });
});
