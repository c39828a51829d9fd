/**
 * The number rule of a customer write, checked before a form sends it (quick-create, the customer
 * form): the customers service refuses a text that is not a phone number (INVALID_PHONE_NUMBER,
 * libs/phone `phoneNumberProblem`, used by services/customers/src/customers/phone-rules.ts): 「12345」
 * and 「abc-123」 never reach it. Full-width digits and hyphens (０３－１２３４－５６７８) are folded
 * first, as the service does. The service still has the last word (it also knows which area codes
 * exist): its refusal is shown as is, in Japanese.
 */
export type PhoneProblem = 'required' | 'notANumber' | 'tooShort' | 'tooLong';

/** Phone punctuation a typed number may carry besides its digits. */
const PHONE_TEXT = /^\+?[\d\s\-().]+$/;
/** A Japanese number written with its trunk 0 has 10 digits (landline, 0120) or 11 (mobile, 050, 0800). */
const MIN_DOMESTIC_DIGITS = 10;
const MAX_DOMESTIC_DIGITS = 11;
/** An international number (+country code): E.164 allows 8 to 15 digits in practice. */
const MIN_INTERNATIONAL_DIGITS = 8;
const MAX_DIGITS = 15;

export function phoneProblem(number: string): PhoneProblem | null {
  const folded = number.normalize('NFKC').trim();
  if (!folded) return 'required';
  if (!PHONE_TEXT.test(folded)) return 'notANumber';
  const digits = folded.replace(/\D/g, '');
  if (folded.startsWith('+')) {
    if (digits.length < MIN_INTERNATIONAL_DIGITS) return 'tooShort';
    if (digits.length > MAX_DIGITS) return 'tooLong';
    return null;
  }
  if (digits.length < MIN_DOMESTIC_DIGITS) return 'tooShort';
  if (digits.length > MAX_DOMESTIC_DIGITS) return 'tooLong';
  // Without a country code a number starts with the trunk 0 (03-…, 090-…, 0120-…).
  if (!digits.startsWith('0')) return 'notANumber';
  return null;
}
