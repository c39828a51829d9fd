import { nationalSignificantDigits, normalizePhoneNumber } from '@thankstar/phone';

export interface PhoneKeys {
  e164: string | null;
  /** National significant digits: the fallback key that makes messy stored numbers match. */
  nationalDigits: string | null;
  display: string | null;
}

/**
 * The keys a number is stored and looked up under. Spreadsheets in Japan often carry
 * full-width digits and hyphens (０３－１２３４－５６７８), so the number is NFKC-folded first.
 */
export function phoneKeys(raw: string): PhoneKeys {
  const folded = raw.normalize('NFKC').trim();
  const parsed = normalizePhoneNumber(folded);
  if (parsed.withheldReason) return { e164: null, nationalDigits: null, display: null };
  return {
    e164: parsed.e164,
    // A Japanese E.164 number is +81 and its national significant digits: no second parse needed.
    nationalDigits: parsed.e164?.startsWith('+81')
      ? parsed.e164.slice(3)
      : nationalSignificantDigits(parsed.e164 ?? folded),
    display: parsed.display,
  };
}
