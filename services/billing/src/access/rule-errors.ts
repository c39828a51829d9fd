import { badInput, DomainError } from '@thankstar/platform';

/**
 * Pure rules throw plain errors (RangeError, CalendarInputError); at the service edge they become
 * a DomainError with a stable code so the caller gets a 4xx, not a 500.
 */
export function asDomainError(err: unknown): unknown {
  if (err instanceof DomainError) return err;
  if (err instanceof RangeError) return badInput(err.message);
  if (err instanceof Error && 'code' in err && typeof err.code === 'string') {
    return new DomainError(err.code, err.message, 400);
  }
  return err;
}

export function checked<T>(rule: () => T): T {
  try {
    return rule();
  } catch (err) {
    throw asDomainError(err);
  }
}
