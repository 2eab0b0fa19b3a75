// Grading one sample as the paper's evaluation does (spec §8: always the plain `math` reward, never
// _r1_style), in both verifier modes, plus the paper's code-reasoning detector (spec §6.1).
import { mentionsPython } from '../detectors';
import { verify, type VerdictReason, type VerifierMode } from '../verifier';
import type { SampledText } from './sampler';

export const EVAL_MODES: readonly VerifierMode[] = ['strict', 'authors'];

export interface ModeGrade {
  correct: boolean;
  extracted: string | null;
  reason: VerdictReason;
}

export interface GradedSample {
  text: string;
  finishReason: string | null;
  /** The response mentions "python" (case-insensitive): the paper's code-reasoning test. */
  usesCode: boolean;
  strict: ModeGrade;
  authors: ModeGrade;
}

export function gradeSample(s: SampledText, gold: string): GradedSample {
  const grade = (mode: VerifierMode): ModeGrade => {
    const v = verify(s.text, gold, { mode });
    return { correct: v.correct, extracted: v.extracted, reason: v.reason };
  };
  return { text: s.text, finishReason: s.finishReason, usesCode: mentionsPython(s.text), strict: grade('strict'), authors: grade('authors') };
}
