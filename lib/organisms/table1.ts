// The organisms' Table 1 beside the paper's (spec §6.2): code frequency and accuracy with and without
// code before RL. Organism numbers are measured on the 800 held-out problems (exact P(code);
// forced-greedy accuracy per style; sampled code frequency with its Wilson interval).
import { FAMILIES, type FamilyName } from './families';
import type { OrganismRecord } from './organism';

export interface Table1Row {
  family: FamilyName;
  model: string;
  paperCode: number;
  organismCode: number;
  /** Sampled (T = 1) code frequency, one sample per held-out problem, and its 95% interval. */
  sampledCode: number | null;
  sampledCodeLow: number | null;
  sampledCodeHigh: number | null;
  paperAccCode: number | null;
  organismAccCode: number | null;
  paperAccLanguage: number | null;
  organismAccLanguage: number | null;
  organismExpectedAccuracy: number;
  gate: 'passed' | 'failed';
}

export function table1Rows(records: readonly OrganismRecord[]): Table1Row[] {
  return records.map((r) => {
    const f = FAMILIES[r.family];
    const e = r.heldOut;
    const pct = (x: number | null): number | null => (x === null ? null : x / 100);
    return {
      family: r.family, model: f.paper.model,
      paperCode: f.paper.codeFrequency / 100, organismCode: e.pCode,
      sampledCode: e.sampled?.codeFrequency.rate ?? null, sampledCodeLow: e.sampled?.codeFrequency.low ?? null, sampledCodeHigh: e.sampled?.codeFrequency.high ?? null,
      paperAccCode: pct(f.paper.accuracyWithCode), organismAccCode: e.greedyAccuracy.code ?? null,
      paperAccLanguage: pct(f.paper.accuracyLanguage), organismAccLanguage: e.greedyAccuracy.language ?? null,
      organismExpectedAccuracy: e.expectedAccuracy,
      gate: r.gate.passed ? 'passed' : 'failed',
    };
  });
}
