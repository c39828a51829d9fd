import type { CallEventPayload } from '@thankstar/contracts';
import { describe, expect, it } from 'vitest';
import { callUpdateOf } from './call-update';

const number = { raw: '0312345678', e164: '+81312345678', display: '03-1234-5678', valid: true, withheldReason: null };
const payload = (event: CallEventPayload['event']): CallEventPayload => ({
  callId: 'c-1',
  event,
  from: number,
  to: number,
  source: 'webhook',
  at: '2026-11-29T10:00:00+09:00',
  operatorId: 'op-1',
});

describe('callUpdateOf', () => {
  it('turns answered/ended/transferred/missed into updates', () => {
    expect(callUpdateOf(payload('answered'))).toEqual({
      callId: 'c-1',
      event: 'ANSWERED',
      at: '2026-11-29T10:00:00+09:00',
      operatorId: 'op-1',
      extension: null,
      lineLabel: null,
    });
    expect(callUpdateOf(payload('transferred'))?.event).toBe('TRANSFERRED');
    expect(callUpdateOf(payload('ended'))?.event).toBe('ENDED');
    expect(callUpdateOf(payload('missed'))?.event).toBe('MISSED');
  });
  it('leaves ringing to the popup', () => {
    expect(callUpdateOf(payload('ringing'))).toBeUndefined();
  });
});
