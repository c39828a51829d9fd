import type { CustomFieldType } from '@thankstar/contracts';
import { limits } from '../customers/limits';

export interface CustomFieldDefinition {
  key: string;
  label: string;
  type: CustomFieldType;
  options: string[];
  required: boolean;
}

/** As stored in `customers.custom_fields`: numbers as numbers, dates as YYYY-MM-DD, multi-select as arrays. */
export type CustomFieldValue = string | number | boolean | string[];
export type CustomFieldValues = Record<string, CustomFieldValue>;

/** A value as it arrives from GraphQL or a CSV cell: text, a list (multi-select), or null to clear. */
export type CustomFieldInputValue = string | string[] | null;

/** A problem with one field: `message` in Japanese (what the user reads), `messageEn` for integrators. */
export interface CustomFieldProblem {
  key: string;
  message: string;
  messageEn: string;
}

type Problem = { ja: string; en: string };

/** The one owner of this limit is src/customers/limits.ts; kept here as a backstop for callers that skip the service. */
const TEXT_MAX = limits.customFieldValue.max;
const truthy = new Set(['true', '1', 'yes', 'y', 'はい', '○', '◯']);
const falsy = new Set(['false', '0', 'no', 'n', 'いいえ', '×', '']);

/**
 * Validates input values against the tenant's definitions and merges them over the existing
 * values. Every problem is reported (not only the first), so a form or an import row can show
 * them all. A null input clears the field; required fields must have a value afterwards.
 */
export function applyCustomFields(
  definitions: readonly CustomFieldDefinition[],
  existing: CustomFieldValues,
  input: Record<string, CustomFieldInputValue>,
): { values: CustomFieldValues; problems: CustomFieldProblem[] } {
  const byKey = new Map(definitions.map((d) => [d.key, d]));
  const values: CustomFieldValues = { ...existing };
  const problems: CustomFieldProblem[] = [];
  for (const [key, raw] of Object.entries(input)) {
    const def = byKey.get(key);
    if (!def) {
      problems.push({
        key,
        message: `「${key}」はこのテナントのカスタム項目ではありません。`,
        messageEn: `"${key}" is not one of this tenant's custom fields.`,
      });
      continue;
    }
    if (raw === null || (typeof raw === 'string' && raw.trim() === '' && def.type !== 'BOOLEAN')) {
      delete values[key];
      continue;
    }
    const parsed = parseValue(def, raw);
    if ('problem' in parsed) problems.push({ key, message: parsed.problem.ja, messageEn: parsed.problem.en });
    else values[key] = parsed.value;
  }
  for (const def of definitions) {
    if (def.required && !hasValue(values[def.key])) {
      problems.push({
        key: def.key,
        message: `${def.label}を入力してください。`,
        messageEn: `${def.label} is required.`,
      });
    }
  }
  return { values, problems };
}

function hasValue(v: CustomFieldValue | undefined): boolean {
  return v !== undefined && !(Array.isArray(v) && v.length === 0);
}

function parseValue(
  def: CustomFieldDefinition,
  raw: string | string[],
): { value: CustomFieldValue } | { problem: Problem } {
  const text = Array.isArray(raw) ? raw : raw.normalize('NFKC').trim();
  switch (def.type) {
    case 'TEXT': {
      const s = Array.isArray(raw) ? raw.join(', ') : raw.trim();
      return [...s].length > TEXT_MAX
        ? {
            problem: {
              ja: `${def.label}は${TEXT_MAX}文字までです。`,
              en: `${def.label} has at most ${TEXT_MAX} characters.`,
            },
          }
        : { value: s };
    }
    case 'NUMBER': {
      const s = Array.isArray(text) ? '' : text.replace(/,/g, '');
      const n = Number(s);
      return s !== '' && Number.isFinite(n)
        ? { value: n }
        : { problem: { ja: `${def.label}は数値で入力してください。`, en: `${def.label} must be a number.` } };
    }
    case 'DATE': {
      const s = Array.isArray(text) ? '' : text.replace(/\//g, '-');
      const date = calendarDate(s);
      return date
        ? { value: date }
        : {
            problem: {
              ja: `${def.label}は日付（YYYY-MM-DD）で入力してください。`,
              en: `${def.label} must be a date (YYYY-MM-DD).`,
            },
          };
    }
    case 'BOOLEAN': {
      const s = Array.isArray(text) ? '' : text.toLowerCase();
      if (truthy.has(s)) return { value: true };
      if (falsy.has(s)) return { value: false };
      return {
        problem: {
          ja: `${def.label}は「はい」か「いいえ」で入力してください。`,
          en: `${def.label} must be true or false.`,
        },
      };
    }
    case 'SELECT': {
      const s = Array.isArray(raw) ? (raw.length === 1 ? (raw[0] ?? '') : '') : raw.trim();
      return def.options.includes(s)
        ? { value: s }
        : {
            problem: {
              ja: `${def.label}は次のいずれかです：${def.options.join('、')}。`,
              en: `${def.label} must be one of: ${def.options.join(', ')}.`,
            },
          };
    }
    case 'MULTI_SELECT': {
      // A CSV cell carries the choices separated by ; or 、
      const chosen = (Array.isArray(raw) ? raw : raw.split(/[;、]/)).map((s) => s.trim()).filter((s) => s !== '');
      const unknown = chosen.filter((s) => !def.options.includes(s));
      if (unknown.length > 0)
        return {
          problem: {
            ja: `${def.label}：「${unknown.join('、')}」は選択肢にありません（選択肢：${def.options.join('、')}）。`,
            en: `${def.label}: ${unknown.join(', ')} is not an option (${def.options.join(', ')}).`,
          },
        };
      return { value: [...new Set(chosen)] };
    }
  }
}

/** `2026-4-1` and `2026/04/01` (Excel's Japanese format) become `2026-04-01`; impossible dates give null. */
export function calendarDate(s: string): string | null {
  const m = /^(\d{4})[-/](\d{1,2})[-/](\d{1,2})$/.exec(s.normalize('NFKC').trim());
  if (!m) return null;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const date = new Date(Date.UTC(y, mo - 1, d));
  if (date.getUTCFullYear() !== y || date.getUTCMonth() !== mo - 1 || date.getUTCDate() !== d) return null;
  return date.toISOString().slice(0, 10);
}

/** The values as text for display (popup, CSV): one entry, or one per chosen option. */
export function displayValues(value: CustomFieldValue | undefined): string[] {
  if (value === undefined) return [];
  if (Array.isArray(value)) return value;
  return [String(value)];
}
