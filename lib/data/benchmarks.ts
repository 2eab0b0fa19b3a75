// The four evaluation benchmarks (spec §8), as shipped in the Rethink_RLVR repo (train.json = test.json; we read test.json).
import { readProblemFile, type ProblemRecord } from './json-array';
import { rethinkPath } from './manifest';
import { resolveDataFile, type DataOptions } from './paths';

export interface BenchmarkInfo {
  /** Upstream folder under code/data/. */
  folder: string;
  displayName: string;
  size: number;
  /** Evaluation protocol (spec §8): samples per problem and temperature; 1 sample at T=0 is greedy pass@1. */
  samples: number;
  temperature: number;
  metric: 'pass@1' | 'avg@8';
}

export const BENCHMARKS = {
  math500: { folder: 'MATH-TTT', displayName: 'MATH-500', size: 500, samples: 1, temperature: 0, metric: 'pass@1' },
  aime2024: { folder: 'AIME-TTT', displayName: 'AIME 2024', size: 30, samples: 8, temperature: 0.6, metric: 'avg@8' },
  aime2025: { folder: 'AIME2025-TTT', displayName: 'AIME 2025', size: 30, samples: 8, temperature: 0.6, metric: 'avg@8' },
  amc: { folder: 'AMC-TTT', displayName: 'AMC', size: 83, samples: 8, temperature: 0.6, metric: 'avg@8' },
} as const satisfies Record<string, BenchmarkInfo>;

export type BenchmarkName = keyof typeof BENCHMARKS;

/** Local path (relative to a data dir) of a benchmark file. */
export function benchmarkPath(name: BenchmarkName): string {
  return rethinkPath(benchmarkInfo(name).folder, 'test.json');
}

function benchmarkInfo(name: BenchmarkName): BenchmarkInfo {
  if (!Object.prototype.hasOwnProperty.call(BENCHMARKS, name)) {
    throw new Error(`benchmark "${String(name)}" is not known; known: ${Object.keys(BENCHMARKS).join(', ')}`);
  }
  return BENCHMARKS[name];
}

/** Loads a benchmark: MATH-500 (500), AIME 2024 (30), AIME 2025 (30) or AMC (83). */
export function loadBenchmark(name: BenchmarkName, opts: DataOptions = {}): ProblemRecord[] {
  return readProblemFile(resolveDataFile(benchmarkPath(name), opts));
}
