import { describe, expect, it } from 'vitest';
import { customFieldFormValues, customFieldInputs, searchOf, sortOf, splitList } from './customerForm';

describe('customers search box', () => {
  it('searches numbers in any format by phone', () => {
    expect(searchOf({ q: '03-1234-5678' })).toEqual({ phone: '03-1234-5678' });
    expect(searchOf({ q: '+81 3 1234 5678' })).toEqual({ phone: '+81 3 1234 5678' });
    // Full-width digits typed with a Japanese IME
    expect(searchOf({ q: '０９０１１１１２２２２' })).toEqual({ phone: '09011112222' });
  });

  it('searches part of a number from 4 digits on', () => {
    expect(searchOf({ q: '1111' })).toEqual({ phone: '1111' });
    expect(searchOf({ q: '090-1111' })).toEqual({ phone: '090-1111' });
    expect(searchOf({ q: '111' })).toEqual({ text: '111' });
  });

  it('searches names, kana and companies by text', () => {
    expect(searchOf({ q: '山田' })).toEqual({ text: '山田' });
    expect(searchOf({ q: 'ヤマダ' })).toEqual({ text: 'ヤマダ' });
    expect(searchOf({ q: '株式会社3' })).toEqual({ text: '株式会社3' });
    expect(searchOf({ q: '  ' })).toEqual({});
    expect(searchOf({ q: '7', tag: 'VIP' })).toEqual({ text: '7', tag: 'VIP' });
  });

  it('sorts by kana or by last update', () => {
    expect(sortOf({ field: 'nameKana', order: 'ASC' })).toBe('KANA_ASC');
    expect(sortOf({ field: 'nameKana', order: 'DESC' })).toBe('KANA_DESC');
    expect(sortOf({ field: 'updatedAt', order: 'DESC' })).toBe('UPDATED_DESC');
    expect(sortOf(undefined)).toBe('KANA_ASC');
  });
});

describe('custom fields in the customer form', () => {
  const types = { rank: 'SELECT', visits: 'NUMBER', vip: 'BOOLEAN', hobbies: 'MULTI_SELECT', since: 'DATE' } as const;

  it('round-trips values through the form', () => {
    const record = {
      emails: [],
      tags: [],
      customFields: [
        { key: 'rank', type: 'SELECT' as const, values: ['ゴールド'] },
        { key: 'visits', type: 'NUMBER' as const, values: ['12'] },
        { key: 'vip', type: 'BOOLEAN' as const, values: ['false'] },
        { key: 'hobbies', type: 'MULTI_SELECT' as const, values: ['釣り', '囲碁'] },
      ],
    };
    const form = customFieldFormValues(record);
    expect(form).toEqual({ rank: 'ゴールド', visits: 12, vip: false, hobbies: ['釣り', '囲碁'] });
    expect(customFieldInputs(form, { ...types })).toEqual([
      { key: 'rank', value: 'ゴールド' },
      { key: 'visits', value: '12' },
      { key: 'vip', value: 'false' },
      { key: 'hobbies', values: ['釣り', '囲碁'] },
    ]);
  });

  it('clears emptied fields and ignores keys that are no longer defined', () => {
    expect(customFieldInputs({ since: '', rank: null, gone: 'x', hobbies: null }, { ...types })).toEqual([
      { key: 'since', value: null },
      { key: 'rank', value: null },
      { key: 'hobbies', values: [] },
    ]);
  });

  it('splits lists on commas and ideographic commas', () => {
    expect(splitList('VIP、法人, 要折返し\n')).toEqual(['VIP', '法人', '要折返し']);
    expect(splitList(null)).toEqual([]);
  });
});
