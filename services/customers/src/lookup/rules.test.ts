import { describe, expect, it } from 'vitest';
import { addressAllowed, parseCidrs } from './address-guard';
import { CircuitBreaker } from './breaker';
import { TtlCache } from './cache';
import { boundCards, cardLimits, cardsWithin } from './card';
import { kintoneQuery } from './connectors/kintone';
import { validateSourceInput } from './source-input';

describe('lookup rules', () => {
  it('the breaker opens after N failures, lets one trial through after openMs, and a 429 holds it', () => {
    const b = new CircuitBreaker({ failures: 3, openMs: 1000 });
    for (let i = 0; i < 3; i++) {
      expect(b.allow(0)).toBe(true);
      b.failed(0);
    }
    expect(b.state(10)).toBe('open');
    expect(b.allow(999)).toBe(false);
    expect(b.allow(1000)).toBe(true);
    expect(b.allow(1000)).toBe(false); // one trial at a time
    b.failed(1000);
    expect(b.allow(1500)).toBe(false);
    expect(b.allow(2000)).toBe(true);
    b.succeeded();
    expect(b.state(2000)).toBe('closed');
    b.holdFor(5000, 200);
    expect(b.allow(5100)).toBe(false);
    expect(b.allow(5200)).toBe(true);
  });

  it('the cache forgets after its TTL and keeps at most max entries', () => {
    const c = new TtlCache<number>(100, 2);
    c.set('a', 1, 0);
    c.set('b', 2, 0);
    c.set('c', 3, 0);
    expect(c.get('a', 1)).toBeUndefined();
    expect(c.get('b', 99)).toBe(2);
    expect(c.get('b', 100)).toBeUndefined();
    c.forget('c');
    expect(c.get('c', 1)).toBeUndefined();
  });

  it('cards are bounded and only http(s) links pass', () => {
    const long = 'あ'.repeat(5000);
    const cards = boundCards({ id: 's', name: 'n' }, [
      ...Array.from({ length: 9 }, (_, i) => ({
        recordId: i,
        title: long,
        fields: Array.from({ length: 50 }, () => ({ label: 'l', value: long })),
        links: [
          { label: 'ok', url: 'https://x.example/1' },
          { label: 'bad', url: 'javascript:alert(1)' },
        ],
      })),
    ]);
    expect(cards).toHaveLength(cardLimits.cardsPerSource);
    expect(Array.from(cards[0]?.title ?? '')).toHaveLength(cardLimits.titleChars);
    expect(cards[0]?.fields).toHaveLength(cardLimits.fieldsPerCard);
    expect(cards[0]?.links).toEqual([{ label: 'ok', url: 'https://x.example/1' }]);
    expect(Buffer.byteLength(JSON.stringify(cardsWithin(cards, 10_000)))).toBeLessThanOrEqual(10_000);
  });

  it('refuses loopback, private and metadata addresses unless a range is allowed', () => {
    const none = parseCidrs('');
    for (const a of ['127.0.0.1', '10.1.2.3', '169.254.169.254', '192.168.0.1', '::1', 'fe80::1', '::ffff:127.0.0.1'])
      expect(addressAllowed(a, none), a).toBe(false);
    expect(addressAllowed('203.0.114.5', none)).toBe(true);
    expect(addressAllowed('127.0.0.1', parseCidrs('127.0.0.1/32'))).toBe(true);
    expect(() => parseCidrs('nonsense/99')).toThrow();
  });

  it('a kintone query escapes quotes and asks every number field for every form', () => {
    expect(kintoneQuery(['tel', 'mobile'], ['+81312345678', '03-1234-"5678'])).toBe(
      'tel in ("+81312345678", "03-1234-\\"5678") or mobile in ("+81312345678", "03-1234-\\"5678") order by $id desc limit 5',
    );
  });

  it('settings are checked: budget 50–1000 ms, kintone needs an app, number fields and a token', () => {
    const base = {
      endpoint: 'https://x.cybozu.com',
      phoneFields: ['tel'],
      displayFields: [],
      notes: { mode: 'NONE' as const },
    };
    expect(
      validateSourceInput({ name: 'a', kind: 'KINTONE', settings: { ...base, appId: '1' }, secret: 't' }, true)
        .budgetMs,
    ).toBe(300);
    expect(() => validateSourceInput({ name: 'a', kind: 'KINTONE', settings: base, secret: 't' }, true)).toThrow();
    expect(() =>
      validateSourceInput({ name: 'a', kind: 'KINTONE', settings: { ...base, appId: '1' } }, true),
    ).toThrow();
    expect(() =>
      validateSourceInput({ name: 'a', kind: 'HTTPS', budgetMs: 1001, settings: { ...base, phoneFields: [] } }, true),
    ).toThrow();
    expect(() =>
      validateSourceInput({ name: 'a', kind: 'HTTPS', settings: { ...base, notes: { mode: 'COMMENT' } } }, true),
    ).toThrow();
  });
});
