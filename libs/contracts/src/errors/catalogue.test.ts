import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  type ErrorCode,
  type ErrorEntry,
  errorCatalogue,
  errorNotes,
  isErrorCode,
  renderErrorMessage,
  resourceNames,
  templateParams,
  wireCode,
} from './catalogue';

const root = join(__dirname, '../../../..');

/** Source files of every service, the gateway and the libraries (tests excluded: they throw on purpose). */
function sources(): { path: string; text: string }[] {
  const dirs = [
    ...readdirSync(join(root, 'services')).map((s) => join(root, 'services', s, 'src')),
    join(root, 'gateway/src'),
    ...readdirSync(join(root, 'libs')).map((l) => join(root, 'libs', l, 'src')),
  ];
  const out: { path: string; text: string }[] = [];
  const walk = (dir: string) => {
    for (const name of readdirSync(dir)) {
      const path = join(dir, name);
      if (statSync(path).isDirectory()) walk(path);
      else if (name.endsWith('.ts') && !name.endsWith('.test.ts') && !name.endsWith('.d.ts'))
        out.push({ path: relative(root, path), text: readFileSync(path, 'utf8') });
    }
  };
  for (const dir of dirs) if (statSync(dir, { throwIfNoEntry: false })?.isDirectory()) walk(dir);
  return out;
}

/**
 * Where a code is produced: a DomainError (or a helper taking a key), a GraphQLError's or a
 * REST answer's `code: '…'`, a union of codes a rule returns, an error class's `code = '…'`.
 */
const PATTERNS = [
  /new DomainError\(\s*'([A-Z][A-Z0-9_]+)'/g,
  /catalogueGraphQLError\(\s*'([A-Z][A-Z0-9_]+)'/g,
  /refuse\(\s*'([A-Z][A-Z0-9_]+)'/g,
  /\bcode(?:\?)?:\s*'([A-Z][A-Z0-9_]+)'/g,
  /\bcode\s*=\s*'([A-Z][A-Z0-9_]+)'/g,
  /\bcode:\s*((?:'[A-Z][A-Z0-9_]+'\s*\|\s*)+'[A-Z][A-Z0-9_]+')/g,
];

/**
 * `code…'…'` literals that are not answers' error codes: billing's plan codes, a TypeORM sort
 * order on the plan code column, and an errno telephony sets on an internal socket error.
 */
const NOT_ERROR_CODES = new Set(['CLOUD', 'INTEGRATION', 'ASC', 'EADDRNOTALLOWED']);

function codesInSources(): Map<string, string[]> {
  const found = new Map<string, string[]>();
  for (const { path, text } of sources()) {
    for (const re of PATTERNS) {
      for (const m of text.matchAll(re)) {
        for (const code of (m[1] as string).split('|').map((c) => c.trim().replace(/'/g, ''))) {
          if (NOT_ERROR_CODES.has(code)) continue;
          found.set(code, [...(found.get(code) ?? []), path]);
        }
      }
    }
  }
  return found;
}

const wireCodes = new Set((Object.keys(errorCatalogue) as ErrorCode[]).map(wireCode));

describe('error catalogue', () => {
  it('names every code the services, the gateway and the libraries produce', () => {
    const found = codesInSources();
    // The scan itself must see the codes it is meant to police (a broken regex would pass empty).
    for (const known of ['PLAN_EXISTS', 'UNKNOWN_KEY', 'CONNECTION_LIMIT_REACHED', 'GATEWAY_PROOF_REQUIRED']) {
      expect(found.has(known), `${known} not seen by the scan`).toBe(true);
    }
    expect(found.size).toBeGreaterThan(60);
    // A throw site names a key (usually the wire code itself); a literal answer names a wire code.
    const missing = [...found]
      .filter(([code]) => !wireCodes.has(code) && !isErrorCode(code))
      .map(([c, where]) => `${c} (${where[0]})`);
    expect(missing).toEqual([]);
  });

  it('gives every entry a Japanese and an English message with the same parameters', () => {
    for (const [code, entry] of Object.entries(errorCatalogue) as [string, ErrorEntry][]) {
      expect(code).toMatch(/^[A-Z][A-Z0-9_]*$/);
      expect(entry.ja.trim(), code).not.toBe('');
      expect(entry.en.trim(), code).not.toBe('');
      expect(templateParams(entry.ja).sort(), code).toEqual(templateParams(entry.en).sort());
      // Users read the Japanese: it must hold Japanese text (or be only a parameter, e.g. {reason}).
      expect(/[\u3040-\u30ff\u4e00-\u9fff]/.test(entry.ja) || /^\{[a-zA-Z]+\}$/.test(entry.ja), code).toBe(true);
      expect(Number.isInteger(entry.status), code).toBe(true);
    }
    for (const [key, note] of Object.entries(errorNotes)) {
      expect(templateParams(note.ja).sort(), key).toEqual(templateParams(note.en).sort());
    }
    for (const [key, name] of Object.entries(resourceNames)) {
      expect(name.ja, key).toMatch(/[\u3040-\u30ff\u4e00-\u9fff]/);
      expect(name.en, key).not.toBe('');
    }
  });

  it('keeps wire codes stable: a key with its own code names an existing one', () => {
    for (const code of Object.keys(errorCatalogue) as ErrorCode[]) {
      const w = wireCode(code);
      if (w !== code) expect(isErrorCode(w), `${code} → ${w}`).toBe(true);
    }
  });

  it('fills every parameter in its language and refuses to half-fill', () => {
    expect(renderErrorMessage('MONTH_INVOICED', 'ja', { month: '2026年11月' })).toBe(
      '2026年11月分の請求書は発行済みです。訂正は返金伝票（クレジットノート）で行ってください。',
    );
    expect(renderErrorMessage('NOT_FOUND', 'ja', { resource: resourceNames.invoice })).toBe('請求書が見つかりません。');
    expect(renderErrorMessage('NOT_FOUND', 'en', { resource: resourceNames.invoice })).toBe(
      'The invoice was not found.',
    );
    expect(renderErrorMessage('MONTH_INVOICED', 'ja', {})).toBeUndefined();
    expect(renderErrorMessage('NO_SUCH_CODE', 'ja', {})).toBeUndefined();
    expect(renderErrorMessage('toString', 'ja', {})).toBeUndefined();
  });

  it('renders any parameter values into both languages without leaving a placeholder', () => {
    const codes = Object.keys(errorCatalogue) as ErrorCode[];
    const value = fc.oneof(fc.string(), fc.integer(), fc.record({ ja: fc.string(), en: fc.string() }));
    fc.assert(
      fc.property(fc.constantFrom(...codes), value, (code, v) => {
        const names = templateParams(errorCatalogue[code].ja);
        const params = Object.fromEntries(names.map((n) => [n, v]));
        for (const lang of ['ja', 'en'] as const) {
          const text = renderErrorMessage(code, lang, params);
          expect(text).toBeDefined();
          const expected = typeof v === 'object' ? v[lang] : String(v);
          for (const _ of names) expect(text).toContain(expected);
          // No `{name}` of the template survives (values themselves may contain braces).
          const stripped = names.length ? (text as string).split(expected).join('') : (text as string);
          for (const n of names) expect(stripped).not.toContain(`{${n}}`);
        }
      }),
    );
  });
});
