import type { CustomerSort, CustomFieldInput, CustomFieldType, PhoneType } from '../graphql/types';

export interface CustomerRecordLike {
  emails: string[];
  tags: string[];
  customFields: { key: string; type: CustomFieldType; values: string[] }[];
}

/** A custom field's value as its form input holds it. */
export type FieldValue = string | number | boolean | string[] | null | undefined;

export interface FormValues {
  name: string;
  nameKana?: string | null;
  company?: string | null;
  department?: string | null;
  externalId?: string | null;
  /** Comma (or 、) separated. */
  emailsText?: string | null;
  tagsText?: string | null;
  notes?: string | null;
  address?: {
    postalCode?: string | null;
    prefecture?: string | null;
    city?: string | null;
    street?: string | null;
    building?: string | null;
  } | null;
  cf?: Record<string, FieldValue>;
  /** Create: every number; edit: one more number to add. */
  phones?: { number: string; type?: PhoneType | null; label?: string | null }[];
}

export const splitList = (text: string | null | undefined) =>
  (text ?? '')
    .split(/[,、，\n]/)
    .map((s) => s.trim())
    .filter(Boolean);

/** The record's custom field values as their inputs hold them (checkbox, number, choices). */
export function customFieldFormValues(record: CustomerRecordLike): Record<string, FieldValue> {
  const out: Record<string, FieldValue> = {};
  for (const f of record.customFields) {
    const first = f.values[0];
    if (f.type === 'MULTI_SELECT') out[f.key] = f.values;
    else if (f.type === 'BOOLEAN') out[f.key] = first === undefined ? null : first === 'true';
    else if (f.type === 'NUMBER') out[f.key] = first === undefined ? null : Number(first);
    else out[f.key] = first ?? null;
  }
  return out;
}

/** Form values back to the API's custom field inputs: empty clears, MULTI_SELECT as a list. */
export function customFieldInputs(
  values: Record<string, FieldValue> | undefined,
  types: Record<string, CustomFieldType>,
): CustomFieldInput[] {
  return Object.entries(values ?? {})
    .filter(([key]) => key in types)
    .map(([key, v]) => {
      if (types[key] === 'MULTI_SELECT') return { key, values: Array.isArray(v) ? v : [] };
      if (v === null || v === undefined || v === '') return { key, value: null };
      if (typeof v === 'boolean') return { key, value: v ? 'true' : 'false' };
      return { key, value: Array.isArray(v) ? v.join(', ') : String(v) };
    });
}

/** Fewest digits the customers service searches part of a number by (phone-rules.ts `partialNumberMinDigits`). */
const PARTIAL_NUMBER_MIN_DIGITS = 4;

/**
 * What the customers list's search box means: a phone number, whole or a part of 4 digits or more
 * (「1111」), when it is only digits and phone punctuation; else part of a name, kana reading or company.
 */
export function searchOf(filter: Record<string, unknown> | undefined): { text?: string; phone?: string; tag?: string } {
  const q = typeof filter?.q === 'string' ? filter.q.normalize('NFKC').trim() : '';
  const tag = typeof filter?.tag === 'string' && filter.tag.trim() ? filter.tag.trim() : undefined;
  const search: { text?: string; phone?: string; tag?: string } = {};
  if (q) {
    const digits = q.replace(/\D/g, '');
    if (/^[\d\s\-+()]+$/.test(q) && digits.length >= PARTIAL_NUMBER_MIN_DIGITS) search.phone = q;
    else search.text = q;
  }
  if (tag) search.tag = tag;
  return search;
}

/** react-admin's sort to the API's: by kana reading either way, or most recently updated. */
export function sortOf(sort: { field?: string; order?: string } | undefined): CustomerSort {
  if (sort?.field === 'updatedAt') return 'UPDATED_DESC';
  return sort?.order === 'DESC' ? 'KANA_DESC' : 'KANA_ASC';
}
