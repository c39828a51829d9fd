import { describe, expect, it } from 'vitest';
import { sessionPayloadSchema } from './licensing';

describe('licensing.sessions.v1 payloads', () => {
  const leaseId = '6f1c2f4e-6f0a-4f3b-9a57-2a8d1b1c0d11';
  const userId = '0b7a4c1e-2d3f-4e5a-8b6c-7d8e9f0a1b2c';

  it('still accepts a disconnect without deviceKind (events written before desktop leases)', () => {
    const old = { kind: 'disconnected', leaseId, userId, reason: 'expired', at: '2026-04-16T22:00:00+09:00' };
    expect(sessionPayloadSchema.parse(old)).toEqual(old);
  });

  it('accepts desktop presence and refuses an unknown client kind', () => {
    const desktop = { kind: 'connected', leaseId, userId, deviceKind: 'desktop', at: '2026-04-16T20:30:00+09:00' };
    expect(sessionPayloadSchema.parse(desktop)).toEqual(desktop);
    expect(sessionPayloadSchema.safeParse({ ...desktop, deviceKind: 'fax' }).success).toBe(false);
    const end = { kind: 'disconnected', leaseId, userId, reason: 'closed', deviceKind: 'desktop', at: desktop.at };
    expect(sessionPayloadSchema.parse(end)).toEqual(end);
  });
});
