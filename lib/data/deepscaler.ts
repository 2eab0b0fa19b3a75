// DeepScaleR split into five difficulty levels (Rethink_RLVR DeepScaleR_Difficulty_Level_k).
// Each level has ~7,961 train records and a 100-record test.json (the level's last 100, ids continuing).
// Their union stands in for the missing ground-truth DeepScaleR/train.json.
import { DataError } from '../util';
import { readProblemFile, type ProblemRecord } from './json-array';
import { rethinkPath } from './manifest';
import { resolveDataFile, type DataOptions } from './paths';

export type DeepScaleRLevel = 1 | 2 | 3 | 4 | 5;
export type Split = 'train' | 'test';
export const DEEPSCALER_LEVELS: readonly DeepScaleRLevel[] = [1, 2, 3, 4, 5];

/** A DeepScaleR record with the level file it came from. */
export interface DeepScaleRRecord extends ProblemRecord {
  level: DeepScaleRLevel;
}

/** Local path (relative to a data dir) of one level file. */
export function deepScaleRLevelPath(level: DeepScaleRLevel, split: Split = 'train'): string {
  if (!DEEPSCALER_LEVELS.includes(level)) throw new Error(`DeepScaleR level must be one of 1..5, received ${String(level)}`);
  if (split !== 'train' && split !== 'test') throw new Error(`split must be "train" or "test", received "${String(split)}"`);
  return rethinkPath(`DeepScaleR_Difficulty_Level_${level}`, `${split}.json`);
}

/** Loads one difficulty level's train (default) or test split. */
export function loadDeepScaleRLevel(level: DeepScaleRLevel, split: Split = 'train', opts: DataOptions = {}): DeepScaleRRecord[] {
  const file = resolveDataFile(deepScaleRLevelPath(level, split), opts);
  return readProblemFile(file).map((r) => ({ ...r, level }));
}

export interface DeepScaleROptions extends DataOptions {
  /** Levels to include (default all five), in the order given. */
  levels?: readonly DeepScaleRLevel[];
  split?: Split;
}

/** The union of several level files (train by default), level by level. Duplicate prompts across levels are kept. */
export function loadDeepScaleR(opts: DeepScaleROptions = {}): DeepScaleRRecord[] {
  const levels = opts.levels ?? DEEPSCALER_LEVELS;
  if (levels.length === 0) throw new DataError({ file: 'DeepScaleR_Difficulty_Level_*', field: 'levels' }, 'no levels requested; pass some of 1..5');
  return levels.flatMap((level) => loadDeepScaleRLevel(level, opts.split ?? 'train', opts));
}
