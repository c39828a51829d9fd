import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { REDACTED, redact, redactText } from './redact';

describe('redact', () => {
  it('replaces values under secret-looking keys at any depth and keeps the rest', () => {
    const out = redact({
      tenantId: 't1',
      callId: 'c1',
      password: 'hunter2',
      nested: {
        webhookSecret: 's3cret',
        headers: { authorization: 'Bearer abc.def.ghi', 'x-thankstar-key': 'demo-key-1' },
      },
      list: [{ accessToken: 'tok' }],
    });
    expect(out).toEqual({
      tenantId: 't1',
      callId: 'c1',
      password: REDACTED,
      nested: { webhookSecret: REDACTED, headers: { authorization: REDACTED, 'x-thankstar-key': 'demo-key-1' } },
      list: [{ accessToken: REDACTED }],
    });
  });

  it('masks bearer tokens, JWTs, webhook signatures and database passwords inside text', () => {
    const text = redactText(
      'auth Bearer eyJhbGciOiJFUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.sig sig t=1700000000,v1=9f86d081884c7d659a2feaa0c55ad015 db postgres://app:pa55word@db:5432/x',
    );
    expect(text).not.toContain('eyJhbGciOiJFUzI1NiJ9');
    expect(text).not.toContain('9f86d081884c7d659a2feaa0c55ad015');
    expect(text).not.toContain('pa55word');
    expect(text).toContain('postgres://app:[redacted]@db:5432/x');
    expect(text).toContain('t=1700000000');
  });

  it('never lets a value under a secret key through, whatever the value', () => {
    const secretKeys = fc.constantFrom('password', 'secret', 'LICENSING_KEY_SECRET', 'token', 'apiKey', 'signature');
    fc.assert(
      fc.property(secretKeys, fc.string({ minLength: 1 }), fc.string(), (key, secret, other) => {
        const line = JSON.stringify(redact({ msg: other, fields: { [key]: secret } }));
        expect(JSON.parse(line).fields[key]).toBe(REDACTED);
      }),
    );
  });

  it('keeps an error readable without its stack', () => {
    expect(redact(new Error('token Bearer abcdefgh rejected'))).toEqual({
      name: 'Error',
      message: `token ${REDACTED} rejected`,
    });
  });
});
