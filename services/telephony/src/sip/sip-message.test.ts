import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  header,
  paramOf,
  parseSipMessage,
  SipParseError,
  type SipRequest,
  uriOf,
  userOf,
  writeResponse,
} from './sip-message';

const invite = [
  'INVITE sip:thankstar@192.0.2.10:5062 SIP/2.0',
  'Via: SIP/2.0/UDP 192.0.2.1:5060;branch=z9hG4bK776asdhds, SIP/2.0/UDP 192.0.2.2;branch=z9hG4bKabc',
  'f: "Yamada" <sip:09011112222@pbx.example>;tag=1928301774',
  'To: <sip:201@pbx.example>',
  'i: a84b4c76e66710@pbx.example',
  'CSeq: 314159 INVITE',
  'Subject: folded',
  '  header',
  'Content-Type: application/sdp',
  'Content-Length: 4',
  '',
  'v=0\r\nignored',
].join('\r\n');

describe('SIP messages', () => {
  it('reads a request: compact names, folded lines, Via lists, body by Content-Length', () => {
    const message = parseSipMessage(invite) as SipRequest;
    expect(message).toMatchObject({
      kind: 'request',
      method: 'INVITE',
      uri: 'sip:thankstar@192.0.2.10:5062',
      body: 'v=0\r',
    });
    expect(message.headers.get('via')).toHaveLength(2);
    expect(header(message, 'From')).toBe('"Yamada" <sip:09011112222@pbx.example>;tag=1928301774');
    expect(header(message, 'call-id')).toBe('a84b4c76e66710@pbx.example');
    expect(header(message, 'subject')).toBe('folded header');
  });

  it('reads a response', () => {
    const message = parseSipMessage(
      'SIP/2.0 401 Unauthorized\r\nCSeq: 1 REGISTER\r\nWWW-Authenticate: Digest realm="pbx", nonce="abc"\r\n\r\n',
    );
    expect(message).toMatchObject({ kind: 'response', status: 401, reason: 'Unauthorized' });
    expect(
      paramOf(`x;${header(message, 'www-authenticate')?.replace('Digest ', '').replace(', ', ';')}`, 'nonce'),
    ).toBe('abc');
  });

  it('answers with the request’s Via, From, Call-ID and CSeq, and a To tag', () => {
    const request = parseSipMessage(invite) as SipRequest;
    const response = parseSipMessage(writeResponse(request, 180, 'Ringing', { toTag: 'xyz' }));
    expect(response).toMatchObject({ kind: 'response', status: 180, reason: 'Ringing' });
    expect(response.headers.get('via')).toEqual(request.headers.get('via'));
    expect(header(response, 'to')).toBe('<sip:201@pbx.example>;tag=xyz');
    expect(header(response, 'cseq')).toBe('314159 INVITE');
    expect(header(response, 'content-length')).toBe('0');
  });

  it('takes URIs and users out of name-addrs', () => {
    expect(uriOf('"A, B" <sip:0312345678@pbx;user=phone>;tag=1')).toBe('sip:0312345678@pbx;user=phone');
    expect(userOf('sip:0312345678@pbx;user=phone')).toBe('0312345678');
    expect(userOf('tel:+81-3-1234-5678;phone-context=x')).toBe('+81-3-1234-5678');
    expect(userOf('sip:%2B81312345678@pbx')).toBe('+81312345678');
    expect(userOf('sip:pbx.example')).toBeNull();
  });

  it('refuses what is not SIP with its own error, never anything else', () => {
    fc.assert(
      fc.property(fc.string(), (text) => {
        try {
          parseSipMessage(text);
        } catch (error) {
          expect(error).toBeInstanceOf(SipParseError);
        }
      }),
    );
  });
});
