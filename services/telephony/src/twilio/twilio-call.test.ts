import { describe, expect, it } from 'vitest';
import { callEventOfTwilio } from './twilio-call';

const now = new Date('2026-11-29T01:00:00Z');
const base = {
  CallSid: 'CA0001',
  AccountSid: 'AC0001',
  From: '+819011112222',
  To: '+81312345678',
  CallStatus: 'ringing',
};

describe('callEventOfTwilio', () => {
  it.each([
    ['ringing', 'ringing'],
    ['in-progress', 'answered'],
    ['completed', 'ended'],
    ['no-answer', 'missed'],
    ['busy', 'missed'],
    ['canceled', 'missed'],
  ])('CallStatus %s is %s', (status, kind) => {
    const result = callEventOfTwilio({ ...base, CallStatus: status }, now);
    expect(result.ok && result.event.kind).toBe(kind);
  });

  it('refuses a CallSid Postgres could not store', () => {
    expect(callEventOfTwilio({ ...base, CallSid: 'CA\u00001' }, now)).toEqual({
      ok: false,
      message: { ja: 'CallSid が Twilio の通話 ID ではありません。', en: 'CallSid is not a Twilio call id.' },
    });
  });

  it('reads numbers and the callback timestamp', () => {
    const result = callEventOfTwilio({ ...base, Timestamp: 'Sun, 29 Nov 2026 01:02:03 +0000' }, now);
    expect(result.ok && result.event).toMatchObject({
      callId: 'CA0001',
      from: { e164: '+819011112222', display: '090-1111-2222' },
      to: { display: '03-1234-5678' },
      occurredAt: new Date('2026-11-29T01:02:03Z'),
    });
    const first = callEventOfTwilio(base, now);
    expect(first.ok && first.event.occurredAt).toEqual(now);
  });

  it.each(['Anonymous', 'Restricted', '+266696687'])('%s is a withheld caller, raw kept', (raw) => {
    const result = callEventOfTwilio({ ...base, From: raw }, now);
    expect(result.ok && result.event.from).toEqual({
      raw,
      e164: null,
      display: null,
      valid: false,
      withheldReason: 'WITHHELD',
    });
  });

  it('refuses a request without CallSid, with an unknown status or a non-number', () => {
    expect(callEventOfTwilio({ ...base, CallSid: undefined }, now).ok).toBe(false);
    expect(callEventOfTwilio({ ...base, CallStatus: 'exploded' }, now).ok).toBe(false);
    expect(callEventOfTwilio({ ...base, To: 'client:alice' }, now).ok).toBe(false);
  });
});
