// `rlvr train`: GRPO on a causal LM from a JSON config file, into a crash-safe run directory;
// `--resume RUN_DIR` continues a killed run from its latest checkpoint with the same numbers.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { CliCommand } from './command';
import { UsageError } from './command';
import { parseCommandArgs } from './args';
import { resolveTrainConfig, resumeTraining, train, updatesPerStep, type StepResult, type TrainConfig, type TrainResult } from '../grpo';
import { BACKEND_NAMES, initBackend, type BackendName } from '../tensor';

const USAGE = `usage: rlvr train --config FILE.json [--run-dir DIR] [--steps N] [--backend NAME] [--quiet]
       rlvr train --resume RUN_DIR [--backend NAME] [--quiet]

Runs GRPO (by default the authors' loop, preset "authors") on a causal LM and writes a run
directory: config.json (the resolved config), steps.jsonl (one line per optimizer step),
rollouts.jsonl (one per rollout batch), samples.jsonl, steps.arrow / rollouts.arrow (Arrow IPC for
arquero), reference/ and checkpoints/step-NNNNNN/ (model, optimizer state, step and data
position). See docs/train.md.

Options:
  --config FILE   a JSON TrainConfig: runDir, seed, steps, preset (authors, trl-default, dr-grpo,
                  dapo, clip-lab), algo {GrpoAlgoConfig overrides}, reward (e.g. math, random0.5,
                  math_AND_inverse_contain_python_wo_backticks), verifierMode, task, sampling,
                  freshRolloutsPerMinibatch, checkpointEvery, samplesPerRollout
  --run-dir DIR   overrides the config's runDir
  --steps N       overrides the config's steps (rollout batches)
  --resume DIR    continue the run in DIR from checkpoints/latest.json (from step 0 when it was
                  killed before its first checkpoint); its logs are cut back to that checkpoint
                  first, so the finished run equals an uninterrupted one
  --backend NAME  tfjs backend (${BACKEND_NAMES.join(', ')}; default: $RLVR_BACKEND, else the fastest available)
  --quiet         no progress line on stdout (one per rollout batch: "rollout batch 3/20, optimizer
                  steps 12/80: ...")

The config is checked whole (every field, reward names included) before anything is written.
`;

function readConfigFile(file: string): Record<string, unknown> {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    throw new Error(`${file}: cannot read (${(e as Error).message})`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    throw new Error(`${file}: not valid JSON (${(e as Error).message})`);
  }
  if (typeof json !== 'object' || json === null || Array.isArray(json)) throw new Error(`${file}: expected a JSON object (a TrainConfig)`);
  return json as Record<string, unknown>;
}

/** One line per rollout batch; both counters, since "80 optimizer steps" at the end covers 20 rollout batches. */
function progressLine(cfg: Readonly<TrainConfig>, r: StepResult): string {
  const x = r.rollouts[r.rollouts.length - 1];
  const optDone = r.steps[r.steps.length - 1].optStep + 1;
  return `rollout batch ${x.step + 1}/${cfg.steps}, optimizer steps ${optDone}/${cfg.steps * updatesPerStep(cfg)}: `
    + `reward ${x.rewardMean.toFixed(3)} accuracy ${x.accuracy.toFixed(3)} `
    + `(sample ${x.timeSampleS.toFixed(2)} s, score ${x.timeScoreS.toFixed(2)} s, update ${x.timeUpdateS.toFixed(2)} s)\n`;
}

function summary(r: TrainResult): string {
  const last = r.lastRollouts[r.lastRollouts.length - 1];
  const tail = last === undefined ? '' : `; last rollout: reward ${last.rewardMean.toFixed(3)}, accuracy ${last.accuracy.toFixed(3)}`;
  return `done: ${r.step}/${r.config.steps} rollout batches, ${r.optStep} optimizer steps in ${r.runDir}${tail}\n`;
}

export const trainCommand: CliCommand = {
  name: 'train',
  summary: 'GRPO training from a JSON config into a crash-safe run directory (--resume to continue)',
  usage: USAGE,
  async run(argv, io) {
    const { values, positionals } = parseCommandArgs(argv, {
      config: { type: 'string' },
      resume: { type: 'string' },
      'run-dir': { type: 'string' },
      steps: { type: 'string' },
      backend: { type: 'string' },
      quiet: { type: 'boolean' },
    });
    if (positionals.length > 0) throw new UsageError(`unexpected argument "${positionals[0]}"`);
    if ((values.config === undefined) === (values.resume === undefined)) throw new UsageError('give exactly one of --config FILE or --resume RUN_DIR');
    if (values.resume !== undefined && (values['run-dir'] !== undefined || values.steps !== undefined)) {
      throw new UsageError('--run-dir and --steps apply to a new run; a resumed run keeps its config');
    }
    const backend = values.backend as BackendName | undefined;
    if (backend !== undefined && !BACKEND_NAMES.includes(backend)) throw new UsageError(`--backend must be one of ${BACKEND_NAMES.join(', ')}, received "${values.backend}"`);
    const raw = values.config === undefined ? null : readConfigFile(values.config);
    let cfg: Readonly<TrainConfig>;
    if (raw !== null) {
      if (values['run-dir'] !== undefined) raw.runDir = values['run-dir'];
      if (values.steps !== undefined) {
        const n = Number(values.steps);
        if (!Number.isInteger(n) || n < 1) throw new UsageError(`--steps must be a positive integer, received "${values.steps}"`);
        raw.steps = n;
      }
      cfg = resolveTrainConfig(raw, values.config); // fail on a bad config before the backend starts
    } else {
      // The same for a folder that holds no run, or a run whose config no longer resolves.
      const file = join(values.resume as string, 'config.json');
      cfg = resolveTrainConfig({ ...readConfigFile(file), runDir: values.resume }, file);
    }
    const opts = { onMetrics: values.quiet ? undefined : (r: StepResult) => io.out(progressLine(cfg, r)) };
    await initBackend(backend === undefined ? {} : { backend });
    const result: TrainResult = raw === null ? await resumeTraining(values.resume as string, opts) : await train(raw, opts);
    result.model.dispose();
    io.out(summary(result));
    return 0;
  },
};
