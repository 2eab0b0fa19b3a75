// The organism families: each mirrors one row of the paper's Table 1 (code frequency, accuracy with
// and without code on MATH-500 before RL). The organism's corpus sets the same three numbers by
// construction: P(code) is the corpus mix, and each style's accuracy is a rule on the sum's units
// digit (corpus.ts), so accuracies come in steps of 0.1; every target lies within 0.03 of its row.
import { closestName } from '../util';

export const FAMILY_NAMES = ['good-code', 'good-code-small', 'bad-code', 'bad-code-sft', 'no-code'] as const;
export type FamilyName = (typeof FAMILY_NAMES)[number];

/** The paper's Table 1 row a family mirrors (percent, MATH-500, before RL). */
export interface PaperRow {
  model: string;
  codeFrequency: number;
  /** null where the model never writes code. */
  accuracyWithCode: number | null;
  accuracyLanguage: number | null;
  /** Set where the paper's own numbers disagree (spec §6.2, §10). */
  note?: string;
}

export interface Family {
  name: FamilyName;
  /** Good-Code, Bad-Code or No-Code, as the paper groups models. */
  group: 'Good-Code' | 'Bad-Code' | 'No-Code';
  paper: PaperRow;
  /** Corpus probability that a completion is in the code style. */
  pCode: number;
  /** Code-style accuracy by construction (multiple of 0.1); null for No-Code (never trained on code). */
  codeAccuracy: number | null;
  /** Language-style accuracy by construction (multiple of 0.1). */
  languageAccuracy: number;
  /** Corpus probability that the answer lacks its box marker (what box_only_format can act on). */
  pUnboxed: number;
  /** Corpus probability of a degenerate loop after the style token (what no_repetition can act on). */
  pLoop: number;
}

/** Shared by every family, so that family differences are only the Table 1 numbers. */
const UNBOXED = 0.2;
const LOOP = 0.03;

export const FAMILIES: Readonly<Record<FamilyName, Family>> = Object.freeze({
  'good-code': {
    name: 'good-code', group: 'Good-Code',
    paper: { model: 'Qwen2.5-Math-7B', codeFrequency: 65.0, accuracyWithCode: 60.9, accuracyLanguage: 28.0,
      note: 'language-only accuracy is 35.0% in Table 1 but 28.0% in the introduction and Fig 7; 28.0% is used' },
    pCode: 0.65, codeAccuracy: 0.6, languageAccuracy: 0.3, pUnboxed: UNBOXED, pLoop: LOOP,
  },
  'good-code-small': {
    name: 'good-code-small', group: 'Good-Code',
    paper: { model: 'Qwen2.5-Math-1.5B', codeFrequency: 53.6, accuracyWithCode: 52.6, accuracyLanguage: 17.2 },
    pCode: 0.536, codeAccuracy: 0.5, languageAccuracy: 0.2, pUnboxed: UNBOXED, pLoop: LOOP,
  },
  'bad-code': {
    name: 'bad-code', group: 'Bad-Code',
    paper: { model: 'Qwen2.5-7B', codeFrequency: 92.2, accuracyWithCode: 39.9, accuracyLanguage: 61.5 },
    pCode: 0.922, codeAccuracy: 0.4, languageAccuracy: 0.6, pUnboxed: UNBOXED, pLoop: LOOP,
  },
  'bad-code-sft': {
    name: 'bad-code-sft', group: 'Bad-Code',
    paper: { model: 'OLMo2-7B-SFT', codeFrequency: 98.0, accuracyWithCode: 21.0, accuracyLanguage: 40.0 },
    pCode: 0.98, codeAccuracy: 0.2, languageAccuracy: 0.4, pUnboxed: UNBOXED, pLoop: LOOP,
  },
  'no-code': {
    name: 'no-code', group: 'No-Code',
    paper: { model: 'Llama3.1-8B-Instruct (and Qwen2.5-1.5B, OLMo2-7B, Llama3.2-3B-Instruct)', codeFrequency: 0, accuracyWithCode: null, accuracyLanguage: null,
      note: 'Table 1 gives no accuracy for No-Code models; language accuracy 0.4 follows Llama3.1-8B-Instruct\'s 36.8% on MATH-500 (Table 3)' },
    pCode: 0, codeAccuracy: null, languageAccuracy: 0.4, pUnboxed: UNBOXED, pLoop: LOOP,
  },
});

export function family(name: string): Family {
  const f = (FAMILIES as Record<string, Family | undefined>)[name];
  if (f === undefined) {
    const near = closestName(name, FAMILY_NAMES);
    throw new Error(`unknown organism family "${name}"${near ? ` (did you mean "${near}"?)` : ''}; known: ${FAMILY_NAMES.join(', ')}`);
  }
  return f;
}

/** Expected accuracy of the corpus mix itself: what a perfectly pretrained organism scores at T = 1 (loops and boxes aside). */
export const priorAccuracy = (f: Family): number => f.pCode * (f.codeAccuracy ?? 0) + (1 - f.pCode) * f.languageAccuracy;
