/**
 * A circuit breaker for the LLM server: after `threshold` failures in a row it
 * opens and refuses calls for `coolDownMs`, so a sick server costs each
 * question nothing instead of a timeout. After the cool-down one trial call
 * goes through (half-open); its success closes the breaker, its failure opens
 * it for another cool-down.
 */
export interface BreakerOptions {
  /** Consecutive failures that open the breaker. Lower reacts faster but trips on a blip. */
  threshold: number;
  /** How long an open breaker refuses calls. */
  coolDownMs: number;
  now?: () => number;
}

export const DEFAULT_BREAKER: BreakerOptions = { threshold: 5, coolDownMs: 30_000 };

export type BreakerState = "closed" | "open" | "half_open";

export class CircuitBreaker {
  private failures = 0;
  private openedAt: number | null = null;
  private trialInFlight = false;
  private readonly now: () => number;

  constructor(private readonly options: BreakerOptions = DEFAULT_BREAKER) {
    this.now = options.now ?? Date.now;
  }

  get state(): BreakerState {
    if (this.openedAt === null) return "closed";
    return this.now() - this.openedAt >= this.options.coolDownMs ? "half_open" : "open";
  }

  /** Whether a call may go out now; in half-open state only one trial call at a time. */
  tryAcquire(): boolean {
    const state = this.state;
    if (state === "closed") return true;
    if (state === "open" || this.trialInFlight) return false;
    this.trialInFlight = true;
    return true;
  }

  success(): void {
    this.failures = 0;
    this.openedAt = null;
    this.trialInFlight = false;
  }

  /** Records a failure; returns true when this failure opened the breaker. */
  failure(): boolean {
    this.failures += 1;
    const wasTrial = this.trialInFlight;
    this.trialInFlight = false;
    if (wasTrial || (this.openedAt === null && this.failures >= this.options.threshold)) {
      this.openedAt = this.now();
      return true;
    }
    return false;
  }

  /** Gives back a half-open trial that ended without a verdict on the server (e.g. cancelled). */
  release(): void {
    this.trialInFlight = false;
  }
}
