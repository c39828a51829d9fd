import { describe, expect, it } from 'vitest';
import { liveCloseCodes, MAX_CLOSE_REASON_BYTES, USER_DISABLED_REASON } from './live-close-codes';

describe('live socket close codes', () => {
  it('are distinct application codes (4000-4999), so a client can tell every reason apart', () => {
    const codes = Object.values(liveCloseCodes);
    expect(new Set(codes).size).toBe(codes.length);
    for (const code of codes) expect(code >= 4000 && code <= 4999).toBe(true);
  });

  it('a disabled user gets a reason that fits a close frame and starts with its code', () => {
    expect(Buffer.byteLength(USER_DISABLED_REASON, 'utf8')).toBeLessThanOrEqual(MAX_CLOSE_REASON_BYTES);
    expect(USER_DISABLED_REASON.startsWith('USER_DISABLED:')).toBe(true);
  });
});
