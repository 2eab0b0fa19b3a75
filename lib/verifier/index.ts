// Public API of the math verifier (lib/verifier). Other folders import only from here.
export type { Verdict, VerdictReason, VerifierMode, VerifyOptions } from './types';
export { verify, extractAnswer, extractBoxedOnly, answersEquivalent, describeVerdict } from './api';
export { compareAnswers, type Comparison } from './compare';
export {
  scoreCorpus, accuracyMatrix, gradeItem, tallyByKind, isTrailingPeriod, REFERENCE_GRADERS,
  type LabelledItem, type KindScore, type AccuracyMatrixRow, type LabelTally, type ScoreOptions, type GraderName, type ReferenceGrader,
} from './score';
export { DEFAULT_DEADLINE_MS, LIMITS } from './limits';
