// Resource caps of the strict verifier and the clock that enforces its deadline.
// Every loop that can grow with the input calls Budget.tick(), which reads the clock only every 256 ticks.

/** Raised when a size, depth, digit or time cap is hit; callers turn it into the 'limit_exceeded' reason. */
export class LimitError extends Error {
  constructor(readonly what: string) {
    super(`limit exceeded: ${what}`);
    this.name = 'LimitError';
  }
}

export const LIMITS = {
  /** Longest answer string the parser will read (the 40x40 matrix is ~6.5 KB; nested pathological items ~50 KB). */
  answerChars: 100_000,
  /** Parser nesting depth (brackets, \frac, \sqrt, exponents, unary signs). */
  depth: 200,
  /** Digits of any exact integer (numerator or denominator) built during evaluation. */
  digits: 5_000,
  /** Largest n for which n! is computed exactly. */
  factorial: 1_500,
  /** Most elements compared in a tuple, set or matrix. */
  elements: 4_000,
  /** Tail of a response that extraction scans (all boxes of interest are near the end). */
  responseTail: 250_000,
} as const;

const now: () => number =
  typeof performance !== 'undefined' && typeof performance.now === 'function' ? () => performance.now() : () => Date.now();

/** A wall-clock budget for one verifier call. */
export class Budget {
  private readonly end: number;
  private n = 0;
  constructor(deadlineMs: number) {
    this.end = now() + Math.max(0, deadlineMs);
  }
  /** Counts one unit of work; throws LimitError once the deadline has passed (checked every 256 ticks). */
  tick(): void {
    if ((++this.n & 255) === 0 && now() > this.end) throw new LimitError('deadline');
  }
  /** Checks the clock now. */
  check(): void {
    if (now() > this.end) throw new LimitError('deadline');
  }
}

/**
 * Default wall-clock deadline of one verifier call. The size, depth and digit caps above are what bound the
 * work (the slowest dev item takes ~15 ms); the clock is only a safety net. It is set far above the worst
 * case so that a verdict does not depend on machine load or on a cold first call (JIT, regex compilation):
 * the same inputs give the same rewards on a busy machine. Pass a smaller `deadlineMs` for a hard latency bound.
 */
export const DEFAULT_DEADLINE_MS = 1000;

/** A budget that never expires (for callers without a deadline, e.g. the authors-mode helper). */
export const NO_DEADLINE_MS = 1e9;
