// Public API of lib/detectors: code-reasoning and repetition detectors. Pure TS, no tfjs; never executes text.
export { mentionsPython, hasPythonFence } from './python-mention';
export { hasRepetition, findRepetition, AUTHORS_REPETITION, type RepetitionOptions, type RepetitionHit } from './repetition';
export { classifyReasoning, type ReasoningStrategy, type ReasoningFeatures, type ReasoningClassification } from './reasoning';
export { compareDetectors, type DetectorComparison, type DetectorDisagreement, type ConfusionCell } from './compare';
export { DETECTORS, getDetector, type DetectorName, type DetectorFn, type Detection } from './registry';
