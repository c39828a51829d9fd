import type { PhoneNumber } from '@thankstar/contracts';
import { parsePhoneNumberFromString, validatePhoneNumberLength } from 'libphonenumber-js/max';

/**
 * Japanese number-display adapters send a one-letter reason instead of a number:
 * P = 非通知 (withheld by the caller), O/S = 表示圏外 (unavailable), C = 公衆電話 (payphone).
 * SIP sends "anonymous". All of them are WITHHELD calls; the reason is kept.
 */
const withheldCodes: Record<string, NonNullable<PhoneNumber['withheldReason']>> = {
  P: 'WITHHELD',
  ANONYMOUS: 'WITHHELD',
  PRIVATE: 'WITHHELD',
  O: 'UNAVAILABLE',
  S: 'UNAVAILABLE',
  UNAVAILABLE: 'UNAVAILABLE',
  C: 'PAYPHONE',
};

export function withheldReasonOf(raw: string): PhoneNumber['withheldReason'] {
  return withheldCodes[raw.trim().toUpperCase()] ?? null;
}

/** Normalise a number as it arrived; never throws, never drops the raw string. */
export function normalizePhoneNumber(raw: string, defaultCountry: 'JP' = 'JP'): PhoneNumber {
  const trimmed = raw.trim();
  const withheldReason = trimmed === '' ? 'UNAVAILABLE' : withheldReasonOf(trimmed);
  if (withheldReason) {
    return { raw, e164: null, display: null, valid: false, withheldReason };
  }
  const parsed = parsePhoneNumberFromString(trimmed, defaultCountry);
  if (!parsed?.isValid()) {
    return { raw, e164: null, display: null, valid: false, withheldReason: null };
  }
  const display = parsed.country === 'JP' ? parsed.formatNational() : parsed.formatInternational();
  return { raw, e164: parsed.number, display, valid: true, withheldReason: null };
}

/**
 * The digits that identify a number inside its country, used to match messy stored numbers:
 * "03-1234-5678", "0312345678" and "+81 3 1234 5678" all give "312345678".
 */
export function nationalSignificantDigits(raw: string, defaultCountry: 'JP' = 'JP'): string | null {
  const parsed = parsePhoneNumberFromString(raw.trim(), defaultCountry);
  if (parsed) return parsed.nationalNumber;
  const digits = raw.replace(/\D/g, '');
  if (digits.length < 6) return null;
  return digits.replace(/^0/, '');
}

/** Why a typed text is not a number a customer record may keep (null: it is one). */
export type PhoneNumberProblem = 'EMPTY' | 'NOT_A_NUMBER' | 'TOO_SHORT' | 'TOO_LONG' | 'INVALID';

/** Digits and the punctuation people write numbers with; a leading + for an international number. */
const PHONE_TEXT = /^\+?[\d\s\-().]+$/;

/**
 * The one rule for "is this a phone number" on a customer write (docs/product-rules.md#phone-numbers):
 * after NFKC (full-width ０３－１２３４－５６７８ is fine) only digits and phone punctuation, and a
 * number the numbering plan knows (Japanese by default, or +country): 「12345」 is too short,
 * 「abc-123」 is not a number, 03-0000-0000 is no number of any area. Never throws.
 */
export function phoneNumberProblem(raw: string, defaultCountry: 'JP' = 'JP'): PhoneNumberProblem | null {
  const folded = raw.normalize('NFKC').trim();
  if (folded === '') return 'EMPTY';
  if (!PHONE_TEXT.test(folded)) return 'NOT_A_NUMBER';
  const length = validatePhoneNumberLength(folded, defaultCountry);
  if (length === 'TOO_SHORT' || length === 'TOO_LONG') return length;
  if (length === 'NOT_A_NUMBER') return 'NOT_A_NUMBER';
  const parsed = parsePhoneNumberFromString(folded, defaultCountry);
  return parsed?.isValid() ? null : 'INVALID';
}
