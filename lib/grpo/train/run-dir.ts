// A run directory that survives crashes:
//   config.json                  the resolved TrainConfig (written once, atomically)
//   steps.jsonl                  one StepRecord per optimizer step
//   rollouts.jsonl               one RolloutRecord per rollout batch
//   samples.jsonl                a few completions per rollout batch, with rewards and advantages
//   steps.arrow, rollouts.arrow  Arrow IPC (stream) exports of the two logs, for arquero (aq.fromArrow)
//   metrics.arrow                one lib/import MetricRow per rollout step (compare with imported engine logs)
//   reference/                   the initial policy (model.safetensors + config.json)
//   checkpoints/step-NNNNNN/     model.safetensors, config.json, optimizer.safetensors, state.json
//   checkpoints/latest.json      {"step": N, "dir": "step-NNNNNN"}, replaced after the folder is complete
// Files are written whole to a temporary name and renamed (writeFileAtomic); a checkpoint folder is
// built under a temporary name and renamed; a JSONL record is one appendFileSync of the whole line.
// On resume the logs are cut back to the checkpointed step (and any torn last line dropped), so a
// resumed run appends exactly what an uninterrupted run would have written.
import { appendFileSync, existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { from, toArrowIPC } from 'arquero';
import { readSafetensors, saveCheckpoint, writeSafetensors, type CausalLM, type HostTensor } from '../../models';
import { writeFileAtomic } from '../../util';
import { metricRows, type RolloutRecord, type StepRecord } from './metrics';
import type { OptimizerState } from '../optimizer';

export const RUN_FILES = {
  config: 'config.json',
  steps: 'steps.jsonl',
  rollouts: 'rollouts.jsonl',
  samples: 'samples.jsonl',
  stepsArrow: 'steps.arrow',
  rolloutsArrow: 'rollouts.arrow',
  metricsArrow: 'metrics.arrow',
  reference: 'reference',
  checkpoints: 'checkpoints',
  latest: 'latest.json',
} as const;

/** Counters and stream description saved with every checkpoint. */
export interface CheckpointState {
  /** Rollout batches done. */
  step: number;
  /** Optimizer steps done. */
  optStep: number;
  seed: number;
  /** Prompts consumed (data-order position). */
  dataPosition: number;
  /** How every random stream is derived: none has state beyond the seed and the step. */
  rngStreams: string;
  optimizer: { name: OptimizerState['name']; t: number };
}

const TMP_MARK = '.tmp-';

export function checkpointDirName(step: number): string {
  return `step-${String(step).padStart(6, '0')}`;
}

/** Appends one record as one whole line (one write call, so a crash leaves at most one torn last line). */
export function appendRecord(file: string, rec: unknown): void {
  appendFileSync(file, `${JSON.stringify(rec)}\n`);
}

/** Complete, parseable records of a JSONL log ([] if missing); a torn or corrupt LAST line is dropped. */
export function readRecords<T = Record<string, unknown>>(file: string): T[] {
  if (!existsSync(file)) return [];
  const lines = readFileSync(file, 'utf8').split('\n');
  const complete = lines.slice(0, -1); // text after the last '\n' is an unfinished write
  const out: T[] = [];
  complete.forEach((line, i) => {
    if (line === '') return;
    try {
      out.push(JSON.parse(line) as T);
    } catch (e) {
      throw new Error(`${file} line ${i + 1}: not valid JSON (${(e as Error).message}); the log is corrupt before its last line`);
    }
  });
  return out;
}

/** Rewrites `file` (atomically) keeping only records whose step is below `step`. */
export function truncateRecords(file: string, step: number): void {
  if (!existsSync(file)) return;
  const kept = readRecords<{ step: number }>(file).filter((r) => r.step < step);
  writeFileAtomic(file, kept.map((r) => `${JSON.stringify(r)}\n`).join(''));
}

/** Throws when `dir` already holds a run (its config.json exists). */
export function checkNoRun(dir: string): void {
  if (existsSync(join(dir, RUN_FILES.config))) {
    throw new Error(`${dir}: already holds a run (config.json exists); resume it with --resume ${dir} or choose another runDir`);
  }
}

/** Creates a fresh run directory with its config; refuses to reuse one that holds a run. */
export function initRunDir(dir: string, config: unknown): void {
  checkNoRun(dir);
  mkdirSync(dir, { recursive: true });
  for (const f of [RUN_FILES.steps, RUN_FILES.rollouts, RUN_FILES.samples]) rmSync(join(dir, f), { force: true });
  writeFileAtomic(join(dir, RUN_FILES.config), `${JSON.stringify(config, null, 2)}\n`);
}

/** Saves `model` as a checkpoint folder built under a temporary name, then renamed into place. */
async function saveModelFolder(model: CausalLM, folder: string, extra: (tmp: string) => void = () => {}): Promise<void> {
  const tmp = `${folder}${TMP_MARK}${process.pid}`;
  rmSync(tmp, { recursive: true, force: true });
  mkdirSync(tmp, { recursive: true });
  await saveCheckpoint(model, tmp);
  extra(tmp);
  rmSync(folder, { recursive: true, force: true });
  renameSync(tmp, folder);
}

export async function saveReference(dir: string, model: CausalLM): Promise<void> {
  await saveModelFolder(model, join(dir, RUN_FILES.reference));
}

/** Writes checkpoints/step-NNNNNN (model, optimizer slots, state) and then points latest.json at it. */
export async function saveTrainCheckpoint(dir: string, model: CausalLM, opt: OptimizerState, state: CheckpointState): Promise<string> {
  const root = join(dir, RUN_FILES.checkpoints);
  const name = checkpointDirName(state.step);
  await saveModelFolder(model, join(root, name), (tmp) => {
    const slots = new Map<string, HostTensor>(Object.entries(opt.slots).map(([k, v]) => [k, { shape: v.shape, data: v.data }]));
    writeSafetensors(join(tmp, 'optimizer.safetensors'), slots, { optimizer: opt.name, t: String(opt.t) });
    writeFileAtomic(join(tmp, 'state.json'), `${JSON.stringify(state, null, 2)}\n`);
  });
  writeFileAtomic(join(root, RUN_FILES.latest), `${JSON.stringify({ step: state.step, dir: name })}\n`);
  return join(root, name);
}

/** Deletes all but the newest `keep` checkpoint folders (0 = keep all); the one latest.json names always stays. */
export function pruneCheckpoints(dir: string, keep: number): void {
  if (keep <= 0) return;
  const root = join(dir, RUN_FILES.checkpoints);
  const folders = readdirSync(root).filter((n) => /^step-\d+$/.test(n)).sort();
  for (const name of folders.slice(0, Math.max(0, folders.length - keep))) rmSync(join(root, name), { recursive: true, force: true });
}

export interface LoadedCheckpoint {
  folder: string;
  state: CheckpointState;
  optimizer: OptimizerState;
}

/** Whether the run in `dir` has written a checkpoint (checkpoints/latest.json exists). */
export function hasCheckpoint(dir: string): boolean {
  return existsSync(join(dir, RUN_FILES.checkpoints, RUN_FILES.latest));
}

/** The checkpoint latest.json points at (its model is loaded by the caller with loadCheckpoint(folder)). */
export function latestCheckpoint(dir: string): LoadedCheckpoint {
  const root = join(dir, RUN_FILES.checkpoints);
  const latestFile = join(root, RUN_FILES.latest);
  if (!existsSync(latestFile)) throw new Error(`${dir}: no checkpoint yet (${latestFile} is missing)`);
  const latest = JSON.parse(readFileSync(latestFile, 'utf8')) as { step?: unknown; dir?: unknown };
  if (typeof latest.dir !== 'string') throw new Error(`${latestFile}: field "dir" is missing`);
  const folder = join(root, latest.dir);
  const state = JSON.parse(readFileSync(join(folder, 'state.json'), 'utf8')) as CheckpointState;
  const slots: OptimizerState['slots'] = {};
  for (const [k, v] of readSafetensors(join(folder, 'optimizer.safetensors'))) slots[k] = { shape: v.shape, data: v.data };
  return { folder, state, optimizer: { name: state.optimizer.name, t: state.optimizer.t, slots } };
}

/** Removes temporary folders/files a crash left behind (names carrying the temp mark). */
export function removeStaleTemps(dir: string): void {
  const sweep = (d: string): void => {
    if (!existsSync(d)) return;
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const p = join(d, e.name);
      if (e.name.includes(TMP_MARK) || (e.name.startsWith('.') && e.name.endsWith('.tmp'))) rmSync(p, { recursive: true, force: true });
      else if (e.isDirectory()) sweep(p);
    }
  };
  sweep(dir);
}

/** Records → Arrow IPC via arquero; every key of any record becomes a column (missing = null). */
export function recordsToArrow(records: readonly Record<string, unknown>[]): Uint8Array {
  const keys: string[] = [];
  for (const r of records) for (const k of Object.keys(r)) if (!keys.includes(k)) keys.push(k);
  const rows = records.map((r) => Object.fromEntries(keys.map((k) => [k, r[k] ?? null])));
  return toArrowIPC(from(rows));
}

/** Writes steps.arrow, rollouts.arrow and metrics.arrow from the JSONL logs (atomically). */
export function exportArrow(dir: string): void {
  const steps = readRecords<StepRecord>(join(dir, RUN_FILES.steps));
  const rollouts = readRecords<RolloutRecord>(join(dir, RUN_FILES.rollouts));
  writeFileAtomic(join(dir, RUN_FILES.stepsArrow), recordsToArrow(steps as unknown as Record<string, unknown>[]));
  writeFileAtomic(join(dir, RUN_FILES.rolloutsArrow), recordsToArrow(rollouts as unknown as Record<string, unknown>[]));
  writeFileAtomic(join(dir, RUN_FILES.metricsArrow), recordsToArrow(metricRows(rollouts, steps)));
}
