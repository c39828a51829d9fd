import { normalizePhoneNumber } from '@thankstar/phone';

export interface NationalForms {
  /** 0312345678 (Japanese numbers), else null. */
  national: string | null;
  /** 03-1234-5678 as people write it (docs/product-rules.md §10), else null. */
  formatted: string | null;
}

/** The forms a tenant's own database may hold the caller's E.164 number in, besides E.164. */
export function nationalForms(e164: string): NationalForms {
  const parsed = normalizePhoneNumber(e164);
  if (!parsed.valid || !e164.startsWith('+81') || !parsed.display) return { national: null, formatted: null };
  return { national: parsed.display.replace(/\D/g, ''), formatted: parsed.display };
}
