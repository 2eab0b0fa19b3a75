// TrainConfig: everything one `rlvr train` run needs, as one resolved, frozen record (style.md §3.3).
// The GRPO algorithm itself is a GrpoAlgoConfig (preset + overrides, resolved by resolveGrpoConfig);
// this file adds the run around it: task, model, reward, sampling, seed, run directory, checkpoints.
// resolveTrainConfig refuses unknown keys (naming the closest) and contradictory combinations.
import { promptTemplate } from '../../prompts';
import { makeReward } from '../../rewards';
import { closestName } from '../../util';
import { resolveGrpoConfig, type GrpoAlgoConfig } from '../config';
import { checkDatasetName, DATASET_TASK_DEFAULTS, DATASET_TASK_KEYS, isDatasetPath, type DatasetTaskConfig } from './dataset-task';
import { TOY_DEFAULTS, type ToyTaskConfig } from './toy-task';
import { ORGANISM_LABELS, ORGANISM_TASK_DEFAULTS, type OrganismTaskConfig } from './external-task';

/** The task a run trains on: the built-in toy task (default) or a dataset with a checkpoint. */
export type TaskConfig = ToyTaskConfig | DatasetTaskConfig | OrganismTaskConfig;

export interface SamplingConfig {
  /** New tokens per completion at most (finish reason 'length' = truncated). */
  maxNewTokens: number;
  /** Authors: 1.0. */
  temperature: number;
  /** Rows per generate() forward pass. */
  microBatchSize: number;
}

export interface TrainConfig {
  /** Where config.json, logs and checkpoints go. */
  runDir: string;
  /** Root of every random stream (sampling, rewards, minibatch order, data order, toy warm-start). */
  seed: number;
  /** Rollout batches ("global steps", grpo.md §1.1); optimizer steps = steps × minibatches × epochs. */
  steps: number;
  /** GrpoAlgoConfig preset the algo overrides apply to (authors, trl-default, dr-grpo, dapo, clip-lab). */
  preset: string;
  /** The resolved algorithm (preset + overrides). */
  algo: GrpoAlgoConfig;
  /** Reward name in the authors' grammar (math, random0.5, math_AND_inverse_contain_python_wo_backticks, ...). */
  reward: string;
  /** Verifier mode of `math`-style rewards and of the ground-truth accuracy metric. */
  verifierMode: 'strict' | 'authors';
  /** Verifier wall-clock budget per call in ms; null = the verifier's default. */
  verifierDeadlineMs: number | null;
  /** The built-in organism-scale toy task (kind "toy", the default) or a dataset + checkpoint (kind "dataset"). */
  task: TaskConfig;
  sampling: SamplingConfig;
  /**
   * Control arm: sample fresh rollouts for every minibatch (each update on-policy, ρ ≡ 1),
   * keeping the number and size of updates (grpo.md §1.7; organism-prototype-2 §8.4).
   */
  freshRolloutsPerMinibatch: boolean;
  /** Checkpoint every N rollout batches (and always after the last); 0 = only after the last. */
  checkpointEvery: number;
  /** Checkpoint folders to keep (the newest); 0 = keep all. */
  keepCheckpoints: number;
  /** Completions per rollout batch written to samples.jsonl. */
  samplesPerRollout: number;
}

export const TRAIN_DEFAULTS: Readonly<Omit<TrainConfig, 'algo' | 'runDir'>> = Object.freeze({
  seed: 1,
  steps: 20,
  preset: 'authors',
  reward: 'math',
  verifierMode: 'strict',
  verifierDeadlineMs: null,
  task: TOY_DEFAULTS,
  sampling: { maxNewTokens: 12, temperature: 1, microBatchSize: 64 },
  freshRolloutsPerMinibatch: false,
  checkpointEvery: 5,
  keepCheckpoints: 0,
  samplesPerRollout: 4,
});

const TOP_KEYS = ['runDir', 'seed', 'steps', 'preset', 'algo', 'reward', 'verifierMode', 'verifierDeadlineMs', 'task', 'sampling',
  'freshRolloutsPerMinibatch', 'checkpointEvery', 'keepCheckpoints', 'samplesPerRollout'] as const;

function fail(where: string, msg: string): never {
  throw new Error(`${where}: ${msg}`);
}

function checkKeys(obj: Record<string, unknown>, keys: readonly string[], where: string, prefix = ''): void {
  for (const k of Object.keys(obj)) {
    if (!keys.includes(k)) {
      const near = closestName(k, keys);
      fail(where, `unknown key "${prefix}${k}"${near ? ` (did you mean "${prefix}${near}"?)` : ''}; valid keys: ${keys.join(', ')}`);
    }
  }
}

function asObject(v: unknown, where: string, field: string): Record<string, unknown> {
  if (v === undefined) return {};
  if (typeof v !== 'object' || v === null || Array.isArray(v)) fail(where, `field "${field}" must be an object, received ${JSON.stringify(v)}`);
  return v as Record<string, unknown>;
}

function int(v: unknown, where: string, field: string, min: number): number {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < min) fail(where, `field "${field}" must be an integer >= ${min}, received ${JSON.stringify(v)}`);
  return v;
}

function num(v: unknown, where: string, field: string, min: number): number {
  if (typeof v !== 'number' || !Number.isFinite(v) || v < min) fail(where, `field "${field}" must be a number >= ${min}, received ${JSON.stringify(v)}`);
  return v;
}

function bool(v: unknown, where: string, field: string): boolean {
  if (typeof v !== 'boolean') fail(where, `field "${field}" must be true or false, received ${JSON.stringify(v)}`);
  return v;
}

function str(v: unknown, where: string, field: string): string {
  if (typeof v !== 'string' || v === '') fail(where, `field "${field}" must be a non-empty string, received ${JSON.stringify(v)}`);
  return v;
}

function resolveToy(raw: Record<string, unknown>, where: string): ToyTaskConfig {
  checkKeys(raw, Object.keys(TOY_DEFAULTS), where, 'task.');
  const merged = { ...TOY_DEFAULTS, ...raw } as Record<string, unknown>;
  if (merged.kind !== 'toy') fail(where, `field "task.kind" must be "toy", "dataset" or "organism", received ${JSON.stringify(merged.kind)}`);
  const op = merged.op;
  if (op !== 'copy' && op !== 'add') fail(where, `field "task.op" must be "copy" or "add", received ${JSON.stringify(op)}`);
  const warm = merged.warmStartCorrectFrac;
  if (typeof warm !== 'number' || !(warm >= 0 && warm <= 1)) fail(where, `field "task.warmStartCorrectFrac" must lie in [0, 1], received ${JSON.stringify(warm)}`);
  const maxOperand = int(merged.maxOperand, where, 'task.maxOperand', 0);
  if (op === 'add' && maxOperand > 4) fail(where, `task.maxOperand is ${maxOperand}; "add" keeps sums single-digit, so it must be <= 4`);
  if (maxOperand > 9) fail(where, `task.maxOperand is ${maxOperand}; operands are single digits, so it must be <= 9`);
  const nHeads = int(merged.nHeads, where, 'task.nHeads', 1);
  const dModel = int(merged.dModel, where, 'task.dModel', 1);
  if (dModel % nHeads !== 0) fail(where, `task.dModel ${dModel} is not divisible by task.nHeads ${nHeads}`);
  return Object.freeze({
    kind: 'toy',
    op,
    maxOperand,
    dModel,
    nLayers: int(merged.nLayers, where, 'task.nLayers', 1),
    nHeads,
    initStd: num(merged.initStd, where, 'task.initStd', 1e-9),
    warmStartSteps: int(merged.warmStartSteps, where, 'task.warmStartSteps', 0),
    warmStartBatch: int(merged.warmStartBatch, where, 'task.warmStartBatch', 1),
    warmStartLr: num(merged.warmStartLr, where, 'task.warmStartLr', 0),
    warmStartCorrectFrac: warm,
  }) as ToyTaskConfig;
}

function resolveDataset(raw: Record<string, unknown>, where: string): DatasetTaskConfig {
  checkKeys(raw, DATASET_TASK_KEYS, where, 'task.');
  const merged = { ...DATASET_TASK_DEFAULTS, ...raw } as Record<string, unknown>;
  const data = str(merged.data, where, 'task.data');
  try {
    checkDatasetName(data);
  } catch (e) {
    fail(where, `task.data: ${(e as Error).message}`);
  }
  const template = str(merged.template, where, 'task.template');
  try {
    promptTemplate(template);
  } catch (e) {
    fail(where, `task.template: ${(e as Error).message}`);
  }
  const labelField = str(merged.labelField, where, 'task.labelField');
  if (labelField !== 'answer' && !isDatasetPath(data)) fail(where, `task.labelField applies to JSONL files only; dataset "${data}" has its own labels`);
  return Object.freeze({
    kind: 'dataset',
    data,
    checkpoint: str(merged.checkpoint, where, 'task.checkpoint'),
    tokenizer: merged.tokenizer === null ? null : str(merged.tokenizer, where, 'task.tokenizer'),
    template,
    limit: merged.limit === null ? null : int(merged.limit, where, 'task.limit', 1),
    labelField,
  }) as DatasetTaskConfig;
}

function resolveOrganism(raw: Record<string, unknown>, where: string): OrganismTaskConfig {
  checkKeys(raw, [...Object.keys(ORGANISM_TASK_DEFAULTS), 'family'], where, 'task.');
  const merged = { ...ORGANISM_TASK_DEFAULTS, ...raw } as Record<string, unknown>;
  const labels = merged.labels;
  if (!ORGANISM_LABELS.includes(labels as OrganismTaskConfig['labels'])) {
    fail(where, `field "task.labels" must be one of ${ORGANISM_LABELS.join(', ')}, received ${JSON.stringify(labels)}`);
  }
  return Object.freeze({
    kind: 'organism',
    family: str(merged.family, where, 'task.family'),
    checkpoint: merged.checkpoint === null ? null : str(merged.checkpoint, where, 'task.checkpoint'),
    labels: labels as OrganismTaskConfig['labels'],
    forceCode: bool(merged.forceCode, where, 'task.forceCode'),
  }) as OrganismTaskConfig;
}

function resolveTask(raw: Record<string, unknown>, where: string): TaskConfig {
  if (raw.kind === 'organism') return resolveOrganism(raw, where);
  if (raw.kind !== undefined && raw.kind !== 'toy' && raw.kind !== 'dataset') fail(where, `field "task.kind" must be "toy", "dataset" or "organism", received ${JSON.stringify(raw.kind)}`);
  return raw.kind === 'dataset' ? resolveDataset(raw, where) : resolveToy(raw, where);
}

/**
 * Defaults, then `raw` (a parsed config file). `algo` holds GrpoAlgoConfig overrides of `preset`;
 * nested records (task, sampling) merge key by key. `where` names the source in errors.
 */
export function resolveTrainConfig(raw: Readonly<Record<string, unknown>>, where = 'train config'): Readonly<TrainConfig> {
  checkKeys(raw as Record<string, unknown>, TOP_KEYS, where);
  const runDir = str(raw.runDir, where, 'runDir');
  const preset = raw.preset === undefined ? TRAIN_DEFAULTS.preset : str(raw.preset, where, 'preset');
  let algo: GrpoAlgoConfig;
  try {
    algo = resolveGrpoConfig(preset, asObject(raw.algo, where, 'algo'));
  } catch (e) {
    fail(where, `algo: ${(e as Error).message}`);
  }
  const samplingRaw = asObject(raw.sampling, where, 'sampling');
  checkKeys(samplingRaw, Object.keys(TRAIN_DEFAULTS.sampling), where, 'sampling.');
  const s = { ...TRAIN_DEFAULTS.sampling, ...samplingRaw } as Record<string, unknown>;
  const sampling: SamplingConfig = Object.freeze({
    maxNewTokens: int(s.maxNewTokens, where, 'sampling.maxNewTokens', 1),
    temperature: num(s.temperature, where, 'sampling.temperature', 0),
    microBatchSize: int(s.microBatchSize, where, 'sampling.microBatchSize', 1),
  });
  const verifierMode = raw.verifierMode ?? TRAIN_DEFAULTS.verifierMode;
  if (verifierMode !== 'strict' && verifierMode !== 'authors') fail(where, `field "verifierMode" must be "strict" or "authors", received ${JSON.stringify(verifierMode)}`);
  const task = resolveTask(asObject(raw.task, where, 'task'), where);
  const reward = raw.reward === undefined ? TRAIN_DEFAULTS.reward : str(raw.reward, where, 'reward');
  try {
    makeReward(reward, { verifierMode }); // an unknown or unsupported name fails here, before a run directory exists
  } catch (e) {
    fail(where, `field "reward": ${(e as Error).message}`);
  }
  const cfg: TrainConfig = {
    runDir,
    seed: raw.seed === undefined ? TRAIN_DEFAULTS.seed : int(raw.seed, where, 'seed', 0),
    steps: raw.steps === undefined ? TRAIN_DEFAULTS.steps : int(raw.steps, where, 'steps', 1),
    preset,
    algo,
    reward,
    verifierMode,
    verifierDeadlineMs: raw.verifierDeadlineMs === undefined || raw.verifierDeadlineMs === null ? null : num(raw.verifierDeadlineMs, where, 'verifierDeadlineMs', 1),
    task,
    sampling,
    freshRolloutsPerMinibatch: raw.freshRolloutsPerMinibatch === undefined ? false : bool(raw.freshRolloutsPerMinibatch, where, 'freshRolloutsPerMinibatch'),
    checkpointEvery: raw.checkpointEvery === undefined ? TRAIN_DEFAULTS.checkpointEvery : int(raw.checkpointEvery, where, 'checkpointEvery', 0),
    keepCheckpoints: raw.keepCheckpoints === undefined ? TRAIN_DEFAULTS.keepCheckpoints : int(raw.keepCheckpoints, where, 'keepCheckpoints', 0),
    samplesPerRollout: raw.samplesPerRollout === undefined ? TRAIN_DEFAULTS.samplesPerRollout : int(raw.samplesPerRollout, where, 'samplesPerRollout', 0),
  };
  if (sampling.temperature === 0) fail(where, 'sampling.temperature is 0 (greedy): every response of a group would be identical, so every advantage is 0; use a temperature > 0 (authors: 1.0)');
  if (cfg.freshRolloutsPerMinibatch) {
    const a = cfg.algo;
    if (a.promptsPerRollout % a.minibatches !== 0) {
      fail(where, `freshRolloutsPerMinibatch samples whole groups per minibatch, so algo.promptsPerRollout (${a.promptsPerRollout}) must be a multiple of algo.minibatches (${a.minibatches})`);
    }
  }
  return Object.freeze(cfg);
}
