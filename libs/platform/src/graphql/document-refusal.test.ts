import { describe, expect, it } from 'vitest';
import { documentRefusalReason } from './document-refusal';

describe('documentRefusalReason', () => {
  it.each([
    ['Query depth limit of 12 exceeded, found 40.', '入れ子が深すぎます（上限 12、このクエリは 40）。'],
    ['Aliases limit of 15 exceeded, found 200.', '別名（エイリアス）が多すぎます（上限 15、このクエリは 200）。'],
    [
      'Query Cost limit of 5000 exceeded, found 9000.',
      'クエリのコストが上限 5000 を超えています（このクエリは 9000）。',
    ],
    ['Directives limit of 10 exceeded, found 50.', 'ディレクティブが多すぎます（上限 10、このクエリは 50）。'],
    [
      'Syntax Error: Document contains more that 2000 tokens. Parsing aborted.',
      'クエリが長すぎます（トークン数の上限 2000）。',
    ],
    ['Syntax Error: Expected Name, found <EOF>.', 'クエリの構文が正しくありません。'],
    ['Cannot query field "secret" on type "Query".', '「Query」に「secret」というフィールドはありません。'],
    ['Unknown argument "x" on field "Query.customers".', '「Query.customers」に引数「x」はありません。'],
  ])('says 「%s」 in Japanese', (message, ja) => {
    expect(documentRefusalReason(message)).toEqual({ ja, en: message });
  });

  it('never passes English to the Japanese side', () => {
    for (const message of ['Fragment "F" is never used.', 'anything else', '']) {
      expect(documentRefusalReason(message).ja).toMatch(/[\u3040-\u30ff\u4e00-\u9fff]/);
      expect(documentRefusalReason(message).ja).not.toMatch(/[A-Za-z]{3,}/);
    }
  });
});
