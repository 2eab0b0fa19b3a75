// Public API of the analyses over datasets and model outputs.
export { Z95, wilsonInterval, type Proportion } from './intervals';
export { mvLabelQuality, type AnswerEquivalence, type MvLabelQualityOptions, type MvLabelQualityRecord } from './mv-label-quality';
