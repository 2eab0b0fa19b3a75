// Stop strings: a generation ends when any of them appears in its decoded completion
// (not in the prompt), as vLLM's `stop`. Each step decodes only a window of recent
// tokens, so checking stays O(longest stop string) per token instead of O(length).

export type DecodeFn = (ids: readonly number[]) => string;

export interface StopMatch {
  /** The completion text, cut at the first stop string (kept or dropped per includeStopString). */
  text: string;
  /** Which stop string matched. */
  stopString: string;
}

export class StopMatcher {
  private readonly window: number;

  /**
   * `window`: tokens decoded per check. Every token decodes to at least one character (a partial UTF-8
   * byte becomes U+FFFD), so the longest stop string plus a margin for a partial character at the
   * window's start covers any match that the newest token completed.
   */
  constructor(
    readonly stopStrings: readonly string[],
    private readonly decode: DecodeFn,
    private readonly includeStopString: boolean,
  ) {
    this.window = Math.max(...stopStrings.map((s) => s.length)) + 8;
  }

  /** The match the newest token completed, or null. `tokens` is the completion so far. */
  check(tokens: readonly number[]): StopMatch | null {
    const recent = this.decode(tokens.slice(-this.window));
    if (!this.stopStrings.some((s) => recent.includes(s))) return null;
    // Locate the earliest stop string in the whole completion to cut it there.
    const text = this.decode(tokens);
    let at = -1;
    let which = '';
    for (const s of this.stopStrings) {
      const i = text.indexOf(s);
      if (i >= 0 && (at < 0 || i < at || (i === at && s.length > which.length))) {
        at = i;
        which = s;
      }
    }
    if (at < 0) return null; // only an artefact of the window's cut; not in the real text
    return { text: text.slice(0, this.includeStopString ? at + which.length : at), stopString: which };
  }
}
