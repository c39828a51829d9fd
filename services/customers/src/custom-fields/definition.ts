import { type CustomFieldType, customFieldTypes } from '@thankstar/contracts';
import { checkList } from '../customers/limits';
import type { CustomFieldDefinition } from './validate';

export interface DefinitionInput {
  key: string;
  label: string;
  type: string;
  options?: string[] | null;
  required?: boolean | null;
}

/** Why a definition is refused: Japanese (what the admin reads) and English (`messageEn`). */
export type DefinitionProblem = { ja: string; en: string };

/**
 * A tenant's custom field ("original item") definition: a stable key (a–z, 0–9, _; used in
 * CSV headers and search), a label, a type, and options for the select types.
 */
export function checkDefinition(
  input: DefinitionInput,
): { definition: CustomFieldDefinition } | { problem: DefinitionProblem } {
  const key = input.key.trim();
  if (!/^[a-z][a-z0-9_]{0,39}$/.test(key)) {
    return {
      problem: {
        ja: `キー「${input.key}」は半角英小文字で始め、半角英小文字・数字・「_」の40文字以内にしてください。`,
        en: `The key "${input.key}" must start with a-z and use only a-z, 0-9 and _ (at most 40).`,
      },
    };
  }
  const label = input.label.trim();
  if (label === '' || label.length > 100)
    return {
      problem: { ja: '項目名は1〜100文字で入力してください。', en: 'The label must have 1 to 100 characters.' },
    };
  if (!customFieldTypes.includes(input.type as CustomFieldType)) {
    return {
      problem: {
        ja: `種類は次のいずれかです：${customFieldTypes.join('、')}。`,
        en: `The type must be one of ${customFieldTypes.join(', ')}.`,
      },
    };
  }
  const type = input.type as CustomFieldType;
  const options = (input.options ?? []).map((o) => o.normalize('NFKC').trim()).filter((o) => o !== '');
  const selectable = type === 'SELECT' || type === 'MULTI_SELECT';
  if (selectable && options.length === 0)
    return {
      problem: { ja: '選択式の項目には選択肢が1つ以上必要です。', en: `A ${type} field needs at least one option.` },
    };
  if (!selectable && options.length > 0)
    return {
      problem: {
        ja: '選択肢を持てるのは選択式（単一・複数）の項目だけです。',
        en: 'Only SELECT and MULTI_SELECT fields have options.',
      },
    };
  if (new Set(options).size !== options.length)
    return { problem: { ja: '選択肢が重複しています。', en: 'Options must be different from each other.' } };
  const tooMany = checkList('customFieldOptions', options);
  if (tooMany) return { problem: { ja: tooMany.message, en: tooMany.message } };
  if (options.some((o) => /[;、]/.test(o)))
    return {
      problem: {
        ja: '選択肢に「;」「、」は使えません（CSV で選択肢の区切りに使います）。',
        en: 'Options cannot contain ; or 、 (they separate choices in CSV).',
      },
    };
  return { definition: { key, label, type, options, required: input.required ?? false } };
}
