import { describe, expect, it } from 'vitest';
import { phoneProblem } from './phoneRule';

describe('phoneProblem', () => {
  it('accepts numbers as operators type them, full-width included', () => {
    for (const n of [
      '090-1234-5678',
      '03 1234 5678',
      '(03)1234-5678',
      '+81 90 1234 5678',
      '０３－１２３４－５６７８',
    ]) {
      expect(phoneProblem(n), n).toBeNull();
    }
  });

  it('names what is wrong with a number the service would refuse', () => {
    expect(phoneProblem('  ')).toBe('required');
    expect(phoneProblem('abc')).toBe('notANumber');
    expect(phoneProblem('03-1234-567８ 内線')).toBe('notANumber');
    expect(phoneProblem('12-34')).toBe('tooShort');
    expect(phoneProblem('1234567890123456')).toBe('tooLong');
  });

  it('refuses what the customers service refuses: 12345, abc-123, a number without its trunk 0', () => {
    expect(phoneProblem('12345')).toBe('tooShort');
    expect(phoneProblem('abc-123')).toBe('notANumber');
    expect(phoneProblem('090-1234-56789')).toBe('tooLong');
    expect(phoneProblem('3123456789')).toBe('notANumber');
    expect(phoneProblem('+81 3')).toBe('tooShort');
    expect(phoneProblem('+1 202 555 0100')).toBeNull();
  });
});
