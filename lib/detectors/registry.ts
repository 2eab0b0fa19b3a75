// DETECTORS: every detector as a pure function of the text with one output shape, looked up by
// name with pick() (notes/style.md §3.1).
import { pick } from '../util';
import { mentionsPython, hasPythonFence } from './python-mention';
import { classifyReasoning } from './reasoning';
import { findRepetition } from './repetition';

/** What a detector says about one text. */
export interface Detection {
  /** The detector fired (code reasoning found, repetition found, ...). */
  hit: boolean;
  /** A short class name: 'code' / 'language', a reasoning strategy, 'repetitive' / 'ok'. */
  label: string;
  /** Plain values that explain the decision. */
  details: Record<string, number | boolean | string>;
}

export type DetectorFn = (text: string) => Detection;

function mentionsPythonDetector(text: string): Detection {
  const hit = mentionsPython(text);
  return { hit, label: hit ? 'code' : 'language', details: {} };
}

function pythonFenceDetector(text: string): Detection {
  const hit = hasPythonFence(text);
  return { hit, label: hit ? 'code' : 'language', details: {} };
}

function codeReasoningDetector(text: string): Detection {
  const { strategy, imaginedOutput, features } = classifyReasoning(text);
  const { fenceLanguages, ...counts } = features;
  return { hit: strategy !== 'natural_language', label: strategy, details: { imaginedOutput, ...counts, fenceLanguages: fenceLanguages.join(',') } };
}

function repetitionDetector(text: string): Detection {
  const hit = findRepetition(text);
  return hit ? { hit: true, label: 'repetitive', details: { ...hit } } : { hit: false, label: 'ok', details: {} };
}

export const DETECTORS = {
  /** The paper's detector (spec §6.1): lower-cased text contains "python". */
  mentions_python: mentionsPythonDetector,
  /** The `contain_python` test: the text contains "```python". */
  python_fence: pythonFenceDetector,
  /** classifyReasoning: code block, code lines or natural language. */
  code_reasoning: codeReasoningDetector,
  /** The authors' repetition test (spec §3.9), behind `no_repetition`. */
  repetition: repetitionDetector,
} satisfies Record<string, DetectorFn>;

export type DetectorName = keyof typeof DETECTORS;

/** The detector registered under `name`; the error lists the known names. */
export function getDetector(name: string): DetectorFn {
  return pick(DETECTORS, name, 'detector');
}
