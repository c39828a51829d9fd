import { describe, expect, it } from 'vitest';
import { digestAuthorization } from './sip-digest';

describe('digest authorization', () => {
  it('reproduces the RFC 2617 §3.5 example response', () => {
    const header = digestAuthorization({
      challenge:
        'Digest realm="testrealm@host.com", qop="auth,auth-int", nonce="dcd98b7102dd2f0e8b11d0f600bfb0c093", opaque="5ccc069c403ebaf9f0171e9517f40e41"',
      method: 'GET',
      uri: '/dir/index.html',
      username: 'Mufasa',
      password: 'Circle Of Life',
      cnonce: '0a4f113b',
    });
    expect(header).toContain('response="6629fae49393a05397450978507c4ef1"');
    expect(header).toContain('qop=auth, nc=00000001, cnonce="0a4f113b"');
    expect(header).toContain('opaque="5ccc069c403ebaf9f0171e9517f40e41"');
  });

  it('refuses an algorithm it cannot compute', () => {
    expect(() =>
      digestAuthorization({
        challenge: 'Digest realm="r", nonce="n", algorithm=SHA-256',
        method: 'REGISTER',
        uri: 'sip:pbx',
        username: 'u',
        password: 'p',
      }),
    ).toThrow(/SHA-256/);
  });
});
