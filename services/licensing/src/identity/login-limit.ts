export interface LoginLimit {
  windowSeconds: number;
  perAccount: number;
  perAddress: number;
}

/**
 * Failed sign-in attempts allowed in a sliding window: few per account (guessing one password),
 * more per address (an office behind one NAT has many people mistyping).
 */
export function loginLimitFromEnv(env: Record<string, string | undefined> = process.env): LoginLimit {
  return {
    windowSeconds: Number(env.LOGIN_WINDOW_SECONDS ?? 900),
    perAccount: Number(env.LOGIN_ATTEMPTS_PER_ACCOUNT ?? 5),
    perAddress: Number(env.LOGIN_ATTEMPTS_PER_ADDRESS ?? 30),
  };
}

/** True when one more attempt would exceed either limit. */
export function loginLocked(attempts: { account: number; address: number }, limit: LoginLimit): boolean {
  return attempts.account >= limit.perAccount || attempts.address >= limit.perAddress;
}
