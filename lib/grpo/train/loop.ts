// train(): the GRPO loop over a run directory. Each rollout batch is one grpoStep; its records go
// to the JSONL logs, then to onMetrics and the progress sink; a checkpoint every checkpointEvery
// steps (and after the last). resumeTraining() continues a run from its latest checkpoint and
// produces the same numbers as an uninterrupted run: every random stream is a function of
// (seed, step, purpose), the weights and optimizer slots are saved exactly (float32), and the logs
// are cut back to the checkpointed step before appending.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { DataOptions } from '../../data';
import { loadCheckpoint, type CausalLM } from '../../models';
import { resolveTrainConfig, type TrainConfig } from './config';
import { grpoStep, updatesPerStep, type StepResult, type TrainState } from './grpo-step';
import type { RolloutRecord } from './metrics';
import { OPTIMIZERS } from '../optimizer';
import { dataPosition } from './rollout';
import {
  appendRecord, checkNoRun, exportArrow, hasCheckpoint, initRunDir, latestCheckpoint, pruneCheckpoints, removeStaleTemps, RUN_FILES,
  saveReference, saveTrainCheckpoint, truncateRecords,
} from './run-dir';
import { buildRewards, type RewardSet } from './score';
import { createDatasetTask } from './dataset-task';
import type { TrainTask } from './task';
import { createToyTask } from './toy-task';
import { createOrganismTaskFromConfig } from './external-task';

/** Anything with a progress bar's update (lib/notebook's progressBar fits; lib does not import notebook/). */
export interface ProgressSink {
  update(done: number, extra?: Record<string, number>): void;
}

export interface TrainOptions {
  /** Called after every rollout batch with (steps done, headline metrics). */
  progress?: ProgressSink;
  /**
   * Called with every step's records after they are written, and the policy as it is after the step
   * (read it, do not change it; awaited, so a caller can measure the model before the next step and
   * before the step's checkpoint is written).
   */
  onMetrics?: (r: StepResult, model: CausalLM) => unknown;
  /** Stop after this many rollout batches in this call (the run stays resumable). */
  maxStepsThisCall?: number;
  /** Use this task instead of the built-in one named by config.task. */
  task?: TrainTask;
  /** Where a dataset task's files are looked for (default: RLVR_DATA_DIR, <project>/data, shared/data). */
  data?: DataOptions;
}

export interface TrainResult {
  runDir: string;
  config: Readonly<TrainConfig>;
  /** Rollout batches done so far (config.steps when finished). */
  step: number;
  optStep: number;
  /** The trained policy (the caller disposes it). */
  model: CausalLM;
  /** The last rollout batch's record(s) of this call. */
  lastRollouts: RolloutRecord[];
}

const RNG_STREAMS = 'createRng(seed).fork(label): sample/<step>/<rollout>, reward/<step>/<rollout>/<group>, minibatch/<step>, data/<epoch>, toy-warm-start';

async function checkpoint(cfg: Readonly<TrainConfig>, state: TrainState): Promise<void> {
  const opt = await state.optimizer.exportState();
  await saveTrainCheckpoint(cfg.runDir, state.model, opt, {
    step: state.step, optStep: state.optStep, seed: cfg.seed,
    dataPosition: dataPosition(cfg.algo.promptsPerRollout, state.step),
    rngStreams: RNG_STREAMS, optimizer: { name: opt.name, t: opt.t },
  });
  pruneCheckpoints(cfg.runDir, cfg.keepCheckpoints);
  exportArrow(cfg.runDir);
}

function newOptimizer(cfg: Readonly<TrainConfig>, model: CausalLM) {
  const params = model.parameters();
  const names = Object.keys(params);
  return OPTIMIZERS[cfg.algo.optimizer](names.map((n) => params[n]), cfg.algo, names);
}

function rewardsFor(cfg: Readonly<TrainConfig>): RewardSet {
  return buildRewards(cfg.reward, cfg.verifierMode, cfg.verifierDeadlineMs ?? undefined);
}

async function loop(cfg: Readonly<TrainConfig>, task: TrainTask, rewards: RewardSet, state: TrainState, opts: TrainOptions): Promise<TrainResult> {
  const total = cfg.steps * updatesPerStep(cfg);
  const dir = cfg.runDir;
  const stopAt = Math.min(cfg.steps, state.step + (opts.maxStepsThisCall ?? Infinity));
  let last: RolloutRecord[] = [];
  try {
    while (state.step < stopAt) {
      const res = await grpoStep(state, { cfg, task, rewards }, total);
      for (const r of res.steps) appendRecord(join(dir, RUN_FILES.steps), r);
      for (const r of res.rollouts) appendRecord(join(dir, RUN_FILES.rollouts), r);
      for (const r of res.samples) appendRecord(join(dir, RUN_FILES.samples), r);
      last = res.rollouts;
      await opts.onMetrics?.(res, state.model);
      const head = res.rollouts[res.rollouts.length - 1];
      opts.progress?.update(state.step, { reward: head.rewardMean, acc: head.accuracy, clipFirst: res.steps[res.steps.length - 1].clipFracLowFirstToken + res.steps[res.steps.length - 1].clipFracHighFirstToken });
      if (state.step === cfg.steps || (cfg.checkpointEvery > 0 && state.step % cfg.checkpointEvery === 0)) await checkpoint(cfg, state);
      await new Promise<void>((resolve) => setImmediate(resolve)); // let signals, timers and notebook output through
    }
  } finally {
    state.optimizer.dispose();
    state.reference?.dispose();
  }
  return { runDir: dir, config: cfg, step: state.step, optStep: state.optStep, model: state.model, lastRollouts: last };
}

/** The task a config names: the toy task, or a dataset task read through `data`. */
export function taskFor(cfg: Readonly<TrainConfig>, data: DataOptions = {}): TrainTask {
  if (cfg.task.kind === 'organism') return createOrganismTaskFromConfig(cfg.task);
  return cfg.task.kind === 'dataset' ? createDatasetTask(cfg.task, data, cfg.sampling.maxNewTokens) : createToyTask(cfg.task);
}

/** Step 0 of a run whose folder holds config.json: the initial policy, saved as reference/, and a fresh optimizer. */
async function startState(cfg: Readonly<TrainConfig>, model: CausalLM): Promise<TrainState> {
  await saveReference(cfg.runDir, model);
  const reference = cfg.algo.klCoef > 0 ? loadCheckpoint(join(cfg.runDir, RUN_FILES.reference)) : null;
  return { model, reference, optimizer: newOptimizer(cfg, model), step: 0, optStep: 0 };
}

/**
 * Starts a run in config.runDir (which must not hold one). `config` is a resolved TrainConfig or a
 * raw record (a parsed config file) for resolveTrainConfig. Everything that can be refused (config,
 * reward names, task, initial model) is built before the first file is written, so a refused run
 * leaves no folder behind and the corrected config can use the same runDir.
 */
export async function train(config: Readonly<TrainConfig> | Readonly<Record<string, unknown>>, opts: TrainOptions = {}): Promise<TrainResult> {
  const cfg = resolveTrainConfig({ ...config });
  checkNoRun(cfg.runDir);
  const rewards = rewardsFor(cfg);
  const task = opts.task ?? taskFor(cfg, opts.data);
  const model = task.initialModel(cfg.seed);
  try {
    initRunDir(cfg.runDir, cfg);
  } catch (e) {
    model.dispose();
    throw e;
  }
  return loop(cfg, task, rewards, await startState(cfg, model), opts);
}

/**
 * Continues the run in `runDir` from its latest checkpoint; a run killed before its first checkpoint
 * starts again from step 0 (the same initial policy: the task rebuilds it from the seed) and ends with
 * the numbers of an uninterrupted run.
 */
export async function resumeTraining(runDir: string, opts: TrainOptions = {}): Promise<TrainResult> {
  const file = join(runDir, RUN_FILES.config);
  let raw: Record<string, unknown>;
  try {
    raw = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
  } catch (e) {
    throw new Error(`${file}: cannot read the run's config (${(e as Error).message})`);
  }
  const cfg = resolveTrainConfig({ ...raw, runDir }, file);
  const rewards = rewardsFor(cfg);
  const task = opts.task ?? taskFor(cfg, opts.data);
  removeStaleTemps(runDir);
  if (!hasCheckpoint(runDir)) {
    const model = task.initialModel(cfg.seed);
    for (const f of [RUN_FILES.steps, RUN_FILES.rollouts, RUN_FILES.samples]) truncateRecords(join(runDir, f), 0);
    return loop(cfg, task, rewards, await startState(cfg, model), opts);
  }
  const ck = latestCheckpoint(runDir);
  for (const f of [RUN_FILES.steps, RUN_FILES.rollouts, RUN_FILES.samples]) truncateRecords(join(runDir, f), ck.state.step);
  const model = loadCheckpoint(ck.folder);
  const optimizer = newOptimizer(cfg, model);
  optimizer.importState(ck.optimizer);
  const reference = cfg.algo.klCoef > 0 ? loadCheckpoint(join(runDir, RUN_FILES.reference)) : null;
  const state: TrainState = { model, reference, optimizer, step: ck.state.step, optStep: ck.state.optStep };
  return loop(cfg, task, rewards, state, opts);
}
