import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ja } from './ja';
import { raJapanese } from './ra-ja';

/**
 * Every message key the admin UI's source names is in the Japanese dictionary, so no screen shows a
 * raw key or polyglot's "Missing translation" warning: `translate('…')` literals, message keys given
 * as JSX props (label="resources.…", helperText, confirmContent, …) and the static part of
 * `translate(`…${x}`)` templates (that part must be a group of messages in ja.ts).
 */
const root = join(import.meta.dirname, '..');
const dictionary: Record<string, unknown> = { ...ja, ra: raJapanese.ra };
const namespaces = /^(app|resources|console|popupClass|ra)\./;

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const path = join(dir, e.name);
    if (e.isDirectory()) return e.name === 'graphql' ? [] : sourceFiles(path);
    return /\.tsx?$/.test(e.name) && !/\.test\.tsx?$/.test(e.name) ? [path] : [];
  });
}

function lookup(key: string): unknown {
  return key.split('.').reduce<unknown>((node, part) => {
    if (node && typeof node === 'object') return (node as Record<string, unknown>)[part];
    return undefined;
  }, dictionary);
}

const literal = [
  /\btranslate\(\s*'([^'$]+)'/g,
  /\b(?:label|helperText|title|confirmContent|confirmTitle|emptyText|placeholder)=["']([^"'{}$]+)["']/g,
  /\bnotify\(\s*'([^'$]+)'/g,
];
const template = /\btranslate\(\s*`([^`$]+)\$\{/g;

function used(): { file: string; key: string; group: boolean }[] {
  return sourceFiles(root).flatMap((path) => {
    const text = readFileSync(path, 'utf8');
    const file = relative(root, path);
    const keys = literal.flatMap((re) => [...text.matchAll(re)].map((m) => m[1] as string));
    const groups = [...text.matchAll(template)].map((m) => (m[1] as string).replace(/\.$/, ''));
    return [
      ...keys.filter((k) => namespaces.test(k)).map((key) => ({ file, key, group: false })),
      ...groups.filter((k) => namespaces.test(`${k}.`)).map((key) => ({ file, key, group: true })),
    ];
  });
}

describe('message keys used in the source', () => {
  const all = used();

  it('finds the keys the pages use (the walk itself works)', () => {
    expect(all.length).toBeGreaterThan(300);
    expect(all).toContainEqual({
      file: 'customers/CustomerPages.tsx',
      key: 'resources.customers.removePhone',
      group: false,
    });
  });

  it('has every literal key in ja.ts as a message, and every template prefix as a group of messages', () => {
    const missing = all
      .filter(({ key, group }) => {
        const found = lookup(key);
        return group ? !(found && typeof found === 'object') : typeof found !== 'string';
      })
      .map(({ file, key }) => `${file}: ${key}`);
    expect([...new Set(missing)]).toEqual([]);
  });
});
