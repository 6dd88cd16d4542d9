// Failed password checks are counted per client address and per account: a forged or rotating address cannot
// guess one account's password, a whole agency behind one address is never locked out by its own successes.

export const MAX_FAILED_SIGN_INS = 10;
export const FAILED_SIGN_IN_WINDOW_MS = 15 * 60_000;
/** Above this many counters, expired ones are dropped, then the oldest: memory stays bounded under a flood of new emails. */
const MAX_COUNTERS = 100_000;

type Counter = { failures: number; resetAt: number };

export const addressKey = (address: string) => `adresse:${address}`;
export const accountKey = (account: string | number) => `compte:${account}`;

export class FailedAttempts {
  private readonly counters = new Map<string, Counter>();

  constructor(
    private readonly max = MAX_FAILED_SIGN_INS,
    private readonly windowMs = FAILED_SIGN_IN_WINDOW_MS,
  ) {}

  /** Milliseconds before every one of these keys may try again; 0 when none is blocked. */
  blockedFor(keys: string[], now = Date.now()): number {
    let wait = 0;
    for (const key of keys) {
      const counter = this.live(key, now);
      if (counter && counter.failures >= this.max) wait = Math.max(wait, counter.resetAt - now);
    }
    return wait;
  }

  /** Counts the attempt as failed before the password is checked, so that parallel guesses cannot overtake the count. */
  begin(keys: string[], now = Date.now()): void {
    for (const key of keys) {
      const counter = this.live(key, now);
      if (counter) counter.failures += 1;
      else this.counters.set(key, { failures: 1, resetAt: now + this.windowMs });
    }
    if (this.counters.size > MAX_COUNTERS) this.prune(now);
  }

  /** A successful attempt gives back what begin counted. */
  succeeded(keys: string[], now = Date.now()): void {
    for (const key of keys) {
      const counter = this.live(key, now);
      if (counter) counter.failures = Math.max(0, counter.failures - 1);
    }
  }

  private live(key: string, now: number): Counter | undefined {
    const counter = this.counters.get(key);
    if (counter && counter.resetAt <= now) {
      this.counters.delete(key);
      return undefined;
    }
    return counter;
  }

  private prune(now: number): void {
    for (const [key, counter] of this.counters) if (counter.resetAt <= now) this.counters.delete(key);
    for (const key of this.counters.keys()) {
      if (this.counters.size <= MAX_COUNTERS) break;
      this.counters.delete(key);
    }
  }
}

/** The French sentence for a blocked attempt, in whole minutes rounded up. */
export const tooManyFailures = (waitMs: number) =>
  `Trop de tentatives de connexion échouées : réessayez dans ${Math.max(1, Math.ceil(waitMs / 60_000))} minute(s).`;
