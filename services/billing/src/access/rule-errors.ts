import { badInput, DomainError } from '@thankstar/platform';
import { CalendarInputError } from '../calendar/month';
import { InvoiceInputError } from '../invoicing/invoice';

/**
 * Pure rules throw plain errors (RangeError, CalendarInputError); at the service edge they become
 * a DomainError with a stable code so the caller gets a 4xx, not a 500.
 */
export function asDomainError(err: unknown): unknown {
  if (err instanceof DomainError) return err;
  // Rules word their refusals in English for logs; the user reads the Japanese frame.
  if (err instanceof RangeError) return badInput({ ja: `入力値が範囲外です（${err.message}）。`, en: err.message });
  if (err instanceof CalendarInputError) return badInput({ ja: err.ja, en: err.message });
  if (err instanceof InvoiceInputError) return new DomainError('NOTHING_TO_INVOICE', { month: err.month });
  return err;
}

export function checked<T>(rule: () => T): T {
  try {
    return rule();
  } catch (err) {
    throw asDomainError(err);
  }
}
