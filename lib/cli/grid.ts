// `rlvr grid`: the organism grid (lib/grid). Sub-commands: run (a preset, resumable, N processes),
// tune (the learning-rate rule of a family), status, collect (tables + claims into a results
// folder), and cell (one run; what `run` starts in each process).
import { basename, join, resolve } from 'node:path';
import type { CliCommand, CliIo } from './command';
import { UsageError } from './command';
import { parseCommandArgs, positiveInt } from './args';
import { gridProgress, quietProgress } from './grid-progress';
import { findProjectRoot } from '../data';
import { hasInterval } from '../eval';
import {
  claimRows, codeForcingRow, describeGate, gridStatus, wallHours, gateFromCells, gateProbeSpec, runGateProbes, collectGrid, gridOrganismDir, gridCells, readGridSpec, runCell, runGrid, tuneFamily, writeGridResults,
  gridPresetNames, reusableCells, tunedGridSpec, tuningFile, RESULT_FILES, type ClaimRow, type CollectedGrid, type GridSpec,
} from '../grid';
import { family as familyByName } from '../organisms';
import { BACKEND_NAMES, initBackend, type BackendName } from '../tensor';
import { writeFileAtomic } from '../util';

const USAGE = `usage: rlvr grid run --preset NAME [--out DIR] [--jobs N] [--lr X] [--organisms DIR] [--max-cells N] [--family A,B] [--quiet]
       rlvr grid tune --family NAME [--organisms DIR] [--out DIR] [--jobs N]
       rlvr grid gate --family NAME [--organisms DIR] [--lr X] [--arms A,B] [--seeds S1-S2] [--out DIR] [--jobs N]
       rlvr grid status DIR [--results DIR] [--jobs N]
       rlvr grid collect DIR [--results DIR]
       rlvr grid cell DIR KEY [--backend NAME]

The organism grid: families x arms x seeds, each a resumable GRPO run (authors preset, SGD) of the
shipped organisms (data/organisms/<family>-s1), as many processes at a time as --jobs (default 2).
Complete runs are skipped and killed ones resume, so run the same command again to continue.

  run      presets: smoke (CI), quick (npm start), full (the acceptance grid), long (its secondary:
           Good-Code's ground truth and random with and without clip, 100 batches). Learning rates come
           from data/results/tuning/<family>.json (the tuning rule); --lr X overrides it for every family.
           Default --out runs/grid-<preset>. --organisms DIR: organisms as DIR/<family>-s1 instead.
           --family A,B: run only these families' cells now (the others stay pending).
  tune     applies the learning-rate rule to a family: probe seeds 101-103, the clipped random arm
           and the ground-truth arm for 25 rollout batches at SGD lr 0.1, 0.07, 0.05, 0.03 (largest
           first); the largest with mean first-token clip <= 3% over batches 1-5 of the random probes
           and no collapsed probe of either arm is recorded in
           data/results/tuning/<family>.json. Default --out runs/tuning. With --organisms DIR (a
           candidate organism DIR/<family>-s1) the probes run in --out (default runs/tuning-<DIR's
           name>) and the outcome is written there as <family>.json, not into data/results.
  gate     the robustness gate on probe seeds (default 104-113, never evaluation seeds): the
           ground-truth and random arms of the full preset (25 rollout batches) at the family's tuned
           lr (or --lr), of the shipped organism (or --organisms DIR/<family>-s1); prints each arm's
           collapse rate with its 95% interval against the 10% bound and writes gate.json in --out
           (default runs/gate/<family>-lr<lr>[-<organisms folder>]). Exit code 1 when an arm fails.
  status   complete and missing cells of a grid folder (runs collected in --results, default
           data/results/<grid name>, count as complete), and the mean wall time of its runs with the
           time the missing ones and the whole grid take at --jobs processes (default 2).
  collect  writes grid.json, cells.jsonl, trajectories.jsonl, claims.json and provenance.json to
           --results (default data/results/<grid name>), keeping the runs an earlier collect put there
           (so a grid continues across sessions: \`run\` skips the runs collected there).
  cell     runs one cell (KEY = family/arm/sSEED) of the grid in DIR.
`;

const root = (): string => findProjectRoot() ?? process.cwd();
const resultsDir = (name: string): string => join(root(), 'data', 'results', name);
/**
 * The spec of a preset as \`rlvr grid run\` runs it: the tuned learning rates of data/results/tuning/<family>.json,
 * or \`lrFlag\` (--lr) for every family; \`organisms\` (--organisms) a folder of <family>-s1 organisms.
 */
export function presetSpec(presetName: string, lrFlag: string | undefined, organisms: string | undefined): GridSpec {
  let lr: number | undefined;
  if (lrFlag !== undefined) {
    lr = Number(lrFlag);
    if (!(lr > 0)) throw new UsageError(`--lr must be a positive number, received "${lrFlag}"`);
  }
  return tunedGridSpec(presetName, { lr, organisms, root: root() });
}

async function runSub(rest: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseCommandArgs(rest, {
    preset: { type: 'string' }, out: { type: 'string' }, jobs: { type: 'string' }, lr: { type: 'string' }, 'max-cells': { type: 'string' }, organisms: { type: 'string' }, family: { type: 'string' }, quiet: { type: 'boolean' },
  });
  if (positionals.length > 0) throw new UsageError(`unexpected argument "${positionals[0]}"`);
  if (values.preset === undefined) throw new UsageError(`--preset NAME is required (${gridPresetNames().join(', ')})`);
  const spec = presetSpec(values.preset, values.lr, values.organisms);
  const out = values.out ?? join(root(), 'runs', `grid-${spec.name}`);
  const families = values.family?.split(',').map((name) => familyByName(name.trim()).name);
  const unknown = families?.find((f) => !spec.families.includes(f));
  if (unknown !== undefined) throw new UsageError(`--family ${unknown}: not a family of the ${spec.name} preset (${spec.families.join(', ')})`);
  // Cells whose results an earlier session committed (its run folders are gone) are not run again.
  const results = resultsDir(spec.name);
  const completed = new Set(reusableCells(spec, results).keys());
  if (completed.size > 0) io.out(`${results}: ${completed.size} runs already collected there with the same settings are skipped\n`);
  const r = await runGrid(spec, out, {
    completed,
    jobs: positiveInt(values.jobs, '--jobs', 2),
    maxCells: values['max-cells'] === undefined ? undefined : positiveInt(values['max-cells'], '--max-cells', 1),
    families,
    // --quiet: only failures.
    onEvent: values.quiet ? quietProgress(io) : gridProgress(io),
  });
  io.out(`${out}: run \`rlvr grid collect ${out}\` for the tables and claims\n`);
  return r.stopped ? 130 : r.failed > 0 ? 1 : 0;
}

async function tuneSub(rest: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseCommandArgs(rest, { family: { type: 'string' }, organisms: { type: 'string' }, out: { type: 'string' }, jobs: { type: 'string' } });
  if (positionals.length > 0) throw new UsageError(`unexpected argument "${positionals[0]}"`);
  if (values.family === undefined) throw new UsageError('--family NAME is required');
  const f = familyByName(values.family);
  const organismRoot = values.organisms === undefined ? null : resolve(values.organisms);
  const out = values.out ?? join(root(), 'runs', organismRoot === null ? 'tuning' : `tuning-${basename(organismRoot)}`);
  const t = await tuneFamily(f.name, out, undefined, { jobs: positiveInt(values.jobs, '--jobs', 2), onEvent: gridProgress(io), organismRoot });
  for (const p of t.probes) io.out(`  lr ${p.lr} ${p.arm} seed ${p.seed}: first-token clip ${(100 * p.clipFirstToken).toFixed(2)}%${p.collapsed ? `, collapsed at batch ${p.collapsedAt}` : ''}\n`);
  io.out(`${f.name}: lr ${t.lr ?? 'none'} (${t.reason})\n`);
  const file = organismRoot === null ? tuningFile(f.name, root()) : join(out, `${f.name}.json`);
  writeFileAtomic(file, `${JSON.stringify({ ...t, ...(organismRoot === null ? {} : { organisms: organismRoot }) }, null, 2)}\n`);
  io.out(`wrote ${file}\n`);
  return t.lr === null ? 1 : 0;
}

/** "104-113" or "104,105,110" -> seeds. */
function parseSeeds(text: string): number[] {
  const range = /^(\d+)-(\d+)$/.exec(text.trim());
  const seeds = range !== null
    ? Array.from({ length: Math.max(0, Number(range[2]) - Number(range[1]) + 1) }, (_, i) => Number(range[1]) + i)
    : text.split(',').map((t) => Number(t.trim()));
  if (seeds.length === 0 || seeds.some((x) => !Number.isInteger(x) || x < 1)) throw new UsageError(`--seeds must be a range A-B or a list A,B,... of positive integers, received "${text}"`);
  return seeds;
}

async function gateSub(rest: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseCommandArgs(rest, {
    family: { type: 'string' }, organisms: { type: 'string' }, lr: { type: 'string' }, arms: { type: 'string' }, seeds: { type: 'string' }, out: { type: 'string' }, jobs: { type: 'string' },
  });
  if (positionals.length > 0) throw new UsageError(`unexpected argument "${positionals[0]}"`);
  if (values.family === undefined) throw new UsageError('--family NAME is required');
  const f = familyByName(values.family);
  const base = presetSpec('full', values.lr, undefined);
  const spec = gateProbeSpec(base, f.name, {
    organisms: values.organisms,
    arms: values.arms?.split(',').map((a) => a.trim()),
    seeds: values.seeds === undefined ? undefined : parseSeeds(values.seeds),
  });
  const lr = spec.lr[f.name];
  const out = values.out ?? join(root(), 'runs', 'gate', `${f.name}-lr${lr}${values.organisms === undefined ? '' : `-${basename(resolve(values.organisms))}`}`);
  const rows = await runGateProbes(spec, out, { jobs: positiveInt(values.jobs, '--jobs', 2), onEvent: gridProgress(io) });
  io.out(`${describeGate(rows)}\n`);
  writeFileAtomic(join(out, 'gate.json'), `${JSON.stringify({ spec, gate: rows }, null, 2)}\n`);
  io.out(`wrote ${join(out, 'gate.json')}\n`);
  return rows.every((g) => g.passes) ? 0 : 1;
}

function statusSub(rest: string[], io: CliIo): number {
  const { values, positionals } = parseCommandArgs(rest, { results: { type: 'string' }, jobs: { type: 'string' } });
  if (positionals.length !== 1) throw new UsageError('give the grid folder: rlvr grid status DIR');
  const out = positionals[0];
  const name = readGridSpec(out).name;
  const results = resolve(values.results ?? resultsDir(name));
  const s = gridStatus(out, results);
  io.out(`${name}: ${s.total - s.missing.length}/${s.total} runs complete (${s.here} in ${out}, ${s.collected} more collected in ${results})\n`);
  if (s.meanWallSeconds !== null) {
    const jobs = positiveInt(values.jobs, '--jobs', 2);
    io.out(`mean wall per run: ${s.meanWallSeconds.toFixed(1)} s over ${s.here} runs here; at ${jobs} processes the missing runs take about `
      + `${wallHours(s.missing.length, s.meanWallSeconds, jobs).toFixed(1)} h, the whole grid about ${wallHours(s.total, s.meanWallSeconds, jobs).toFixed(1)} h\n`);
  }
  for (const key of s.missing.slice(0, 20)) io.out(`  missing ${key}\n`);
  if (s.missing.length > 20) io.out(`  ... and ${s.missing.length - 20} more\n`);
  return 0;
}

export function claimLine(r: ClaimRow): string {
  const e = r.effect;
  const mean = e === null ? '' : `${e.mean >= 0 ? '+' : ''}${e.mean.toFixed(3)}`;
  // One run has no interval (its bounds are infinite): say so instead of printing [-Infinity, Infinity].
  const eff = e === null || e.n === 0 ? 'no runs' : hasInterval(e) ? `${mean} [${e.lo.toFixed(3)}, ${e.hi.toFixed(3)}] n=${e.n}` : `${mean} n=${e.n} (no interval)`;
  const col = Object.entries(r.collapses).map(([a, c]) => `${a} ${c.collapsed}/${c.runs}`).join(', ');
  return `claim ${r.claim} ${r.family}: ${r.statement} (${r.metric}, ${r.comparison}): ${eff} -> ${r.verdict}${col ? `; collapsed ${col}` : ''}\n`;
}

/** Writes claims.json into \`dest\`: claims 1-5 from the grid's runs, claim 6 (code forcing) per family's organism. */
export async function writeGridClaims(g: CollectedGrid, dest: string): Promise<ClaimRow[]> {
  await initBackend();
  const rows = claimRows(g.cells);
  for (const f of g.spec.families) rows.push(await codeForcingRow(f, gridOrganismDir(g.spec, f)));
  writeFileAtomic(join(dest, RESULT_FILES.claims), `${JSON.stringify(rows, null, 2)}\n`);
  return rows;
}

async function collectSub(rest: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseCommandArgs(rest, { results: { type: 'string' } });
  if (positionals.length !== 1) throw new UsageError('give the grid folder: rlvr grid collect DIR');
  const spec = readGridSpec(positionals[0]);
  const dest = resolve(values.results ?? resultsDir(spec.name));
  const g = collectGrid(positionals[0], dest);
  writeGridResults(g, dest);
  const rows = await writeGridClaims(g, dest);
  for (const r of rows) io.out(claimLine(r));
  const gate = g.spec.families.flatMap((f) => gateFromCells(g.cells, f));
  if (gate.length > 0) io.out(`robustness gate (evaluation seeds):\n${describeGate(gate)}\n`);
  io.out(`${g.cells.length} runs collected (${g.missing.length} missing) into ${dest}\n`);
  return 0;
}

async function cellSub(rest: string[]): Promise<number> {
  const { values, positionals } = parseCommandArgs(rest, { backend: { type: 'string' } });
  if (positionals.length !== 2) throw new UsageError('rlvr grid cell DIR KEY');
  const [out, key] = positionals;
  const spec = readGridSpec(out);
  const cell = gridCells(spec).find((c) => c.key === key);
  if (cell === undefined) throw new Error(`${out}: the grid has no cell "${key}"`);
  const backend = values.backend as BackendName | undefined;
  if (backend !== undefined && !BACKEND_NAMES.includes(backend)) throw new UsageError(`--backend must be one of ${BACKEND_NAMES.join(', ')}`);
  await initBackend(backend === undefined ? {} : { backend });
  await runCell(spec, cell, join(out, 'runs', ...key.split('/')));
  return 0;
}

export const gridCommand: CliCommand = {
  name: 'grid',
  summary: 'the organism grid: run a preset (resumable, parallel), tune learning rates, collect tables and claims',
  usage: USAGE,
  async run(argv, io) {
    const [sub, ...rest] = argv;
    switch (sub) {
      case 'run': return runSub(rest, io);
      case 'tune': return tuneSub(rest, io);
      case 'gate': return gateSub(rest, io);
      case 'status': return statusSub(rest, io);
      case 'collect': return collectSub(rest, io);
      case 'cell': return cellSub(rest);
      default: throw new UsageError(sub === undefined ? 'give a sub-command: run, tune, gate, status, collect or cell' : `unknown sub-command "${sub}"; known: run, tune, gate, status, collect, cell`);
    }
  },
};
