// lib/organisms: model organisms of the paper's model families (issue 9). A synthetic two-digit
// addition corpus with a code-like and a language-like reasoning style whose accuracies are set by
// rules, the families of Table 1, pretraining with margin sharpening, the organism's own majority
// vote labels, exact metrics, and the organism as a GRPO training task.
export { allProblems, problemSplit, problemText, sampleProblems, sumOf, unitsDigit, HELD_OUT_PER_UNITS_PAIR, type Problem, type ProblemSplit } from './problems';
export { FAMILIES, FAMILY_NAMES, family, priorAccuracy, type Family, type FamilyName, type PaperRow } from './families';
export {
  canonicalCompletion, choicePositions, completionText, drawChoice, organismTokenizer, parseCompletion, slipCount, slips, styleAnswer,
  LOOP_LENGTH, ORGANISM_ALPHABET, ORGANISM_MAX_NEW_TOKENS, STYLES, STYLE_CHAR, type CompletionChoice, type ParsedCompletion, type Style,
} from './corpus';
export { renderCompletion } from './render';
export { extractedAnswer, isCorrect } from './grade';
export {
  evaluateOrganism, exactCodeFrequency, expectedCorrect, familyStyles, firstTokenProbs, forcedGreedy, policyStyles, promptIds, sampleCompletions, sampledMetrics, styleBroke, styleTarget,
  COLLAPSE_ACCURACY_DROP, COLLAPSE_MATCH, type FirstTokenProbs, type ForcedGreedy, type OrganismEval, type PolicyStyles, type SampledMetrics,
} from './metrics';
export { styleTransitions, summarizeTransitions, TRANSITIONS, type StyleChoice, type StyleTransitions, type TransitionCoupling, type TransitionPart, type TransitionSummary } from './transitions';
export {
  corpusBatch, corpusLoss, phaseLr, pretrainConfigFor, pretrainOrganism, phasesDone, removePhaseCheckpoints, PRETRAIN_DEFAULTS, DEFAULT_SHARPEN_TAUS, FAMILY_SHARPEN_TAUS, sharpenTausFor,
  type CorpusBatch, type OrganismModelConfig, type PhaseConfig, type PhaseProgress, type PretrainConfig, type PretrainHooks, type PretrainLogRecord,
} from './pretrain';
export { labelledProblems, majorityVoteLabels, type MvLabel, type MvLabelOptions } from './labels';
export {
  buildOrganism, defaultOrganismDir, organismFolderName, gateChecks, loadOrganismModel, readMvLabels, readOrganism, GATE_TOLERANCE, MV_LABELS_FILE, ORGANISM_FILE,
  type BuildOptions, type GateCheck, type OrganismRecord,
} from './organism';
export { createOrganismTask, oneShotProblem, organismItems, ONE_SHOT_SEED } from './task';

// `task.kind: "organism"` in a TrainConfig builds its task here (lib/grpo does not import this folder).
import { registerOrganismTaskFactory } from '../grpo/train';
import { createOrganismTask } from './task';
registerOrganismTaskFactory(createOrganismTask);
export { table1Rows, type Table1Row } from './table1';
