import { describe, expect, it } from 'vitest';
import { interactionUpdateOf } from './interaction-update';

describe('interactionUpdateOf', () => {
  it('names the kind as the GraphQL enum does and keeps the rest', () => {
    const payload = {
      kind: 'profile-corrected' as const,
      interactionId: null,
      callId: 'c-1',
      popupId: null,
      customerId: null,
      by: { userId: 'u-1', name: '佐藤' },
      notes: null,
      outcome: null,
      followUpOn: null,
      followUpAssigneeId: null,
      handledBy: [],
      customer: null,
      at: '2026-11-29T10:00:00+09:00',
    };
    expect(interactionUpdateOf(payload)).toEqual({ ...payload, kind: 'PROFILE_CORRECTED' });
    expect(interactionUpdateOf({ ...payload, kind: 'taken' }).kind).toBe('TAKEN');
  });
});
