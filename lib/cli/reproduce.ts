// `rlvr reproduce --preset NAME` (a grid preset): the reproduction pipeline in one run folder. The
// organisms (pretrained when missing), the grid preset (lib/grid's runGrid with the learning rates
// `rlvr grid run` uses), its collected tables, the claims (as `rlvr grid collect` writes them) and the
// HTML report. The run folder is the grid folder, so a killed run resumes where it stopped: complete
// runs are skipped, killed ones resume from their last checkpoint, and the cheap steps after the
// grid are redone.
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseCommandArgs, positiveInt } from './args';
import { UsageError, type CliCommand, type CliIo } from './command';
import { claimLine, presetSpec, writeGridClaims } from './grid';
import { count, gridProgress, minutes } from './grid-progress';
import { pretrainCommand } from './pretrain';
import { reportLine } from './report';
import { findProjectRoot } from '../data';
import { collectGrid, gridCells, gridOrganismDir, runGrid, writeGridResults, GRID_PRESETS, gridPresetNames, type GridSpec } from '../grid';
import { ORGANISM_FILE } from '../organisms';
import { buildReport, REPORT_FILE } from '../report';

const USAGE = `usage: rlvr reproduce --preset ${gridPresetNames().join('|')} [--out DIR] [--jobs N] [--lr X] [--organisms DIR]

The reproduction pipeline, into one run folder (default runs/reproduce-<preset>):
  1. organisms  each family's organism (data/organisms/<family>-s1, or DIR/<family>-s1 with
                --organisms); a missing one is pretrained as \`rlvr pretrain\` does (~15-20 min each)
  2. grid       every run of the preset (families x arms x seeds), --jobs at a time (default 2),
                with the tuned learning rates of data/results/tuning/<family>.json (--lr X: X for every family)
  3. collect    grid.json, cells.jsonl, trajectories.jsonl, provenance.json
  4. claims     claims.json: the paper's claims with 95 % intervals and verdicts (as \`rlvr grid collect\`)
  5. report     ${REPORT_FILE}: one self-contained HTML file (claims, interactive figures, configuration)
Progress says what runs and how long is left. Killed or stopped, it resumes: run the same command again.
Presets (families x arms x seeds, rollout batches per run):
${Object.values(GRID_PRESETS).map((p) => `  ${p.name.padEnd(6)} ${p.families.length} x ${p.arms.length} x ${p.seeds.length}, ${p.steps} batches: ${gridCells({ ...p, lr: {} }).length} runs`).join('\n')}
`;

/** Builds a missing organism into `dir`; true when it passed its gate. */
export type Pretrainer = (family: string, dir: string, io: CliIo) => Promise<boolean>;

const pretrainWithCli: Pretrainer = async (family, dir, io) => (await pretrainCommand.run(['--family', family, '--out', dir], io)) === 0;

export interface ReproduceOptions {
  spec: GridSpec;
  out: string;
  jobs: number;
  pretrain?: Pretrainer;
}

/** The pipeline; returns the exit code (0 done, 1 runs failed or an organism failed its gate, 130 stopped). */
export async function reproduce(opts: ReproduceOptions, io: CliIo): Promise<number> {
  const { spec, out } = opts;
  const t0 = performance.now();
  const stage = (k: number, what: string): void => io.out(`[${k}/5] ${what} (${minutes((performance.now() - t0) / 1000)} elapsed)\n`);
  const cells = gridCells(spec);
  stage(1, `organisms: ${spec.families.join(', ')}`);
  for (const family of spec.families) {
    const dir = gridOrganismDir(spec, family);
    if (existsSync(join(dir, ORGANISM_FILE))) {
      io.out(`  ${family}: ${dir}\n`);
      continue;
    }
    io.out(`  ${family}: no organism in ${dir}; pretraining it (about 15-20 min on one core)\n`);
    if (!(await (opts.pretrain ?? pretrainWithCli)(family, dir, io))) {
      io.err(`rlvr reproduce: the ${family} organism in ${dir} failed its gate (see above); the grid needs organisms that match their family\n`);
      return 1;
    }
  }
  stage(2, `grid ${spec.name}: ${count(spec.families.length, 'family', 'families')}, ${count(spec.arms.length, 'arm')}, ${count(spec.seeds.length, 'seed')}, ${count(spec.steps, 'rollout batch', 'rollout batches')} per run, into ${out}`);
  const r = await runGrid(spec, out, { jobs: opts.jobs, onEvent: gridProgress(io) });
  if (r.stopped) {
    io.out(`stopped; run the same command again to resume (${r.done}/${cells.length} runs complete)\n`);
    return 130;
  }
  stage(3, 'collect');
  const g = collectGrid(out, null);
  writeGridResults(g, out);
  io.out(`  ${g.cells.length} runs collected, ${g.missing.length} missing\n`);
  stage(4, `claims (claim 6 evaluates each organism on the 800 held-out problems)`);
  for (const row of await writeGridClaims(g, out)) io.out(`  ${claimLine(row)}`);
  stage(5, 'report');
  io.out(`  ${reportLine(buildReport(out))}`);
  io.out(`done in ${minutes((performance.now() - t0) / 1000)}: ${out}\n`);
  if (r.failed > 0 || g.missing.length > 0) {
    io.err(`rlvr reproduce: ${g.missing.length} runs missing (${r.failed} failed this time; see ${join(out, 'failures.jsonl')}); run the same command again to retry them\n`);
    return 1;
  }
  return 0;
}

export const reproduceCommand: CliCommand = {
  name: 'reproduce',
  summary: 'the reproduction pipeline: organisms, the grid preset, claims and an HTML report in one run folder (resumable)',
  usage: USAGE,
  async run(argv, io) {
    const { values, positionals } = parseCommandArgs(argv, {
      preset: { type: 'string' }, out: { type: 'string' }, jobs: { type: 'string' }, lr: { type: 'string' }, organisms: { type: 'string' },
    });
    if (positionals.length > 0) throw new UsageError(`unexpected argument "${positionals[0]}"`);
    if (values.preset === undefined) throw new UsageError(`--preset NAME is required (${gridPresetNames().join(', ')})`);
    const spec = presetSpec(values.preset, values.lr, values.organisms);
    const out = resolve(values.out ?? join(findProjectRoot() ?? process.cwd(), 'runs', `reproduce-${spec.name}`));
    return reproduce({ spec, out, jobs: positiveInt(values.jobs, '--jobs', 2) }, io);
  },
};
