/**
 * The number rule of a customer write, checked before quick-create sends it: the customers service
 * refuses a number without national digits (INVALID_PHONE_NUMBER, services/customers/src/customers/
 * phone-rules.ts `parsePhone`); a text that is not a phone number, or too short to be one, never
 * reaches it. Full-width digits and hyphens (０３－１２３４－５６７８) are folded first, as the
 * service does (phone-keys.ts). The service still has the last word: its refusal is shown as is.
 */
export type PhoneProblem = 'required' | 'notANumber' | 'tooShort' | 'tooLong';

/** Phone punctuation a typed number may carry besides its digits. */
const PHONE_TEXT = /^\+?[\d\s\-().]+$/;
/** Fewer digits than this have no national number (the service's fallback needs 6). */
const MIN_DIGITS = 6;
/** E.164 allows 15 digits; a Japanese number written with its trunk 0 has at most 11. */
const MAX_DIGITS = 15;

export function phoneProblem(number: string): PhoneProblem | null {
  const folded = number.normalize('NFKC').trim();
  if (!folded) return 'required';
  if (!PHONE_TEXT.test(folded)) return 'notANumber';
  const digits = folded.replace(/\D/g, '').length;
  if (digits < MIN_DIGITS) return 'tooShort';
  if (digits > MAX_DIGITS) return 'tooLong';
  return null;
}
