// The one clock for business time: what every handler, sweep, timer job and stand-in takes as "now"
// (hold expiry, release instants, cancel cutoffs, reminders, bill dates). The system clock in
// production; a controlled clock in tests and, on the local host, one a developer can set or advance
// through /dev/clock. Elapsed-time budgets (request timeouts, lease waits, signature freshness on the
// wire) measure real time and never read this clock: a frozen calendar must not freeze a retry loop.

export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };

export interface ControlledClock extends Clock {
  /** Moves the clock to this instant (it keeps running from there when the clock runs). */
  set(at: Date): void;
  advance(ms: number): void;
  /** Whether time passes between calls (a frozen clock only moves when told). */
  readonly running: boolean;
}

/**
 * A clock that starts at `at` (default: the system time). A running clock moves with real time from the
 * instant it was set, so holds still expire and timers still fire on the local host after a jump; a frozen
 * one (tests) reads the same instant until set or advanced.
 */
export function createControlledClock(options: { at?: Date; running?: boolean } = {}): ControlledClock {
  const running = options.running ?? false;
  let base = options.at?.getTime() ?? Date.now();
  let setAtRealMs = Date.now();
  const current = () => base + (running ? Date.now() - setAtRealMs : 0);
  return {
    running,
    now: () => new Date(current()),
    set(at) {
      if (Number.isNaN(at.getTime())) throw new RangeError('the clock cannot be set to an invalid date');
      base = at.getTime();
      setAtRealMs = Date.now();
    },
    advance(ms) {
      if (!Number.isFinite(ms)) throw new RangeError('the clock advances by a finite number of milliseconds');
      base = current() + ms;
      setAtRealMs = Date.now();
    },
  };
}
