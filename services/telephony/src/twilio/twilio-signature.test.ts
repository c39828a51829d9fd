import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isValidTwilioSignature, twilioSignature } from './twilio-signature';

// The worked example of Twilio's request-validation documentation (also in its helper libraries' tests).
const token = '12345';
const url = 'https://mycompany.com/myapp.php?foo=1&bar=2';
const params = {
  CallSid: 'CA1234567890ABCDE',
  Caller: '+14158675309',
  Digits: '1234',
  From: '+14158675309',
  To: '+18005551212',
};
const documented = 'RSOYDt4T1cUTdK1PDd93/VVr8B8=';

describe('Twilio request signature', () => {
  it('reproduces Twilio’s documented signature, whatever the parameter order', () => {
    expect(twilioSignature(token, url, params)).toBe(documented);
    const reversed = Object.fromEntries(Object.entries(params).reverse());
    expect(isValidTwilioSignature(token, url, reversed, documented)).toBe(true);
  });

  it('refuses another token, URL, parameter value, or a missing signature', () => {
    expect(isValidTwilioSignature('54321', url, params, documented)).toBe(false);
    expect(isValidTwilioSignature(token, `${url}&x=1`, params, documented)).toBe(false);
    expect(isValidTwilioSignature(token, url, { ...params, Digits: '9999' }, documented)).toBe(false);
    expect(isValidTwilioSignature(token, url, params, undefined)).toBe(false);
    expect(isValidTwilioSignature(token, url, params, 'short')).toBe(false);
  });

  it('never accepts a signature made for different parameters', () => {
    fc.assert(
      fc.property(fc.dictionary(fc.string({ minLength: 1 }), fc.string()), fc.string(), (p, extra) => {
        const sig = twilioSignature(token, url, p);
        fc.pre(!('Zz' in p));
        expect(isValidTwilioSignature(token, url, { ...p, Zz: extra }, sig)).toBe(false);
      }),
    );
  });
});
