import { describe, expect, it } from 'vitest';
import { bearerToken } from './bearer-token';

describe('bearerToken', () => {
  it('takes the token of a Bearer value, any case', () => {
    expect(bearerToken('Bearer abc.def.ghi')).toBe('abc.def.ghi');
    expect(bearerToken('bearer  xyz ')).toBe('xyz');
  });
  it('refuses anything else', () => {
    for (const value of [undefined, null, 42, '', 'Bearer', 'Basic abc', 'abc', 'Bearer a b']) {
      expect(bearerToken(value)).toBeUndefined();
    }
  });
});
