import { phoneNumberProblem } from '@thankstar/phone';
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

/**
 * The keys of a number a customer may store. A text that is not a phone number (libs/phone
 * `phoneNumberProblem`: 「12345」, 「abc-123」, a withheld code) is refused with INVALID_PHONE_NUMBER:
 * a CTI product matches callers on these numbers, so a stored number must be one a caller can have.
 */
export function parsePhone(raw: string): CheckedPhone['keys'] {
  const keys = phoneKeys(raw);
  if (phoneNumberProblem(raw) !== null || !keys.nationalDigits)
    throw new DomainError('INVALID_PHONE_NUMBER', { number: raw.trim() });
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

/** Fewest digits a search by part of a number takes (fewer would match too much of a large tenant). */
export const partialNumberMinDigits = 4;

/**
 * What a phone search means: a whole number (it is a phone number) matches on its keys; anything
 * else of digits and phone punctuation with at least 4 digits is part of a number, matched on the
 * digits as written in Japan (+81 read as the trunk 0). Else INVALID_PHONE_NUMBER.
 */
export function phoneSearchOf(typed: string): { keys: PhoneKeys } | { digits: string } {
  if (phoneNumberProblem(typed) === null) {
    const keys = phoneKeys(typed);
    if (keys.nationalDigits) return { keys };
  }
  const folded = typed.normalize('NFKC').trim();
  if (/^\+?[\d\s\-().]+$/.test(folded)) {
    const digits = folded.replace(/^\+\s*81/, '0').replace(/\D/g, '');
    if (digits.length >= partialNumberMinDigits) return { digits };
  }
  throw new DomainError('INVALID_PHONE_NUMBER', { number: typed.trim() });
}
