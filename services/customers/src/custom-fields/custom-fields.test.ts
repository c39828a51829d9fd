import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { checkDefinition } from './definition';
import { applyCustomFields, type CustomFieldDefinition } from './validate';

const defs: CustomFieldDefinition[] = [
  { key: 'rank', label: '会員ランク', type: 'SELECT', options: ['ゴールド', 'シルバー'], required: true },
  { key: 'interests', label: '興味', type: 'MULTI_SELECT', options: ['洗剤', 'モップ', '手袋'], required: false },
  { key: 'visits', label: '来店回数', type: 'NUMBER', options: [], required: false },
  { key: 'birthday', label: '誕生日', type: 'DATE', options: [], required: false },
  { key: 'dm', label: 'DM可', type: 'BOOLEAN', options: [], required: false },
  { key: 'memo', label: '備考', type: 'TEXT', options: [], required: false },
];

describe('applyCustomFields', () => {
  it('parses each type from text as a form or a CSV cell sends it', () => {
    const r = applyCustomFields(
      defs,
      {},
      {
        rank: 'ゴールド',
        interests: '洗剤;モップ、洗剤',
        visits: '1,200',
        birthday: '1980/4/1',
        dm: 'はい',
        memo: '  紹介: 田中様 ',
      },
    );
    expect(r.problems).toEqual([]);
    expect(r.values).toEqual({
      rank: 'ゴールド',
      interests: ['洗剤', 'モップ'],
      visits: 1200,
      birthday: '1980-04-01',
      dm: true,
      memo: '紹介: 田中様',
    });
  });

  it('reports every problem at once: unknown key, bad values, missing required', () => {
    const r = applyCustomFields(
      defs,
      {},
      { nope: 'x', visits: 'many', birthday: '2026-02-30', interests: ['靴'], dm: 'maybe' },
    );
    expect(r.problems.map((p) => p.key).sort()).toEqual(['birthday', 'dm', 'interests', 'nope', 'rank', 'visits']);
  });

  it('merges over existing values and clears with null', () => {
    const r = applyCustomFields(defs, { rank: 'シルバー', visits: 3 }, { visits: null, dm: 'false' });
    expect(r).toEqual({ values: { rank: 'シルバー', dm: false }, problems: [] });
  });

  it('property: a SELECT accepts exactly its options', () => {
    fc.assert(
      fc.property(fc.string(), (s) => {
        const r = applyCustomFields(defs, {}, { rank: s });
        expect(r.problems.length === 0).toBe(['ゴールド', 'シルバー'].includes(s.trim()));
      }),
    );
  });
});

describe('checkDefinition', () => {
  it('accepts a well-formed definition and rejects bad ones with a reason', () => {
    expect(checkDefinition({ key: 'rank', label: 'ランク', type: 'SELECT', options: ['A', 'B'] })).toEqual({
      definition: { key: 'rank', label: 'ランク', type: 'SELECT', options: ['A', 'B'], required: false },
    });
    expect(checkDefinition({ key: 'Rank', label: 'x', type: 'TEXT' })).toHaveProperty('problem');
    expect(checkDefinition({ key: 'rank', label: 'x', type: 'SELECT', options: [] })).toHaveProperty('problem');
    expect(checkDefinition({ key: 'rank', label: 'x', type: 'TEXT', options: ['a'] })).toHaveProperty('problem');
    expect(checkDefinition({ key: 'rank', label: 'x', type: 'COLOUR' })).toHaveProperty('problem');
  });
});
