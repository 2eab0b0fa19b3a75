// Public types of the math verifier. Expected failures are data (a reason), not exceptions.

/**
 * `strict`: true mathematical equivalence, the labelling policy of shared/data/verifier (default).
 * `authors`: the paper's `math` reward (Qwen2.5-Math extraction ladder with last-number fallback,
 * strip_string, PRM800K grade_answer ladder), for replications that want fidelity over correctness.
 */
export type VerifierMode = 'strict' | 'authors';

/** Why a verdict came out as it did. */
export type VerdictReason =
  | 'equivalent'
  | 'not_equivalent'
  | 'no_answer' // nothing extractable (no box, no answer form; strict mode never falls back to the last number)
  | 'unclosed_box' // the response is cut off inside its last box
  | 'unparseable' // the answer could not be parsed and string comparison did not match
  | 'limit_exceeded' // a size, depth or time cap was hit; the verdict is false
  | 'empty_gold';

export interface Verdict {
  correct: boolean;
  /** The extracted final answer (after the mode's normalisation), or null when there is none. */
  extracted: string | null;
  reason: VerdictReason;
}

export interface VerifyOptions {
  /** Default `strict`. */
  mode?: VerifierMode;
  /** Treat the input as an already-extracted answer (as if the model had written \boxed{pred}). */
  isPred?: boolean;
  /** R1-style prompting: extraction looks at the text after the last <answer> (authors mode, spec §3.2). */
  r1Style?: boolean;
  /** Wall-clock budget for one call in ms; past it the verdict is `limit_exceeded`. Default 50. */
  deadlineMs?: number;
}
