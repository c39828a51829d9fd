import { liveCloseCodes, MAX_CLOSE_REASON_BYTES } from '@thankstar/contracts';
import { describe, expect, it } from 'vitest';
import { leaseEndClose } from './lease-ends';

describe('leaseEndClose', () => {
  it('closes a revoked PC with SEAT_REVOKED and a Japanese reason, the rest with LEASE_ENDED', () => {
    expect(leaseEndClose('revoked')).toEqual({
      code: liveCloseCodes.SEAT_REVOKED,
      reason: 'SEAT_REVOKED: このPCの登録は取り消されたか、無効です。',
    });
    expect(leaseEndClose('closed')).toEqual({
      code: liveCloseCodes.LEASE_ENDED,
      reason: 'LEASE_TAKEN_OVER: 新しいタブ（接続）に引き継いだため、この接続は終了しました。',
    });
    expect(leaseEndClose('ended-by-admin').code).toBe(liveCloseCodes.LEASE_ENDED);
    expect(leaseEndClose('expired').code).toBe(liveCloseCodes.LEASE_ENDED);
  });

  it('keeps every reason within a close frame', () => {
    for (const r of ['revoked', 'closed', 'ended-by-admin', 'expired'] as const)
      expect(Buffer.byteLength(leaseEndClose(r).reason)).toBeLessThanOrEqual(MAX_CLOSE_REASON_BYTES);
  });
});
