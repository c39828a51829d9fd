import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseAllowedCidrs, registrarAddressVerdict } from './registrar-address';

const verdict = (address: string, allowed?: string) => registrarAddressVerdict(address, parseAllowedCidrs(allowed));

describe('registrarAddressVerdict', () => {
  it.each([
    ['127.0.0.1', 'loopback'],
    ['127.255.255.254', 'loopback'],
    ['0.0.0.0', 'unspecified'],
    ['10.1.2.3', 'private'],
    ['172.16.0.1', 'private'],
    ['172.31.255.255', 'private'],
    ['192.168.1.1', 'private'],
    ['100.64.0.1', 'private'],
    ['169.254.169.254', 'link-local'],
    ['224.0.0.1', 'multicast'],
    ['239.255.255.250', 'multicast'],
    ['255.255.255.255', 'reserved'],
    ['192.0.2.10', 'documentation'],
    ['198.51.100.7', 'documentation'],
    ['203.0.113.200', 'documentation'],
    ['::', 'unspecified'],
    ['::1', 'loopback'],
    ['0:0:0:0:0:0:0:1', 'loopback'],
    ['fe80::1', 'link-local'],
    ['fe80::1%eth0', 'link-local'],
    ['fd12:3456::1', 'private'],
    ['fc00::1', 'private'],
    ['ff02::1', 'multicast'],
    ['2001:db8::5', 'documentation'],
    ['::ffff:127.0.0.1', 'loopback'],
    ['::ffff:7f00:1', 'loopback'],
    ['0:0:0:0:0:ffff:7f00:1', 'loopback'],
    ['::FFFF:10.0.0.1', 'private'],
    ['::ffff:169.254.169.254', 'link-local'],
    ['::ffff:0:192.168.0.1', 'private'],
    ['64:ff9b::10.0.0.1', 'private'],
    ['::127.0.0.1', 'reserved'],
  ])('refuses %s (%s)', (address, reason) => {
    expect(verdict(address)).toEqual({ allowed: false, reason });
  });

  it.each([
    ['8.8.8.8'],
    ['203.0.114.1'],
    ['172.32.0.1'],
    ['100.128.0.1'],
    ['2400:4050::1'],
    ['::ffff:8.8.8.8'],
    ['64:ff9b::8.8.8.8'],
  ])('allows the public unicast address %s', (address) => {
    expect(verdict(address)).toEqual({ allowed: true });
  });

  it('refuses what is not an IP address', () => {
    expect(verdict('pbx.example.jp')).toEqual({ allowed: false, reason: 'not-an-ip' });
    expect(verdict('127.1')).toEqual({ allowed: false, reason: 'not-an-ip' });
  });

  it('allows the ranges the platform configures, and only those', () => {
    expect(verdict('127.0.0.1', '127.0.0.1/32')).toEqual({ allowed: true });
    expect(verdict('::ffff:127.0.0.1', '127.0.0.1/32')).toEqual({ allowed: true });
    expect(verdict('127.0.0.2', '127.0.0.1/32')).toMatchObject({ allowed: false });
    expect(verdict('10.20.3.4', ' 10.20.0.0/16 , fd00::/8')).toEqual({ allowed: true });
    expect(verdict('fd00::7', '10.20.0.0/16,fd00::/8')).toEqual({ allowed: true });
    expect(verdict('10.21.0.1', '10.20.0.0/16')).toMatchObject({ allowed: false, reason: 'private' });
  });

  it('stops on a malformed allow list rather than allowing something else', () => {
    expect(() => parseAllowedCidrs('127.0.0.1/33')).toThrow(/SIP_ALLOWED_CONTACT_CIDRS/);
    expect(() => parseAllowedCidrs('localhost')).toThrow(/SIP_ALLOWED_CONTACT_CIDRS/);
  });

  it('judges an IPv4 address and its IPv4-mapped IPv6 forms alike', () => {
    fc.assert(
      fc.property(fc.ipV4(), (v4) => {
        const [a, b, c, d] = v4.split('.').map(Number) as [number, number, number, number];
        const hex = `${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
        const expected = verdict(v4);
        expect(verdict(`::ffff:${v4}`)).toEqual(expected);
        expect(verdict(`::ffff:${hex}`)).toEqual(expected);
        expect(verdict(`0:0:0:0:0:ffff:${hex}`)).toEqual(expected);
      }),
      { numRuns: 2_000 },
    );
  });

  it('refuses every address of the loopback and RFC 1918 ranges', () => {
    const octet = fc.integer({ min: 0, max: 255 });
    fc.assert(
      fc.property(
        fc.constantFrom('127', '10', '172.16', '172.31', '192.168'),
        octet,
        octet,
        octet,
        (prefix, x, y, z) => {
          const address = [...prefix.split('.'), x, y, z].slice(0, 4).join('.');
          expect(verdict(address).allowed).toBe(false);
        },
      ),
    );
  });
});
