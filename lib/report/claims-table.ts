// The claim-by-claim table: one row per ClaimRow (lib/grid's claims, claim 6 included), its cells as
// text. Effects are changes of fractions (P(code), accuracy), shown in percentage points like the
// paper's numbers; the expectation says which interval makes the verdict.
import { MIN_GAIN, type ClaimRow, type Expectation, type Verdict } from '../grid';
import { hasInterval, type TInterval } from '../eval';
import { VERDICTS } from './read';

export interface ClaimTableRow {
  claim: string;
  family: string;
  statement: string;
  /** The comparison and the metric it is on. */
  comparison: string;
  paper: string;
  /** Mean change in percentage points, its 95 % interval and the number of runs (or problems). */
  effect: string;
  /** What the verdict asks of the interval. */
  expectation: string;
  /** Collapsed / runs per arm involved ('' for claim 6, which uses no runs). */
  collapses: string;
  verdict: Verdict;
}

const METRIC_NAMES: Readonly<Record<string, string>> = {
  expectedAccuracy: 'expected accuracy',
  pCode: 'P(code)',
  sampledAccuracy: 'sampled accuracy',
};

const pp = (x: number, signed = true): string => `${signed && x >= 0 ? '+' : ''}${(100 * x).toFixed(1)}`;

/** "+12.3 pp [8.1, 16.5], n = 6"; one run: "+3.0 pp, n = 1 (no interval)"; none: "no runs". */
export function formatEffect(e: TInterval | null): string {
  if (e === null || e.n === 0) return 'no runs';
  if (!hasInterval(e)) return `${pp(e.mean)} pp, n = ${e.n} (no interval)`;
  return `${pp(e.mean)} pp [${pp(e.lo)}, ${pp(e.hi)}], n = ${e.n}`;
}

export function expectationText(expect: Expectation): string {
  if (expect === 'gain') return 'gain: interval above 0';
  if (expect === 'loss') return 'loss: interval below 0';
  return `no gain: upper end below +${(100 * MIN_GAIN).toFixed(0)} pp`;
}

export function claimTableRows(claims: readonly ClaimRow[]): ClaimTableRow[] {
  return claims.map((c) => ({
    claim: String(c.claim),
    family: c.family,
    statement: c.statement,
    comparison: `${c.comparison}, ${METRIC_NAMES[c.metric] ?? c.metric}`,
    paper: c.paper,
    effect: formatEffect(c.effect),
    expectation: expectationText(c.expect),
    collapses: Object.entries(c.collapses).map(([arm, k]) => `${arm} ${k.collapsed}/${k.runs}`).join('; '),
    verdict: c.verdict,
  }));
}

/** How many rows have each verdict, in the order reproduced, not reproduced, inconclusive, no data. */
export function verdictCounts(claims: readonly ClaimRow[]): { verdict: Verdict; rows: number }[] {
  return VERDICTS.map((verdict) => ({ verdict, rows: claims.filter((c) => c.verdict === verdict).length }));
}
