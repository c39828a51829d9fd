import { DomainError } from '@thankstar/platform';
import type { PhoneType } from './customer';
import { checkCount, customerViolations, enforce, limitError } from './limits';
import { type PhoneKeys, phoneKeys } from './phone-keys';

/*
 * The rules for a customer's phone numbers, in one place for every write path (createCustomer,
 * updateCustomer, addPhoneNumber, the CSV import). Pure: no Nest, TypeORM or database.
 * Numbers are stored as typed and matched on their keys (docs/product-rules.md#phone-numbers).
 */

export interface PhoneInput {
  number: string;
  type?: PhoneType | null;
  label?: string | null;
}

/** A number as it is stored: trimmed as typed, its type and label, and the keys it was parsed to once. */
export interface CheckedPhone {
  number: string;
  type: PhoneType;
  label: string | null;
  keys: PhoneKeys & { nationalDigits: string };
}

/** The keys of a number a customer may store; a number without national digits is refused. */
export function parsePhone(raw: string): CheckedPhone['keys'] {
  const keys = phoneKeys(raw);
  if (!keys.nationalDigits) throw new DomainError('INVALID_PHONE_NUMBER', { number: raw });
  return { ...keys, nationalDigits: keys.nationalDigits };
}

/**
 * The numbers of one write as given: the length and count limits (src/customers/limits.ts), then
 * each number parsed once (INVALID_PHONE_NUMBER on the first that is not a number), trimmed, its
 * type OTHER when none is given and an empty label dropped. Throws before anything is written.
 */
export function checkPhones(phones: readonly PhoneInput[]): CheckedPhone[] {
  const violations = customerViolations({ phones });
  if (violations.length > 0) throw limitError(violations);
  return phones.map((p) => ({
    number: p.number.trim(),
    type: p.type ?? 'OTHER',
    label: p.label?.trim() || null,
    keys: parsePhone(p.number),
  }));
}

/**
 * The numbers to store for a customer that already has the numbers whose national digits are
 * `known` (null: a new customer). A number it already has, in any format, is not added twice, so
 * re-importing a spreadsheet adds nothing; a new customer gets every number of its input. When
 * the write carries numbers, the customer may not end up with more than `limits.phones.count`
 * distinct numbers (its own counted once each): BAD_USER_INPUT, before anything is written.
 */
export function phonesToAdd(
  known: ReadonlySet<string | null> | null,
  checked: readonly CheckedPhone[],
): CheckedPhone[] {
  const after = new Set([...(known ?? []), ...checked.map((p) => p.keys.nationalDigits)]);
  if (checked.length > 0) enforce(checkCount('phones', after.size));
  if (!known) return [...checked];
  const seen = new Set(known);
  return checked.filter((p) => {
    if (seen.has(p.keys.nationalDigits)) return false;
    seen.add(p.keys.nationalDigits);
    return true;
  });
}
