// The paper's claims tested on the grid (issue 9, "The science"). Each row is one effect with its
// 95% Student-t interval over seeds: an arm's change from the initial organism (final − initial of
// the same run), or a paired difference of two arms over the seeds both ran. Collapsed runs (an
// answer-table match below 0.9 at any evaluation) are left out of every effect and counted per arm.
// The verdict rules are fixed here, before any result is read:
//   gain     reproduced when the interval lies above 0, not reproduced when it lies below 0;
//   loss     the mirror image;
//   no-gain  reproduced when the upper end is below MIN_GAIN, not reproduced when the interval lies above 0;
//   otherwise inconclusive (fewer than 2 runs: no data).
import { tInterval, type TInterval } from '../eval';
import { family as familyByName } from '../organisms';
import type { CellSummary, OrganismLogRecord } from './run-cell';

export type ClaimMetric = 'expectedAccuracy' | 'pCode' | 'sampledAccuracy';
export type Expectation = 'gain' | 'loss' | 'no-gain';
export type Verdict = 'reproduced' | 'not reproduced' | 'inconclusive' | 'no data';

/** The smallest change in accuracy (or code frequency) counted as a gain: 2 points. */
export const MIN_GAIN = 0.02;

export interface CollapseCount {
  /** Runs whose active style's table broke: left out. */
  collapsed: number;
  /** Runs where only an abandoned style's table decayed (kept in). */
  abandonedStyleOnly: number;
  runs: number;
}

export interface ClaimRow {
  claim: number;
  statement: string;
  family: string;
  /** "arm vs start" or "armA − armB (paired)". */
  comparison: string;
  metric: ClaimMetric;
  expect: Expectation;
  effect: TInterval | null;
  /** Per arm involved. */
  collapses: Record<string, CollapseCount>;
  verdict: Verdict;
  /** The paper's corresponding number, for context (Qwen2.5-Math-7B unless said). */
  paper: string;
}

export function metricOf(r: OrganismLogRecord, m: ClaimMetric): number | null {
  if (m === 'pCode') return r.pCode;
  if (m === 'expectedAccuracy') return r.eval?.expectedAccuracy ?? null;
  return r.eval?.sampled?.accuracy.rate ?? null;
}

export function verdictFor(expect: Expectation, e: TInterval | null): Verdict {
  if (e === null || e.n < 2) return 'no data';
  if (expect === 'gain') return e.lo > 0 ? 'reproduced' : e.hi < 0 ? 'not reproduced' : 'inconclusive';
  if (expect === 'loss') return e.hi < 0 ? 'reproduced' : e.lo > 0 ? 'not reproduced' : 'inconclusive';
  return e.hi < MIN_GAIN ? 'reproduced' : e.lo > 0 ? 'not reproduced' : 'inconclusive';
}

type Index = Map<string, CellSummary>;
const k = (family: string, arm: string, seed: number): string => `${family}/${arm}/${seed}`;

/** Collapsed runs (left out of effects), runs where only an abandoned style decayed, and all runs of one arm. */
export function collapseCount(cells: readonly CellSummary[], family: string, arm: string): CollapseCount {
  const runs = cells.filter((c) => c.family === family && c.arm === arm);
  return {
    collapsed: runs.filter((c) => c.collapsed).length,
    abandonedStyleOnly: runs.filter((c) => !c.collapsed && c.collapsedAnyStyle === true).length,
    runs: runs.length,
  };
}

/** final − initial of every intact run of an arm. */
export function changeFromStart(cells: readonly CellSummary[], family: string, arm: string, m: ClaimMetric): number[] {
  const out: number[] = [];
  for (const c of cells) {
    if (c.family !== family || c.arm !== arm || c.collapsed) continue;
    const a = metricOf(c.final, m);
    const b = metricOf(c.initial, m);
    if (a !== null && b !== null) out.push(a - b);
  }
  return out;
}

/** final(armA) − final(armB) over the seeds where both ran intact. */
export function pairedArmDifference(cells: readonly CellSummary[], family: string, armA: string, armB: string, m: ClaimMetric): number[] {
  const idx: Index = new Map(cells.map((c) => [k(c.family, c.arm, c.seed), c]));
  const out: number[] = [];
  for (const c of cells) {
    if (c.family !== family || c.arm !== armA || c.collapsed) continue;
    const other = idx.get(k(family, armB, c.seed));
    if (other === undefined || other.collapsed) continue;
    const a = metricOf(c.final, m);
    const b = metricOf(other.final, m);
    if (a !== null && b !== null) out.push(a - b);
  }
  return out;
}

interface Spec {
  claim: number;
  statement: string;
  family: string;
  arm: string;
  /** null = change from start; else the arm it is paired with. */
  versus: string | null;
  metric: ClaimMetric;
  expect: Expectation;
  paper: string;
}

function row(cells: readonly CellSummary[], s: Spec): ClaimRow {
  const xs = s.versus === null ? changeFromStart(cells, s.family, s.arm, s.metric) : pairedArmDifference(cells, s.family, s.arm, s.versus, s.metric);
  const effect = xs.length === 0 ? null : tInterval(xs);
  const arms = s.versus === null ? [s.arm] : [s.arm, s.versus];
  return {
    claim: s.claim, statement: s.statement, family: s.family,
    comparison: s.versus === null ? `${s.arm} vs start` : `${s.arm} − ${s.versus} (paired)`,
    metric: s.metric, expect: s.expect, effect,
    collapses: Object.fromEntries(arms.map((a) => [a, collapseCount(cells, s.family, a)])),
    verdict: verdictFor(s.expect, effect), paper: s.paper,
  };
}

const PAPER_GAIN: Readonly<Record<string, string>> = {
  'ground-truth': 'GT +29.1 pp MATH-500',
  'majority-vote': 'MV +27.1 pp',
  'one-shot': '1-shot +26.0 pp',
  incorrect: 'incorrect +24.1 pp',
  random: 'random +21.4 pp; code 65% -> 95.6%',
  format: 'format +13.8 pp',
};
const SPURIOUS = ['random', 'format', 'incorrect', 'majority-vote', 'one-shot'];

/** Every claim row the cells allow (rows whose arms did not run are left out). */
export function claimRows(cells: readonly CellSummary[]): ClaimRow[] {
  const has = (family: string, arm: string): boolean => cells.some((c) => c.family === family && c.arm === arm);
  const families = [...new Set(cells.map((c) => c.family))];
  const specs: Spec[] = [];
  for (const f of families) {
    if (has(f, 'ground-truth')) {
      specs.push({ claim: 1, statement: 'Ground truth raises accuracy', family: f, arm: 'ground-truth', versus: null, metric: 'expectedAccuracy', expect: 'gain',
        paper: 'Qwen-Math-7B +29.1 pp; OLMo2-7B +15.5 or +16.7; Llama3.1-8B-Instruct about +7.4' });
    }
    const group = familyByName(f).group;
    for (const arm of SPURIOUS.filter((a) => has(f, a))) {
      if (group === 'Good-Code') {
        specs.push({ claim: 2, statement: `${arm} raises accuracy (Good-Code)`, family: f, arm, versus: null, metric: 'expectedAccuracy', expect: 'gain', paper: PAPER_GAIN[arm] });
        specs.push({ claim: 2, statement: `${arm} raises code frequency (Good-Code)`, family: f, arm, versus: null, metric: 'pCode', expect: 'gain', paper: 'code 65% -> ~90% within ~15 steps (random: rises gradually to 95.6%)' });
      } else if (group === 'No-Code') {
        specs.push({ claim: 3, statement: `${arm} gives no gain (No-Code)`, family: f, arm, versus: null, metric: 'expectedAccuracy', expect: 'no-gain', paper: 'Llama: flat or worse; OLMo2-7B: flat except GT (bars -6.4 to +0.4)' });
      } else {
        specs.push({ claim: 4, statement: `${arm} gives no gain (Bad-Code)`, family: f, arm, versus: null, metric: 'expectedAccuracy', expect: 'no-gain',
          paper: 'OLMo2-7B-SFT degrades under format and incorrect; but Qwen2.5-7B gains from most signals (+15.5 to +34.4)' });
      }
    }
    if (group === 'Bad-Code') {
      for (const [compound, plain] of [['format-no-python', 'format'], ['incorrect-no-python', 'incorrect']]) {
        if (has(f, compound) && has(f, plain)) {
          specs.push({ claim: 4, statement: `${compound} helps more than ${plain} (Bad-Code)`, family: f, arm: compound, versus: plain, metric: 'expectedAccuracy', expect: 'gain',
            paper: 'OLMo2-7B-SFT +8.9 (format, no Python) and +5.5 (incorrect, no Python) where the plain rewards degrade' });
        }
      }
    }
    if (group === 'Good-Code' && has(f, 'random')) {
      for (const variant of ['random-no-clip', 'random-m1', 'random-small-batch', 'random-eps-high'].filter((a) => has(f, a))) {
        const paper = variant === 'random-eps-high' ? 'not in the paper; notebook 02 predicts eps_high 0.28 removes or reverses the drift' : 'Fig 11: only clipped GRPO gains (~+21 pp); the variant shows no robust gain';
        specs.push({ claim: 5, statement: `${variant}: no random-reward gain`, family: f, arm: variant, versus: null, metric: 'expectedAccuracy', expect: 'no-gain', paper });
        specs.push({ claim: 5, statement: `random (clipped) gains more code than ${variant}`, family: f, arm: 'random', versus: variant, metric: 'pCode', expect: 'gain', paper });
        specs.push({ claim: 5, statement: `random (clipped) gains more accuracy than ${variant}`, family: f, arm: 'random', versus: variant, metric: 'expectedAccuracy', expect: 'gain', paper });
      }
    }
  }
  return specs.map((s) => row(cells, s));
}
