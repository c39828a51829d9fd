// The password rule has one owner, licensing (it enforces it on accept and reset); the page only
// checks it early with the same function, so a too-short password never makes a round trip.
import {
  MAX_PASSWORD_LENGTH,
  MIN_PASSWORD_LENGTH,
  passwordProblem,
} from '../../../services/licensing/src/identity/password-policy';

export { MAX_PASSWORD_LENGTH, MIN_PASSWORD_LENGTH };

/** The pages a mailed link opens; licensing builds the links as `/#/<page>?token=…`. */
export type TokenPage = 'accept-invitation' | 'reset-password';

/** The one-time token of a link's query (`?token=…`), or null when there is none to send. */
export function tokenFrom(search: string): string | null {
  const token = new URLSearchParams(search).get('token')?.trim();
  return token ? token : null;
}

/** Why a new password cannot be sent yet, as a message key; null when it can. */
export function passwordFormProblem(password: string, confirmation: string): 'length' | 'mismatch' | null {
  if (passwordProblem(password)) return 'length';
  if (password !== confirmation) return 'mismatch';
  return null;
}

/** The API's error codes each page explains in its own words; others fall back to `unknown`. */
const explained: Record<TokenPage, readonly string[]> = {
  'accept-invitation': ['INVALID_INVITATION', 'EMAIL_TAKEN', 'BAD_USER_INPUT', 'NETWORK_ERROR', 'RATE_LIMITED'],
  'reset-password': ['INVALID_RESET_TOKEN', 'BAD_USER_INPUT', 'NETWORK_ERROR', 'RATE_LIMITED'],
};

/**
 * The message key for a failed accept or reset: the user reads Japanese by the stable code, never
 * the server's English detail. BAD_USER_INPUT on these two mutations is the password policy.
 */
export function errorMessageKey(page: TokenPage, code: string | undefined): string {
  const known = code && explained[page].includes(code) ? code : 'unknown';
  return `app.account.errors.${known}`;
}
