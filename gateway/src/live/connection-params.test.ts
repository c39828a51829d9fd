import { describe, expect, it } from 'vitest';
import { parseConnectionParams } from './connection-params';

describe('parseConnectionParams', () => {
  it('reads deviceKind and label', () => {
    expect(parseConnectionParams({ authorization: 'Bearer t', deviceKind: 'mobile', label: ' iPad ' })).toEqual({
      ok: true,
      value: { authorization: 'Bearer t', deviceKind: 'mobile', label: 'iPad' },
    });
  });
  it('counts a client that does not say what it is as web', () => {
    expect(parseConnectionParams({ authorization: 'Bearer t' })).toMatchObject({
      ok: true,
      value: { deviceKind: 'web', label: 'Web browser' },
    });
  });
  it('refuses an unknown kind or a bad label', () => {
    expect(parseConnectionParams({ deviceKind: 'fridge' }).ok).toBe(false);
    expect(parseConnectionParams({ deviceKind: 'web', label: '' }).ok).toBe(false);
    expect(parseConnectionParams({ deviceKind: 'web', label: 'x'.repeat(101) }).ok).toBe(false);
    expect(parseConnectionParams({ deviceKind: 'web', label: 42 }).ok).toBe(false);
  });
  it('makes a desktop client send its device credential, and keeps it', () => {
    expect(parseConnectionParams({ deviceKind: 'desktop' }).ok).toBe(false);
    expect(parseConnectionParams({ deviceKind: 'desktop', deviceCredential: '' }).ok).toBe(false);
    // A typed device id no longer admits a desktop: it is not a credential.
    expect(parseConnectionParams({ deviceKind: 'desktop', deviceId: 'PC-01' }).ok).toBe(false);
    expect(parseConnectionParams({ deviceKind: 'desktop', deviceCredential: 'c'.repeat(43) })).toMatchObject({
      ok: true,
      value: { deviceKind: 'desktop', deviceCredential: 'c'.repeat(43) },
    });
  });
});
