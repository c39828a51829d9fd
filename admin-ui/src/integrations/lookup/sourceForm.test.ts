import { describe, expect, it } from 'vitest';
import { emptySource, formOf, sourceInput } from './sourceForm';

describe('lookup source form', () => {
  it('sends only the kintone fields of a kintone source, with field codes and labels split', () => {
    const input = sourceInput({
      ...emptySource('KINTONE'),
      name: ' 顧客台帳 ',
      endpoint: 'https://example.cybozu.com ',
      appId: '12',
      database: 'left over from FileMaker',
      secret: 'token-1',
      phoneFields: '電話番号\n携帯、 FAX',
      titleField: '会社名',
      displayFields: '担当者=担当\n\n住所',
      notesMode: 'TABLE_ROW',
      notesTarget: '対応履歴',
      notesTextField: 'メモ',
      notesKeyField: 'ignored',
    });
    expect(input).toEqual({
      name: '顧客台帳',
      kind: 'KINTONE',
      enabled: true,
      budgetMs: 300,
      endpoint: 'https://example.cybozu.com',
      appId: '12',
      database: null,
      layout: null,
      account: null,
      phoneFields: ['電話番号', '携帯', 'FAX'],
      titleField: '会社名',
      displayFields: [
        { field: '担当者', label: '担当' },
        { field: '住所', label: null },
      ],
      notes: {
        mode: 'TABLE_ROW',
        target: '対応履歴',
        textField: 'メモ',
        outcomeField: null,
        atField: null,
        keyField: null,
      },
      secret: 'token-1',
    });
  });

  it('leaves an empty credential out (an edit keeps the stored one) and a mode the kind cannot write falls back to NONE', () => {
    const input = sourceInput({ ...emptySource('FILEMAKER'), notesMode: 'COMMENT', budgetMs: '' });
    expect('secret' in input).toBe(false);
    expect(input.notes).toEqual({ mode: 'NONE' });
    expect(input.budgetMs).toBeNull();
  });

  it('an HTTPS source sends no field lists and never a secret (its signing secret is made by the server)', () => {
    const input = sourceInput({ ...emptySource('HTTPS'), secret: 'typed', phoneFields: 'x', notesMode: 'POST' });
    expect(input.phoneFields).toEqual([]);
    expect(input.displayFields).toEqual([]);
    expect('secret' in input).toBe(false);
    expect(input.notes).toMatchObject({ mode: 'POST', target: null, textField: null });
  });

  it('a stored source comes back to the same input, with the credential field empty', () => {
    const stored = {
      kind: 'FILEMAKER' as const,
      name: '販売管理',
      enabled: false,
      budgetMs: 500,
      endpoint: 'https://fms.example.co.jp',
      appId: null,
      database: 'Sales',
      layout: 'Customers',
      account: 'thankstar',
      phoneFields: ['Phone'],
      titleField: 'Name',
      displayFields: [
        { field: 'Company', label: '会社' },
        { field: 'Rank', label: 'Rank' },
      ],
      notes: {
        mode: 'RELATED_RECORD' as const,
        target: 'Notes',
        textField: 'Text',
        outcomeField: null,
        atField: 'At',
        keyField: 'CustomerId',
      },
    };
    const form = formOf(stored);
    expect(form.secret).toBe('');
    expect(form.displayFields).toBe('Company=会社\nRank');
    const { secret: _none, ...input } = { ...sourceInput(form), secret: undefined };
    expect(input).toEqual({
      ...stored,
      displayFields: [
        { field: 'Company', label: '会社' },
        { field: 'Rank', label: null },
      ],
    });
  });
});
