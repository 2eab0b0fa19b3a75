// One self-contained HTML file: plotly.js inlined once in the head, each figure's JSON in its own
// <script type="application/json"> element, one loop that draws them all; the claim table, the
// figures with their captions, and the configuration (grid.json, provenance) as tables.
import { readFileSync } from 'node:fs';
import type { ArmSpec } from '../grid';
import { claimTableRows, verdictCounts } from './claims-table';
import { claimEffectsFigure, trajectoryFigures, type ReportFigure } from './grid-figures';
import { plotlyBundlePath } from './plotly';
import type { ReportInput } from './read';

const esc = (s: string): string => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/** JSON that is safe inside a <script> element: no "<" can close it. */
const scriptJson = (v: unknown): string => JSON.stringify(v).replace(/</g, '\\u003c');

/** A script's source inlined as is; one that could close its own element is refused rather than altered. */
function inlineScript(source: string, what: string): string {
  if (/<\/script/i.test(source)) throw new Error(`${what}: contains "</script", which would end the inlined script early`);
  return `<script>${source}</script>`;
}

function table(header: readonly string[], rows: readonly (readonly string[])[], cls = ''): string {
  const head = header.map((h) => `<th>${esc(h)}</th>`).join('');
  const body = rows.map((r) => `<tr>${r.map((c) => `<td>${esc(c)}</td>`).join('')}</tr>`).join('\n');
  return `<table${cls ? ` class="${cls}"` : ''}><thead><tr>${head}</tr></thead><tbody>\n${body}\n</tbody></table>`;
}

function claimsSection(input: ReportInput): string {
  const rows = claimTableRows(input.claims);
  const counts = verdictCounts(input.claims).map((c) => `${c.rows} ${c.verdict}`).join(', ');
  const header = ['#', 'claim', 'family', 'statement', 'comparison, metric', "paper's number", "organism's effect [95 % interval]", 'verdict rule', 'collapsed / runs', 'verdict'];
  const body = rows.map((r, i) => `<tr class="verdict-${r.verdict.replace(/ /g, '-')}">${[String(i + 1), r.claim, r.family, r.statement, r.comparison, r.paper, r.effect, r.expectation, r.collapses, r.verdict]
    .map((c) => `<td>${esc(c)}</td>`).join('')}</tr>`).join('\n');
  const head = header.map((h) => `<th>${esc(h)}</th>`).join('');
  return `<section id="claims"><h2>Claims</h2>
<p>${input.claims.length} claim rows: ${esc(counts)}. Effects are over seeds (claims 1–5: the change of a run from its initial organism, or the paired
difference of two arms run on the same seeds) or over the 800 held-out problems (claim 6: the code-forcing prompt on the initial organism), with
95 % Student-t intervals; collapsed runs are left out and counted. The verdict rules were fixed in lib/grid/claims.ts before any result was read.</p>
<table class="claims"><thead><tr>${head}</tr></thead><tbody>
${body}
</tbody></table></section>`;
}

function figureBlock(f: ReportFigure, i: number): string {
  return `<figure><div class="plot" data-figure="${i}" id="figure-${esc(f.id)}" style="height:${f.height}px"></div>
<figcaption>${esc(f.caption)}</figcaption>
<script type="application/json" id="figure-data-${i}">${scriptJson(f.figure)}</script></figure>`;
}

const armRow = (a: ArmSpec): string[] => [
  a.name, a.reward, a.labels, a.forceCode ? 'yes' : 'no', JSON.stringify(a.algo) === '{}' ? '' : JSON.stringify(a.algo),
  a.freshRolloutsPerMinibatch ? 'yes' : 'no', a.families?.join(', ') ?? 'all', a.about,
];

function configSection(input: ReportInput): string {
  const g = input.spec;
  const p = input.provenance;
  const settings: string[][] = [
    ['grid', g.name], ['families', g.families.join(', ')], ['seeds', g.seeds.join(', ')], ['rollout batches per run', String(g.steps)],
    ['exact evaluation every', `${g.evalEvery} rollout batches, on ${g.evalProblems} held-out problems`],
    ['SGD learning rate per family', Object.entries(g.lr).map(([f, lr]) => `${f} ${lr}`).join(', ')],
    ['trainer (authors preset plus)', JSON.stringify(g.algo)], ['organisms', g.organismRoot ?? 'data/organisms (shipped)'],
  ];
  const prov: string[][] = [
    ['commit', p.commit ?? 'unknown (not a git checkout)'], ['uncommitted changes', p.dirty === null ? 'unknown' : p.dirty ? 'yes' : 'no'],
    ['collected', p.created], ['runs complete', String(p.complete)], ['runs missing', String(p.missing)], ['results folder', input.dir],
  ];
  return `<section id="configuration"><h2>Configuration</h2>
${table(['setting', 'value'], settings)}
<h3>Arms</h3>
${table(['arm', 'reward', 'labels', 'code forced', 'trainer overrides', 'fresh rollouts', 'families', 'what it tests'], g.arms.map(armRow))}
<h3>Provenance</h3>
${table(['field', 'value'], prov)}
<details><summary>grid.json</summary><pre>${esc(JSON.stringify(g, null, 2))}</pre></details>
</section>`;
}

const STYLE = `body{font:14px/1.45 system-ui,sans-serif;margin:2em auto;max-width:1200px;padding:0 1em;color:#222}
table{border-collapse:collapse;margin:.5em 0 1.5em}th,td{border:1px solid #ccc;padding:3px 6px;vertical-align:top;text-align:left}
th{background:#f3f3f3}.claims td:nth-child(7){white-space:nowrap}
tr.verdict-reproduced td:last-child{color:#1a7f1a;font-weight:600}tr.verdict-not-reproduced td:last-child{color:#c62828;font-weight:600}
tr.verdict-inconclusive td:last-child{color:#b26a00}tr.verdict-no-data td:last-child{color:#777}
figure{margin:1.5em 0;border-top:1px solid #eee;padding-top:.5em}figcaption{color:#444;max-width:900px}pre{background:#f7f7f7;padding:.5em;overflow:auto}`;

const DRAW = `for (const el of document.querySelectorAll('[data-figure]')) {
  const fig = JSON.parse(document.getElementById('figure-data-' + el.dataset.figure).textContent);
  Plotly.newPlot(el, fig.data, fig.layout, { responsive: true, displaylogo: false });
}`;

/** Every figure of the report, in order. */
export function reportFigures(input: ReportInput): ReportFigure[] {
  return [claimEffectsFigure(input.claims), ...trajectoryFigures(input.spec, input.cells, input.trajectories)];
}

/** The report as one HTML document. */
export function renderReport(input: ReportInput, figures: readonly ReportFigure[] = reportFigures(input)): string {
  const plotly = readFileSync(plotlyBundlePath(), 'utf8');
  const title = `Spurious rewards on model organisms: the ${input.spec.name} grid`;
  const p = input.provenance;
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${esc(title)}</title>
<style>${STYLE}</style>
${inlineScript(plotly, plotlyBundlePath())}
</head><body>
<h1>${esc(title)}</h1>
<p>${p.complete} runs complete, ${p.missing} missing; ${input.spec.families.length} families × ${input.spec.arms.length} arms × ${input.spec.seeds.length} seeds
× ${input.spec.steps} rollout batches; commit ${esc((p.commit ?? 'unknown').slice(0, 12))}${p.dirty ? ' with uncommitted changes' : ''}, collected ${esc(p.created)}.
The figures are interactive (hover for values, drag to zoom, double-click to reset).</p>
<nav><a href="#claims">Claims</a> · <a href="#figures">Figures</a> · <a href="#configuration">Configuration</a></nav>
${claimsSection(input)}
<section id="figures"><h2>Figures</h2>
${figures.map(figureBlock).join('\n')}
</section>
${configSection(input)}
<script>${DRAW}</script>
</body></html>
`;
}
