// Authors mode of the math verifier: a faithful port of the paper's `math` reward (Qwen2.5-Math
// extract_answer + strip_string, PRM800K grade_answer) and of the `box_only_format` extraction,
// quirks included (spec §3.2-3.5). The sympy step is replaced by the strict verifier's value comparison.

export { authorsExtractAnswer, authorsExtractBoxOnly, authorsExtractChoice } from './extract';
export { gradeAnswer as authorsGradeAnswer, normalizeForGrading as authorsNormalizeForGrading, type GradeOptions } from './grade';
export { normalizeAnswerHendrycks } from './hendrycks';
export { stripString as qwenStripString } from './strip-string';
export { latexToText } from './latex-to-text';
export { authorsVerify, type AuthorsVerifyOptions } from './verify';
