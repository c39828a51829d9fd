/**
 * A circuit breaker per lookup source (issue 19: "circuit breaker per source"). After `failures`
 * failures in a row the source is not asked for `openMs`; then one call is let through (half
 * open): success closes the circuit, failure opens it again. While open, a ring does not wait on
 * the source at all, so a dead source costs the popup nothing. Pure: the clock is passed in.
 */
export interface BreakerOptions {
  failures: number;
  openMs: number;
}

export type BreakerState = 'closed' | 'open' | 'half-open';

export class CircuitBreaker {
  private consecutive = 0;
  private openedAt: number | null = null;
  private trialInFlight = false;

  constructor(private readonly options: BreakerOptions) {}

  state(now: number): BreakerState {
    if (this.openedAt === null) return 'closed';
    return now - this.openedAt >= this.options.openMs ? 'half-open' : 'open';
  }

  /** Whether a call may go to the source now (in half-open, only one trial at a time). */
  allow(now: number): boolean {
    const state = this.state(now);
    if (state === 'closed') return true;
    if (state === 'open' || this.trialInFlight) return false;
    this.trialInFlight = true;
    return true;
  }

  succeeded(): void {
    this.consecutive = 0;
    this.openedAt = null;
    this.trialInFlight = false;
  }

  failed(now: number): void {
    this.trialInFlight = false;
    this.consecutive += 1;
    if (this.openedAt !== null || this.consecutive >= this.options.failures) this.openedAt = now;
  }

  /** A 429's Retry-After opens the circuit until then, whatever the count. */
  holdFor(now: number, ms: number): void {
    this.trialInFlight = false;
    this.consecutive = Math.max(this.consecutive, this.options.failures);
    this.openedAt = now - this.options.openMs + Math.max(ms, 0);
  }
}
