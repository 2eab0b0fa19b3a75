// One grid cell: a GRPO run of an organism in its own run directory, plus organism.jsonl, the
// organism's exact metrics: P(code) over the 800 held-out problems after every rollout batch, and
// every evalEvery batches the forced-greedy accuracy and answer-table match per style, expected
// accuracy, and one T = 1 sample per evaluation problem. done.json is written (atomically) last,
// so a cell is complete exactly when it exists; a killed cell resumes from its latest checkpoint
// (or from batch 0) with its logs cut back to match.
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import {
  appendRecord, readRecords, resumeTraining, RUN_FILES, train, truncateRecords, latestCheckpoint,
  type RolloutRecord, type StepResult, type TrainResult,
} from '../grpo';
import type { CausalLM } from '../models';
import {
  defaultOrganismDir, evaluateOrganism, MV_LABELS_FILE, familyStyles, loadOrganismModel, oneShotProblem, organismFolderName, styleBroke, family as familyByName, firstTokenProbs, problemSplit, sampleProblems, ORGANISM_MAX_NEW_TOKENS,
  type Family, type OrganismEval,
} from '../organisms';
import { canonicalJson, type JsonValue } from '../sampling';
import { createRng, writeFileAtomic } from '../util';
import type { Cell, GridSpec } from './spec';

export const ORGANISM_LOG = 'organism.jsonl';
export const DONE_FILE = 'done.json';

/** One organism.jsonl line. `step` = batches − 1, the trainer's step index, so logs truncate alike. */
export interface OrganismLogRecord {
  step: number;
  /** Rollout batches done (0 = the initial policy). */
  batches: number;
  /** Exact mean p(C), p(L) over the 800 held-out problems. */
  pCode: number;
  pLanguage: number;
  /** Training rollouts of the batch (absent at batch 0): accuracy against the true sums, code share, mean reward. */
  rolloutAccuracy?: number;
  rolloutCode?: number;
  rewardMean?: number;
  /** First-token clip fraction averaged over the batch's minibatch updates. */
  clipFirstToken?: number;
  gradNorm?: number;
  /** Present every evalEvery batches. */
  eval?: OrganismEval;
}

export interface CellSummary {
  key: string;
  family: string;
  arm: string;
  seed: number;
  steps: number;
  /**
   * Whether the skill the policy uses broke: at some evaluation, a style the policy still chooses (mean
   * probability >= ACTIVE_STYLE) left its answer table (match < 0.9) and lost accuracy (more than 0.05
   * below its target); and the first batch where it did. Collapsed runs are left out of every effect.
   */
  collapsed: boolean;
  collapsedAt: number | null;
  /** The same for any style, abandoned ones included (issue 9's literal gate; reported beside). */
  collapsedAnyStyle: boolean;
  collapsedAnyStyleAt: number | null;
  initial: OrganismLogRecord;
  final: OrganismLogRecord;
  wallSeconds: number;
  /** Everything that made the numbers (cellSpec): a later grid reuses the run only if its cell spec is equal. */
  spec: CellSpec;
}

/** What determines a cell's numbers, free of machine paths: its train config (no run or organism folder) and evaluation. */
export interface CellSpec {
  train: Record<string, unknown>;
  /** "shipped" (data/organisms/<family>-s1) or the grid's organismRoot. */
  organisms: string;
  /**
   * Digest of the organism's weights and majority-vote labels (organismDigest), so a rebuilt organism
   * reruns its cells. Absent in runs collected before session 5.
   */
  organism?: string;
  /** The one-shot arms' problem ("a+b"), else absent. */
  oneShot?: string;
  evalEvery: number;
  evalProblems: number;
}

export function cellSpec(g: GridSpec, cell: Cell): CellSpec {
  const { runDir: _runDir, ...train } = cellTrainConfig(g, cell, '', '');
  const task = { ...(train.task as Record<string, unknown>) };
  delete task.checkpoint;
  const spec: CellSpec = {
    train: { ...train, task }, organisms: g.organismRoot == null ? 'shipped' : g.organismRoot,
    organism: organismDigest(gridOrganismDir(g, cell.family)), evalEvery: g.evalEvery, evalProblems: g.evalProblems,
  };
  if (cell.arm.labels === 'one-shot') {
    const p = oneShotProblem(familyByName(cell.family));
    spec.oneShot = `${p.a}+${p.b}`;
  }
  return spec;
}

/** Equal settings, whatever the order of their keys. */
export const sameCellSpec = (a: CellSpec, b: CellSpec): boolean => canonicalJson(a as unknown as JsonValue) === canonicalJson(b as unknown as JsonValue);

const ORGANISM_FILES = ['model.safetensors', MV_LABELS_FILE];
const digests = new Map<string, string>();
/**
 * First 16 hex digits of the SHA-256 of an organism's weights and majority-vote labels, cached per
 * folder and file times (a kernel that rebuilds an organism in place gets the new digest).
 */
export function organismDigest(dir: string): string {
  const files = ORGANISM_FILES.map((f) => join(dir, f));
  for (const file of files) {
    if (!existsSync(file)) throw new Error(`${file}: missing; an organism folder holds ${ORGANISM_FILES.join(' and ')} (rlvr pretrain writes them)`);
  }
  const key = [dir, ...files.map((file) => { const st = statSync(file); return `${st.mtimeMs}:${st.size}`; })].join('|');
  let d = digests.get(key);
  if (d === undefined) {
    const h = createHash('sha256');
    files.forEach((file, i) => h.update(ORGANISM_FILES[i]).update(readFileSync(file)));
    d = h.digest('hex').slice(0, 16);
    digests.set(key, d);
  }
  return d;
}

/** A style whose mean probability at an evaluation is below this is abandoned: its table no longer shapes what the policy writes. */
export const ACTIVE_STYLE = 0.05;

/**
 * Collapse fields of a run from its organism log (see CellSummary): at each evaluation, a style whose
 * skill broke (styleBroke: off its answer table and less accurate than its target), counted for the
 * run only while the policy still chooses that style (mean probability >= ACTIVE_STYLE).
 */
export function collapseOf(log: readonly OrganismLogRecord[], f: Family): Pick<CellSummary, 'collapsed' | 'collapsedAt' | 'collapsedAnyStyle' | 'collapsedAnyStyleAt'> {
  let active: number | null = null;
  let any: number | null = null;
  for (const r of log) {
    const e = r.eval;
    if (e === undefined) continue;
    for (const style of familyStyles(f)) {
      if (!styleBroke(f, style, e.tableMatch[style], e.greedyAccuracy[style])) continue;
      any ??= r.batches;
      const p = style === 'code' ? e.pCode : e.pLanguage;
      if (p >= ACTIVE_STYLE) active ??= r.batches;
    }
  }
  return { collapsed: active !== null, collapsedAt: active, collapsedAnyStyle: any !== null, collapsedAnyStyleAt: any };
}

/** The TrainConfig (raw) of a cell. */
export function cellTrainConfig(g: GridSpec, cell: Cell, runDir: string, organismDir: string): Record<string, unknown> {
  return {
    runDir,
    seed: cell.seed,
    steps: g.steps,
    preset: 'authors',
    algo: { ...g.algo, lr: g.lr[cell.family], ...cell.arm.algo },
    reward: cell.arm.reward,
    verifierMode: 'strict',
    task: { kind: 'organism', family: cell.family, checkpoint: organismDir, labels: cell.arm.labels, forceCode: cell.arm.forceCode },
    sampling: { maxNewTokens: ORGANISM_MAX_NEW_TOKENS, temperature: 1, microBatchSize: 1024 },
    freshRolloutsPerMinibatch: cell.arm.freshRolloutsPerMinibatch,
    checkpointEvery: g.evalEvery,
    keepCheckpoints: 1,
    samplesPerRollout: 4,
  };
}

const meanOf = (xs: number[]): number => xs.reduce((a, b) => a + b, 0) / Math.max(1, xs.length);

function rolloutSummary(r: StepResult): Pick<OrganismLogRecord, 'rolloutAccuracy' | 'rolloutCode' | 'rewardMean' | 'clipFirstToken' | 'gradNorm'> {
  const ro: RolloutRecord[] = r.rollouts;
  return {
    rolloutAccuracy: meanOf(ro.map((x) => x.accuracy)),
    rolloutCode: meanOf(ro.map((x) => x.codeFrac)),
    rewardMean: meanOf(ro.map((x) => x.rewardMean)),
    clipFirstToken: meanOf(r.steps.map((s) => s.clipFracLowFirstToken + s.clipFracHighFirstToken)),
    gradNorm: meanOf(r.steps.map((s) => s.gradNorm)),
  };
}

/** Runs (or resumes) one cell in `runDir`; returns its summary (also written as done.json). */
/** The organism folder a grid's cell starts from. */
export const gridOrganismDir = (g: GridSpec, family: string): string =>
  g.organismRoot == null ? defaultOrganismDir(family) : join(g.organismRoot, organismFolderName(family));

export async function runCell(g: GridSpec, cell: Cell, runDir: string, organismDir: string = gridOrganismDir(g, cell.family)): Promise<CellSummary> {
  const t0 = performance.now();
  const f = familyByName(cell.family);
  const heldOut = problemSplit().heldOut;
  const evalSet = sampleProblems(heldOut, g.evalProblems, 11);
  const logFile = join(runDir, ORGANISM_LOG);
  const measure = async (model: CausalLM, batches: number, r: StepResult | null): Promise<void> => {
    const probs = await firstTokenProbs(model, heldOut);
    const rec: OrganismLogRecord = {
      step: batches - 1, batches,
      pCode: meanOf([...probs.code]), pLanguage: meanOf([...probs.language]),
      ...(r === null ? {} : rolloutSummary(r)),
    };
    if (batches % g.evalEvery === 0 || batches === g.steps) {
      rec.eval = await evaluateOrganism(model, f, evalSet, createRng(cell.seed).fork(`eval/${batches}`).int(2 ** 31));
    }
    appendRecord(logFile, rec);
  };
  const cfg = cellTrainConfig(g, cell, runDir, organismDir);
  const onMetrics = (r: StepResult, model: CausalLM): Promise<void> => measure(model, r.rollouts[0].step + 1, r);
  let result: TrainResult;
  if (existsSync(join(runDir, RUN_FILES.config))) {
    let ckStep = 0;
    try {
      ckStep = latestCheckpoint(runDir).state.step;
    } catch {
      ckStep = 0; // killed before its first checkpoint: resumeTraining restarts from batch 0
    }
    truncateRecords(logFile, ckStep);
    result = await resumeTraining(runDir, { onMetrics });
  } else {
    rmSync(logFile, { force: true }); // a cell killed before train() wrote its config starts over
    mkdirSync(runDir, { recursive: true });
    const initial = loadOrganismModel(organismDir);
    try {
      await measure(initial, 0, null);
    } finally {
      initial.dispose();
    }
    result = await train(cfg, { onMetrics });
  }
  result.model.dispose();
  const log = readRecords<OrganismLogRecord>(logFile);
  const summary: CellSummary = {
    key: cell.key, family: cell.family, arm: cell.arm.name, seed: cell.seed, steps: g.steps,
    ...collapseOf(log, f),
    initial: log[0], final: log[log.length - 1], wallSeconds: (performance.now() - t0) / 1000, spec: cellSpec(g, cell),
  };
  writeFileAtomic(join(runDir, DONE_FILE), `${JSON.stringify(summary)}\n`);
  return summary;
}
