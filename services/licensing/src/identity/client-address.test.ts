import { describe, expect, it } from 'vitest';
import { clientAddress } from './client-address';

describe('clientAddress', () => {
  const req = (xff?: string) => ({ ip: '10.0.0.5', headers: xff === undefined ? {} : { 'x-forwarded-for': xff } });

  it('uses the direct peer unless proxies are trusted', () => {
    expect(clientAddress(req('203.0.113.9'), 0)).toBe('10.0.0.5');
  });
  it('takes the entry our nearest proxy appended, not what the client claimed', () => {
    expect(clientAddress(req('1.2.3.4, 203.0.113.9'), 1)).toBe('203.0.113.9');
    expect(clientAddress(req('1.2.3.4, 203.0.113.9, 10.0.0.2'), 2)).toBe('203.0.113.9');
  });
  it('falls back to the peer when the header is missing or too short', () => {
    expect(clientAddress(req(), 1)).toBe('10.0.0.5');
    expect(clientAddress(req('203.0.113.9'), 2)).toBe('10.0.0.5');
  });
});
