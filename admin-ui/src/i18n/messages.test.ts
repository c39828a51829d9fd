import { describe, expect, it } from 'vitest';
import { en } from './en';
import { ja } from './ja';

const keys = (o: object, prefix = ''): string[] =>
  Object.entries(o).flatMap(([k, v]) =>
    v && typeof v === 'object' ? keys(v as object, `${prefix}${k}.`) : [`${prefix}${k}`],
  );

const placeholders = (o: object, prefix = ''): Record<string, string[]> =>
  Object.fromEntries(
    Object.entries(o).flatMap(([k, v]) =>
      v && typeof v === 'object'
        ? Object.entries(placeholders(v as object, `${prefix}${k}.`))
        : [[`${prefix}${k}`, [...String(v).matchAll(/%\{(\w+)\}/g)].map((m) => m[1] as string).sort()]],
    ),
  );

describe('messages', () => {
  it('English has every Japanese key and no other', () => {
    expect(keys(en).sort()).toEqual(keys(ja).sort());
  });

  it('both languages use the same placeholders in each message', () => {
    expect(placeholders(en)).toEqual(placeholders(ja));
  });
});
