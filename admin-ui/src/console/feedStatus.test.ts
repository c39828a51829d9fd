import { describe, expect, it } from 'vitest';
import { statusChange } from './feedStatus';

const limit = {
  code: 4415,
  reason: JSON.stringify({ code: 'CONNECTION_LIMIT_REACHED', capacity: 1, holders: ['PC / 佐藤'] }),
};

describe('statusChange', () => {
  it('keeps the refusal of a refused connection, for the banner', () => {
    const s = statusChange('refused', limit);
    expect(s.status).toBe('refused');
    expect(s.refusal?.code).toBe('CONNECTION_LIMIT_REACHED');
    expect(s.refusal?.holders).toEqual([{ label: 'PC / 佐藤', since: null }]);
  });

  it('clears the refusal once the connection is back (retry: connecting, then live)', () => {
    for (const status of ['connecting', 'live', 'reconnecting'] as const) {
      expect(statusChange(status, null)).toEqual({ status, refusal: null });
    }
    // Even a status change that comes with a close frame (reconnecting after a drop) has no refusal.
    expect(statusChange('reconnecting', { code: 1006, reason: '' }).refusal).toBeNull();
  });

  it('keeps why a connection ended for good', () => {
    expect(statusChange('ended', { code: 4416, reason: 'SEAT_REVOKED: 取り消されました' }).refusal?.code).toBe(
      'SEAT_REVOKED',
    );
  });
});
