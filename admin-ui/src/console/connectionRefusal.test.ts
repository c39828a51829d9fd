import { describe, expect, it } from 'vitest';
import { parseRefusal } from './connectionRefusal';

describe('parseRefusal', () => {
  it("reads the gateway's compact close reason", () => {
    const r = parseRefusal(
      JSON.stringify({ code: 'CONNECTION_LIMIT_REACHED', capacity: 1, holders: ['Chrome tab / 佐藤 花子'], more: 2 }),
    );
    expect(r).toEqual({
      code: 'CONNECTION_LIMIT_REACHED',
      message: '',
      capacity: 1,
      holders: [{ label: 'Chrome tab / 佐藤 花子', since: null }],
      more: 2,
    });
  });

  it('reads holders given as objects under details', () => {
    const r = parseRefusal(
      JSON.stringify({
        code: 'CONNECTION_LIMIT_REACHED',
        message: 'full',
        details: {
          capacity: 6,
          holders: [{ userName: '鈴木', deviceKind: 'MOBILE', label: 'iPhone Safari', since: '2026-11-29T01:00:00Z' }],
        },
      }),
    );
    expect(r.capacity).toBe(6);
    expect(r.holders).toEqual([{ label: 'iPhone Safari / 鈴木', since: '2026-11-29T01:00:00Z' }]);
  });

  it('falls back to the CODE: message form', () => {
    expect(parseRefusal('CONNECTION_LIMIT_REACHED: all 1 in use')).toMatchObject({
      code: 'CONNECTION_LIMIT_REACHED',
      message: 'all 1 in use',
      holders: [],
    });
  });
});
