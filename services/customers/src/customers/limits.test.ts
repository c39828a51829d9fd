import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { charCount, checkCount, customerViolations, limitError, limits } from './limits';

describe('customer limits', () => {
  it('names the limit in Japanese for too many tags, and for one tag too long', () => {
    const many = customerViolations({ tags: Array.from({ length: 31 }, (_, i) => `t${i}`) });
    expect(many).toEqual([{ limit: 'tags', max: 30, count: 31, message: 'タグは1件あたり50文字、最大30件までです。' }]);
    const long = customerViolations({ tags: ['あ'.repeat(51)] });
    expect(long.map((v) => [v.limit, v.max])).toEqual([['tags', 50]]);
    const err = limitError(long);
    expect(err.code).toBe('BAD_USER_INPUT');
    expect(err.status).toBe(400);
    expect(err.message).toBe('タグは1件あたり50文字、最大30件までです。');
  });

  it('counts characters, not UTF-16 units: 50 emoji are a valid tag', () => {
    expect(charCount('𠮷'.repeat(50))).toBe(50);
    expect(customerViolations({ tags: ['𠮷'.repeat(50)] })).toEqual([]);
  });

  it('reports every broken limit at once, once per limit', () => {
    const v = customerViolations({
      name: 'x'.repeat(201),
      emails: Array.from({ length: 11 }, (_, i) => `a${i}@example.jp`),
      phones: Array.from({ length: 11 }, (_, i) => ({ number: `0312345${String(i).padStart(3, '0')}` })),
      notes: 'n'.repeat(10_001),
      address: { street: 's'.repeat(201) },
      customFields: [
        { key: 'a', value: 'v'.repeat(1_001) },
        { key: 'b', value: 'w'.repeat(1_001) },
      ],
    });
    expect(v.map((x) => x.limit).sort()).toEqual(
      ['customFieldValue', 'customerNotes', 'emails', 'name', 'phones', 'street'].sort(),
    );
  });

  it('a customer within every limit passes, one past any list limit fails naming it', () => {
    const within = (max: number, count: number) =>
      fc.array(
        fc.string({ minLength: 1, maxLength: max }).filter((s) => s.trim() === s && s !== ''),
        {
          maxLength: count,
        },
      );
    fc.assert(
      fc.property(
        within(limits.tags.max, limits.tags.count),
        within(limits.emails.max, limits.emails.count),
        fc.string({ maxLength: limits.name.max }),
        (tags, emails, name) => {
          expect(customerViolations({ tags, emails, name })).toEqual([]);
        },
      ),
    );
    fc.assert(
      fc.property(
        fc.constantFrom('tags' as const, 'emails' as const),
        fc.integer({ min: 1, max: 50 }),
        (which, extra) => {
          const values = Array.from({ length: limits[which].count + extra }, (_, i) => `v${i}`);
          const v = customerViolations({ [which]: values });
          expect(v).toHaveLength(1);
          expect(v[0]?.limit).toBe(which);
          expect(v[0]?.count).toBe(values.length);
        },
      ),
    );
  });

  it('caps the numbers of a customer and the custom fields of a tenant', () => {
    expect(checkCount('phones', 10)).toBeNull();
    expect(checkCount('phones', 11)?.message).toBe('電話番号は1人あたり最大10件までです。');
    expect(checkCount('customFieldDefinitions', 31)?.message).toBe('独自項目は1テナントあたり最大30件までです。');
  });
});
