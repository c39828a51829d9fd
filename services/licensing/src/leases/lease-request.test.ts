import { describe, expect, it } from 'vitest';
import { parseLeaseRequest } from './lease-request';

describe('parseLeaseRequest', () => {
  it('accepts web and mobile with a label', () => {
    expect(parseLeaseRequest({ deviceKind: 'mobile', label: ' iPad of Sato ' })).toEqual({
      ok: true,
      value: { deviceKind: 'mobile', label: 'iPad of Sato' },
    });
  });

  it.each([
    [null, 'JSON body'],
    [{ deviceKind: 'desktop', label: 'PC' }, 'seat licence'],
    [{ deviceKind: 'fax', label: 'x' }, 'deviceKind'],
    [{ deviceKind: 'web' }, 'label'],
    [{ deviceKind: 'web', label: '   ' }, 'label'],
    [{ deviceKind: 'web', label: 'x'.repeat(101) }, 'label'],
  ])('refuses %j', (body, words) => {
    const r = parseLeaseRequest(body);
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.message.en).toContain(words);
      expect(r.message.ja).toMatch(/[\u3040-\u30ff\u4e00-\u9fff]/);
    }
  });
});
