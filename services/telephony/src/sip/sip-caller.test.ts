import { describe, expect, it } from 'vitest';
import { calledOfInvite, callerOfInvite } from './sip-caller';
import { parseSipMessage, type SipRequest } from './sip-message';

const invite = (...headers: string[]) =>
  parseSipMessage(
    ['INVITE sip:thankstar@pbx SIP/2.0', 'Call-ID: 1', 'CSeq: 1 INVITE', ...headers, '', ''].join('\r\n'),
  ) as SipRequest;

describe('the caller of an INVITE', () => {
  it('prefers P-Asserted-Identity over From', () => {
    const caller = callerOfInvite(
      invite(
        'From: <sip:201@pbx>;tag=1',
        'P-Asserted-Identity: "Yamada" <sip:09011112222@carrier>',
        'To: <sip:0312345678@pbx>',
      ),
    );
    expect(caller).toMatchObject({ raw: '09011112222', e164: '+819011112222', display: '090-1111-2222' });
  });

  it('falls back to From, and reads tel: URIs', () => {
    expect(callerOfInvite(invite('From: <sip:0451234567@pbx>;tag=1')).display).toBe('045-123-4567');
    expect(callerOfInvite(invite('From: <sip:x@pbx>;tag=1', 'P-Asserted-Identity: <tel:+81312345678>')).e164).toBe(
      '+81312345678',
    );
  });

  it('treats anonymous as withheld', () => {
    expect(callerOfInvite(invite('From: "Anonymous" <sip:anonymous@anonymous.invalid>;tag=1'))).toEqual({
      raw: 'anonymous',
      e164: null,
      display: null,
      valid: false,
      withheldReason: 'WITHHELD',
    });
  });

  it('keeps a caller that is not a number raw, flagged', () => {
    expect(callerOfInvite(invite('From: <sip:reception@pbx>;tag=1'))).toEqual({
      raw: 'reception',
      e164: null,
      display: null,
      valid: false,
      withheldReason: null,
    });
  });

  it('reads the called number from P-Called-Party-ID, else To', () => {
    expect(calledOfInvite(invite('To: <sip:201@pbx>', 'P-Called-Party-ID: <sip:0312345678@pbx>')).e164).toBe(
      '+81312345678',
    );
    expect(calledOfInvite(invite('To: <sip:0612345678@pbx>')).display).toBe('06-1234-5678');
  });
});
