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

/**
 * A tenant's custom field ("original item") definition: a stable key (a–z, 0–9, _; used in
 * CSV headers and search), a label, a type, and options for the select types.
 */
export function checkDefinition(input: DefinitionInput): { definition: CustomFieldDefinition } | { problem: string } {
  const key = input.key.trim();
  if (!/^[a-z][a-z0-9_]{0,39}$/.test(key)) {
    return { problem: `The key "${input.key}" must start with a-z and use only a-z, 0-9 and _ (at most 40).` };
  }
  const label = input.label.trim();
  if (label === '' || label.length > 100) return { problem: 'The label must have 1 to 100 characters.' };
  if (!customFieldTypes.includes(input.type as CustomFieldType)) {
    return { problem: `The type must be one of ${customFieldTypes.join(', ')}.` };
  }
  const type = input.type as CustomFieldType;
  const options = (input.options ?? []).map((o) => o.normalize('NFKC').trim()).filter((o) => o !== '');
  const selectable = type === 'SELECT' || type === 'MULTI_SELECT';
  if (selectable && options.length === 0) return { problem: `A ${type} field needs at least one option.` };
  if (!selectable && options.length > 0) return { problem: `Only SELECT and MULTI_SELECT fields have options.` };
  if (new Set(options).size !== options.length) return { problem: 'Options must be different from each other.' };
  const tooMany = checkList('customFieldOptions', options);
  if (tooMany) return { problem: tooMany.message };
  if (options.some((o) => /[;、]/.test(o)))
    return { problem: 'Options cannot contain ; or 、 (they separate choices in CSV).' };
  return { definition: { key, label, type, options, required: input.required ?? false } };
}
