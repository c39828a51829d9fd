/**
 * How failed sign-ins slow further attempts (docs/decisions/0008-login-throttling.md). Three
 * counters, none of which lets someone elsewhere lock an account's owner out:
 * - per (account, address): a few free failures, then delays that double up to a ceiling, for that
 *   pair only; a success from that address forgives them;
 * - per address across accounts: a cap in a sliding window (credential stuffing from one place);
 * - per account across addresses: past a generous ceiling (a guess from many addresses), every
 *   address that has already failed for the account waits a fixed delay between its attempts.
 *   An address without failures for the account is never slowed by it, so the owner signing
 *   in from their own address always gets through.
 */
export interface LoginLimit {
  /** Failures of one account from one address before the delays start. */
  freeFailures: number;
  /** The first delay; each further failure of the pair doubles it. */
  firstDelaySeconds: number;
  maxDelaySeconds: number;
  /** A pair's failures are remembered this long without a new one (or until a success). */
  pairMemorySeconds: number;
  /** Sliding window of the per-address cap and the per-account ceiling. */
  windowSeconds: number;
  perAddress: number;
  accountCeiling: number;
  /** Wait between an address's attempts at an account that is over its ceiling. */
  accountCeilingDelaySeconds: number;
}

export const defaultLoginLimit: LoginLimit = {
  freeFailures: 5,
  firstDelaySeconds: 1,
  maxDelaySeconds: 900,
  pairMemorySeconds: 86_400,
  windowSeconds: 900,
  perAddress: 30,
  accountCeiling: 100,
  accountCeilingDelaySeconds: 30,
};

/** The sign-in variables of licensing's configuration (config.ts validates each one's range). */
export interface LoginLimitVariables {
  LOGIN_FREE_FAILURES: number;
  LOGIN_FIRST_DELAY_SECONDS: number;
  LOGIN_MAX_DELAY_SECONDS: number;
  LOGIN_PAIR_MEMORY_SECONDS: number;
  LOGIN_WINDOW_SECONDS: number;
  LOGIN_ATTEMPTS_PER_ADDRESS: number;
  LOGIN_ACCOUNT_CEILING: number;
  LOGIN_ACCOUNT_CEILING_DELAY_SECONDS: number;
}

/** The limits of a loaded configuration; refuses a ceiling below the first delay, naming the variable. */
export function loginLimitOf(v: LoginLimitVariables): LoginLimit {
  const limit: LoginLimit = {
    freeFailures: v.LOGIN_FREE_FAILURES,
    firstDelaySeconds: v.LOGIN_FIRST_DELAY_SECONDS,
    maxDelaySeconds: v.LOGIN_MAX_DELAY_SECONDS,
    pairMemorySeconds: v.LOGIN_PAIR_MEMORY_SECONDS,
    windowSeconds: v.LOGIN_WINDOW_SECONDS,
    perAddress: v.LOGIN_ATTEMPTS_PER_ADDRESS,
    accountCeiling: v.LOGIN_ACCOUNT_CEILING,
    accountCeilingDelaySeconds: v.LOGIN_ACCOUNT_CEILING_DELAY_SECONDS,
  };
  if (limit.maxDelaySeconds < limit.firstDelaySeconds) {
    throw new Error('LOGIN_MAX_DELAY_SECONDS must not be below LOGIN_FIRST_DELAY_SECONDS');
  }
  return limit;
}

/** What the store knows about earlier failures, times in epoch milliseconds. */
export interface LoginHistory {
  /** Failures of this account from this address still remembered. */
  pairFailures: number;
  pairLastFailureAt?: number;
  /** Failures from this address (any account) in the window. */
  addressFailures: number;
  /** The perAddress-th newest of those: once it leaves the window the address is under its cap. */
  addressCapFailureAt?: number;
  /** Failures of this account (any address) in the window. */
  accountFailures: number;
}

/** The delay a pair has earned after `failures` failures (0 while they are free). */
export function pairDelaySeconds(failures: number, limit: LoginLimit): number {
  if (failures < limit.freeFailures) return 0;
  const doublings = failures - limit.freeFailures;
  // 2^doublings overflows to Infinity long past the ceiling; min() takes care of it.
  return Math.min(limit.firstDelaySeconds * 2 ** doublings, limit.maxDelaySeconds);
}

/** Whole seconds until one more attempt is allowed; 0 when it is allowed now. */
export function loginWaitSeconds(history: LoginHistory, limit: LoginLimit, now: number): number {
  let pairDelay = pairDelaySeconds(history.pairFailures, limit);
  if (history.accountFailures >= limit.accountCeiling && history.pairFailures > 0) {
    pairDelay = Math.max(pairDelay, limit.accountCeilingDelaySeconds);
  }
  const pairUntil =
    pairDelay > 0 && history.pairLastFailureAt !== undefined ? history.pairLastFailureAt + pairDelay * 1000 : 0;
  const addressUntil =
    history.addressFailures >= limit.perAddress && history.addressCapFailureAt !== undefined
      ? history.addressCapFailureAt + limit.windowSeconds * 1000
      : 0;
  const waitMs = Math.max(pairUntil, addressUntil) - now;
  return waitMs > 0 ? Math.ceil(waitMs / 1000) : 0;
}

/** How long a throttled sign-in waits, in words (the catalogue's LOGIN_THROTTLED frames it). */
export function throttleWait(retryAfterSeconds: number): { ja: string; en: string } {
  if (retryAfterSeconds < 60) return { ja: `${retryAfterSeconds}秒`, en: `${retryAfterSeconds} s` };
  const minutes = Math.ceil(retryAfterSeconds / 60);
  return { ja: `約${minutes}分`, en: `about ${minutes} min` };
}
