import { badInput } from '@thankstar/platform';

/** The most rows one page of a back-office list returns. */
export const MAX_PAGE = 200;
const DEFAULT_PAGE = 25;

/** offset/limit of a list query: defaults 0 and 25; a negative offset or a limit outside 1–200 is refused. */
export function pageWindow(offset?: number | null, limit?: number | null): { offset: number; limit: number } {
  const o = offset ?? 0;
  const l = limit ?? DEFAULT_PAGE;
  if (!Number.isSafeInteger(o) || o < 0)
    throw badInput({ ja: '開始位置は0以上の整数で指定してください。', en: 'offset must be a whole number from 0.' });
  if (!Number.isSafeInteger(l) || l < 1 || l > MAX_PAGE)
    throw badInput({
      ja: `1ページの件数は1〜${MAX_PAGE}件で指定してください。`,
      en: `limit must be from 1 to ${MAX_PAGE}.`,
    });
  return { offset: o, limit: l };
}
