/**
 * The reason a GraphQL document is refused (DOCUMENT_REFUSED), in Japanese for the person who
 * reads it and in the library's own English for integrators. graphql-js and graphql-armor word
 * their refusals in English; the known ones are said again in Japanese here, with their numbers,
 * and any other keeps a Japanese sentence that says what kind of problem it is. Pure.
 */
export function documentRefusalReason(message: string): { ja: string; en: string } {
  const en = message;
  const n = (re: RegExp) => re.exec(message)?.slice(1) ?? null;
  let m = n(/depth limit of (\d+) exceeded(?:, found (\d+))?/i);
  if (m) return { ja: `入れ子が深すぎます（上限 ${m[0]}${m[1] ? `、このクエリは ${m[1]}` : ''}）。`, en };
  m = n(/aliases limit of (\d+) exceeded(?:, found (\d+))?/i);
  if (m) return { ja: `別名（エイリアス）が多すぎます（上限 ${m[0]}${m[1] ? `、このクエリは ${m[1]}` : ''}）。`, en };
  m = n(/cost limit of (\d+) exceeded(?:, found (\d+))?/i);
  if (m) return { ja: `クエリのコストが上限 ${m[0]} を超えています${m[1] ? `（このクエリは ${m[1]}）` : ''}。`, en };
  m = n(/directives limit of (\d+) exceeded(?:, found (\d+))?/i);
  if (m) return { ja: `ディレクティブが多すぎます（上限 ${m[0]}${m[1] ? `、このクエリは ${m[1]}` : ''}）。`, en };
  m = n(/(?:more that|more than|token limit of) (\d+) tokens?/i) ?? n(/token limit of (\d+)/i);
  if (m) return { ja: `クエリが長すぎます（トークン数の上限 ${m[0]}）。`, en };
  m = n(/Cannot query field "([^"]+)" on type "([^"]+)"/);
  if (m) return { ja: `「${m[1]}」に「${m[0]}」というフィールドはありません。`, en };
  m = n(/Unknown argument "([^"]+)" on field "([^"]+)"/);
  if (m) return { ja: `「${m[1]}」に引数「${m[0]}」はありません。`, en };
  m = n(/Variable "\$([^"]+)"/);
  if (m) return { ja: `変数「$${m[0]}」の値または型が正しくありません。`, en };
  if (/^Syntax Error/i.test(message)) return { ja: 'クエリの構文が正しくありません。', en };
  if (/needs a query string/i.test(message)) return { ja: 'クエリの文字列を送ってください。', en };
  if (/could not be parsed/i.test(message)) return { ja: 'クエリを読み取れませんでした。', en };
  return { ja: 'スキーマに合わないクエリです。', en };
}
