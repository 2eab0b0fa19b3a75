// The claim table in short, as markdown: one row per (claim, family), each effect in a few words with
// its verdict as a symbol. README.md carries it between marker comments, rebuilt by
// `rlvr report DIR --readme README.md` from the committed claims.json (a test keeps the two equal).
import { hasInterval } from '../eval';
import { gateFromCells, GATE_ARMS, GATE_MAX_COLLAPSE_RATE, type CellSummary, type ClaimRow, type Verdict } from '../grid';

export const README_CLAIMS_BEGIN = '<!-- claims:begin (rlvr report data/results/full --readme README.md writes this table) -->';
export const README_CLAIMS_END = '<!-- claims:end -->';

const cell = (s: string): string => s.replace(/\|/g, '\\|').replace(/\n/g, ' ');

const SYMBOL: Readonly<Record<Verdict, string>> = { reproduced: '✓', 'not reproduced': '✗', inconclusive: '?', 'no data': '–' };
const pp = (x: number): string => `${x >= 0 ? '+' : ''}${(100 * x).toFixed(1)}`;

/** "format +6.1 [+0.0, +12.3] ✓": what was compared, the mean change in pp, its 95% interval, the verdict's symbol. */
function effectLine(c: ClaimRow): string {
  const what = `${c.comparison.replace(/ vs start$/, '').replace(/ vs own choice.*$/, '').replace(/ \(paired.*\)$/, '')}${c.metric === 'pCode' ? ' P(code)' : ''}`;
  const e = c.effect;
  const value = e === null || e.n === 0 ? 'no runs' : hasInterval(e) ? `${pp(e.mean)} [${pp(e.lo)}, ${pp(e.hi)}]` : `${pp(e.mean)} (n = 1)`;
  return `${what} ${value} ${SYMBOL[c.verdict]}`;
}

/** "4-5 seeds" (or "800 problems" for claim 6): what the effects of a group rest on. */
function basis(rows: readonly ClaimRow[]): string {
  const ns = rows.map((r) => r.effect?.n ?? 0);
  const lo = Math.min(...ns);
  const hi = Math.max(...ns);
  const unit = rows[0].claim === 6 ? 'problem' : 'seed';
  return `${lo === hi ? lo : `${lo}-${hi}`} ${unit}${hi === 1 ? '' : 's'}`;
}

/** The markdown table: claim, family, verdict counts, and every effect of the group. */
export function claimsMarkdown(claims: readonly ClaimRow[]): string {
  const groups = new Map<string, ClaimRow[]>();
  for (const c of claims) {
    const key = `${c.claim}\u0000${c.family}`;
    groups.set(key, [...(groups.get(key) ?? []), c]);
  }
  const lines = [
    '| claim | family | n | effects: change in percentage points of expected accuracy (or P(code)), 95% t interval; ✓ reproduced, ✗ not reproduced, ? inconclusive, – no data |',
    '| --- | --- | --- | --- |',
  ];
  for (const rows of groups.values()) {
    const first = rows[0];
    lines.push(`| ${first.claim} | ${first.family} | ${basis(rows)} | ${cell(rows.map(effectLine).join('; '))} |`);
  }
  return `${lines.join('\n')}\n`;
}

/**
 * The robustness gate in short: per family, each gate arm's collapsed runs (left out of the effects)
 * with the 95% interval of the rate, against the bound.
 */
export function gateMarkdown(cells: readonly CellSummary[], families: readonly string[]): string {
  const pct = (x: number): string => `${(100 * x).toFixed(0)}%`;
  const lines = [
    `| robustness gate | ${GATE_ARMS.join(' | ')} |`,
    `| --- | ${GATE_ARMS.map(() => '---').join(' | ')} |`,
  ];
  for (const f of families) {
    const rows = gateFromCells(cells, f);
    if (rows.length === 0) continue;
    const byArm = new Map(rows.map((g) => [g.arm, g]));
    const entry = (arm: string): string => {
      const g = byArm.get(arm);
      if (g === undefined) return '–';
      const c = g.collapses;
      return `${c.k}/${c.n} collapsed (${pct(c.rate)}, 95% ${(100 * c.low).toFixed(0)}-${pct(c.high)}) ${g.passes ? '✓' : '✗'}`;
    };
    lines.push(`| ${f} | ${GATE_ARMS.map(entry).join(' | ')} |`);
  }
  return `${lines.join('\n')}\n\nThe gate allows at most ${pct(GATE_MAX_COLLAPSE_RATE)} of an arm's runs to collapse (docs/organisms.md, "The robustness gate").\n`;
}

/** What README.md carries between the markers: the claim table, then the gate table. */
export function readmeResultsBlock(claims: readonly ClaimRow[], cells: readonly CellSummary[], families: readonly string[]): string {
  return `${claimsMarkdown(claims)}\n${gateMarkdown(cells, families)}`;
}

/** `text` with the block between the claim markers replaced by `table`; an error when the markers are missing. */
export function replaceClaimsBlock(text: string, table: string, where: string): string {
  const b = text.indexOf(README_CLAIMS_BEGIN);
  const e = text.indexOf(README_CLAIMS_END);
  if (b < 0 || e < b) throw new Error(`${where}: no claim table markers (${README_CLAIMS_BEGIN} ... ${README_CLAIMS_END})`);
  return `${text.slice(0, b + README_CLAIMS_BEGIN.length)}\n${table}${text.slice(e)}`;
}

/** The table currently between the markers of `text` (null without markers). */
export function claimsBlockOf(text: string): string | null {
  const b = text.indexOf(README_CLAIMS_BEGIN);
  const e = text.indexOf(README_CLAIMS_END);
  return b < 0 || e < b ? null : text.slice(b + README_CLAIMS_BEGIN.length + 1, e);
}
