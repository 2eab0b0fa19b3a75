// The figures of a grid's report, each with a caption computed from what it draws: per family, P(code)
// and expected accuracy over rollout batches per arm (mean over seeds, 95 % t band; collapsed runs
// left out, as in the claims), and the effect of every claim row with its interval.
import type { CellSummary, ClaimRow, GridSpec, TrajectoryRow, Verdict } from '../grid';
import { MIN_GAIN } from '../grid';
import { hasInterval } from '../eval';
import { curveFigure, curvePoints, type CurvePoint } from './curves';
import type { PlotlyFigure, PlotlyTrace } from './plotly';

export interface ReportFigure {
  id: string;
  figure: PlotlyFigure;
  /** What the figure shows and what to see in it, with the numbers it draws. */
  caption: string;
  /** Plot height in CSS pixels. */
  height: number;
}

type TrajectoryMetric = 'pCode' | 'expectedAccuracy';

const METRIC: Readonly<Record<TrajectoryMetric, { name: string; axis: (g: GridSpec) => string; about: (g: GridSpec) => string }>> = {
  pCode: { name: 'P(code)', axis: () => 'P(code), 800 held-out problems', about: () => 'the exact probability that the first completion token picks the code style, averaged over the 800 held-out problems' },
  expectedAccuracy: {
    name: 'expected accuracy', axis: (g) => `expected accuracy, ${g.evalProblems} problems`,
    about: (g) => `the accuracy of the policy's own style choice without sampling noise, on ${g.evalProblems} held-out problems, measured ${g.evalEvery === 1 ? 'after every rollout batch' : `every ${g.evalEvery} rollout batches`}`,
  },
};

/** Trainer variants of the random reward: drawn apart from the rewards, next to the clipped random arm. */
const isRandomVariant = (arm: string): boolean => arm.startsWith('random-') || arm === 'forced-code-random';

const f3 = (x: number): string => x.toFixed(3);
const interval = (p: CurvePoint): string => (hasInterval(p) ? `${f3(p.mean)} [${f3(p.lo)}, ${f3(p.hi)}]` : `${f3(p.mean)} (one run)`);

function lastPoints(points: readonly CurvePoint[]): CurvePoint[] {
  const last = new Map<string, CurvePoint>();
  for (const p of points) if ((last.get(p.group)?.x ?? -Infinity) < p.x) last.set(p.group, p);
  return [...last.values()];
}

function collapsedNote(cells: readonly CellSummary[], family: string, arms: readonly string[]): string {
  const hit = arms.map((a) => [a, cells.filter((c) => c.family === family && c.arm === a && c.collapsed).length] as const).filter(([, k]) => k > 0);
  return hit.length === 0 ? 'No run of these arms collapsed.' : `Collapsed runs left out: ${hit.map(([a, k]) => `${a} ${k}`).join(', ')}.`;
}

function trajectoryFigure(g: GridSpec, cells: readonly CellSummary[], rows: readonly TrajectoryRow[], family: string, arms: readonly string[], metric: TrajectoryMetric, panel: string): ReportFigure {
  const collapsed = new Set(cells.filter((c) => c.collapsed).map((c) => `${c.family}/${c.arm}/${c.seed}`));
  const use = rows.filter((r) => r.family === family && arms.includes(r.arm) && !collapsed.has(`${r.family}/${r.arm}/${r.seed}`));
  const opts = { x: (r: TrajectoryRow) => r.batches, y: (r: TrajectoryRow) => r[metric], group: (r: TrajectoryRow) => r.arm };
  const m = METRIC[metric];
  const start = curvePoints(use, { ...opts, group: undefined }).find((p) => p.x === 0);
  const figure = curveFigure(use, {
    ...opts, runsLabel: (n) => `${n} seed${n === 1 ? '' : 's'}`, title: `${family}: ${m.name} over rollout batches (${panel})`, xTitle: 'rollout batch', yTitle: m.axis(g),
    reference: start === undefined ? [] : [{ y: start.mean, label: `start ${f3(start.mean)}` }],
  });
  const ends = lastPoints(curvePoints(use, opts));
  const measured = ends.length === 0 ? 'No run of these arms has been collected yet.'
    : `After the last batch (mean over seeds [95 % t interval]): ${ends.map((p) => `${p.group} ${interval(p)}`).join('; ')}.`;
  const caption = `${family}, ${m.name} (${m.about(g)}) after each rollout batch, one line per arm: the mean over seeds with its 95 % Student-t band (none where an arm has one seed)`
    + `${start === undefined ? '' : `; the dashed line is the organism before training, ${f3(start.mean)}`}. ${measured} `
    + `What to see: whether an arm's band ends above or below the start line, i.e. the change the claims table tests. ${collapsedNote(cells, family, arms)}`;
  return { id: `${family}-${metric}-${panel.replace(/\W+/g, '-')}`, figure, caption, height: 420 };
}

/** Per family and metric, the rewards' figure and, when the grid has any, the random-reward variants' figure. */
export function trajectoryFigures(g: GridSpec, cells: readonly CellSummary[], rows: readonly TrajectoryRow[]): ReportFigure[] {
  const out: ReportFigure[] = [];
  for (const family of g.families) {
    const arms = g.arms.filter((a) => a.families === undefined || a.families.includes(family)).map((a) => a.name);
    const panels: [string, string[]][] = [['rewards', arms.filter((a) => !isRandomVariant(a))]];
    const variants = arms.filter(isRandomVariant);
    if (variants.length > 0) panels.push(['random-reward variants', [...arms.filter((a) => a === 'random'), ...variants]]);
    for (const metric of ['pCode', 'expectedAccuracy'] as const) {
      for (const [panel, panelArms] of panels) out.push(trajectoryFigure(g, cells, rows, family, panelArms, metric, panel));
    }
  }
  return out;
}

const VERDICT_COLOURS: Readonly<Record<Verdict, string>> = {
  reproduced: '#2ca02c', 'not reproduced': '#d62728', inconclusive: '#ff7f0e', 'no data': '#7f7f7f',
};

const claimLabel = (c: ClaimRow, i: number): string => `${i + 1}. claim ${c.claim} ${c.family}: ${c.comparison} [${c.metric}]`;

/** Every claim row's effect (percentage points) with its 95 % interval, coloured by verdict; rows without runs are left out. */
export function claimEffectsFigure(claims: readonly ClaimRow[]): ReportFigure {
  const shown = claims.map((c, i) => ({ c, label: claimLabel(c, i) })).filter(({ c }) => c.effect !== null && Number.isFinite(c.effect.mean));
  const data: PlotlyTrace[] = [];
  for (const verdict of Object.keys(VERDICT_COLOURS) as Verdict[]) {
    const rows = shown.filter(({ c }) => c.verdict === verdict);
    if (rows.length === 0) continue;
    const bar = (f: (mean: number, lo: number, hi: number) => number): number[] => rows.map(({ c }) => {
      const e = c.effect as NonNullable<ClaimRow['effect']>;
      return hasInterval(e) ? 100 * f(e.mean, e.lo, e.hi) : 0;
    });
    data.push({
      type: 'scatter', mode: 'markers', name: verdict, orientation: 'h',
      x: rows.map(({ c }) => 100 * (c.effect as NonNullable<ClaimRow['effect']>).mean), y: rows.map(({ label }) => label),
      marker: { color: VERDICT_COLOURS[verdict], size: 8 },
      error_x: { type: 'data', symmetric: false, array: bar((m, _l, h) => h - m), arrayminus: bar((m, l) => m - l), color: VERDICT_COLOURS[verdict] },
    });
  }
  const line = (x: number, dash: string) => ({ type: 'line', yref: 'paper', y0: 0, y1: 1, x0: x, x1: x, line: { dash, color: '#555', width: 1 } });
  const figure: PlotlyFigure = {
    data,
    layout: {
      title: { text: 'Every claim row: effect with its 95 % interval, by verdict', y: 0.98, yanchor: 'top' },
      xaxis: { title: { text: 'effect (percentage points; change from start, or paired difference of arms)' }, zeroline: false },
      yaxis: { automargin: true, autorange: 'reversed', categoryorder: 'array', categoryarray: shown.map(({ label }) => label) },
      shapes: [line(0, 'dash'), line(100 * MIN_GAIN, 'dot')],
      margin: { t: 80, l: 20 },
      legend: { orientation: 'h', x: 0, y: 1.02, yanchor: 'bottom' },
    },
  };
  const left = claims.length - shown.length;
  const caption = `One point per claim row (numbered as in the table), its mean effect in percentage points with the 95 % interval (none with one run), `
    + `coloured by verdict. The dashed line is 0, the dotted line +${(100 * MIN_GAIN).toFixed(0)} pp, the largest change a no-gain claim may reach. `
    + `What to see: gains whose interval lies wholly right of 0, and no-gain rows whose interval ends left of the dotted line.`
    + `${left > 0 ? ` ${left} row${left === 1 ? '' : 's'} without runs ${left === 1 ? 'is' : 'are'} not drawn.` : ''}`;
  return { id: 'claim-effects', figure, caption, height: Math.max(320, 140 + 26 * shown.length) };
}
