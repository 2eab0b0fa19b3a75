// A grid: families × arms × seeds, each cell one GRPO run of an organism. An arm is a reward with
// its labels and trainer variant (clip off, M = 1, small rollout batch, eps_high, fresh rollouts,
// code-forcing prompt). Every arm of a family shares its seeds, so arms are paired by seed: the same
// seed gives the same prompts, sampling streams and reward draws until trajectories diverge.
// Learning rates come from the tuning rule (tune.ts), fixed per family before any evaluation run.
import type { GrpoAlgoConfig, OrganismTaskConfig } from '../grpo';
import { FAMILY_NAMES, type FamilyName } from '../organisms';
import { closestName } from '../util';

export interface ArmSpec {
  /** Short unique name (a folder name). */
  name: string;
  /** Reward name in the authors' grammar. */
  reward: string;
  labels: OrganismTaskConfig['labels'];
  forceCode: boolean;
  /** GrpoAlgoConfig overrides on top of the grid's base (e.g. policyLoss no_clip, minibatches 1). */
  algo: Partial<GrpoAlgoConfig>;
  freshRolloutsPerMinibatch: boolean;
  /** Families the arm runs on (default: all of the grid's). */
  families?: FamilyName[];
  /** One line: what the arm tests. */
  about: string;
}

export interface GridSpec {
  name: string;
  families: FamilyName[];
  arms: ArmSpec[];
  seeds: number[];
  /** Rollout batches per run. */
  steps: number;
  /** Exact evaluation (forced greedy, table match, samples) every N rollout batches and at the end. */
  evalEvery: number;
  /** Held-out problems of the evaluations (P(code) each batch uses all 800). */
  evalProblems: number;
  /** Base GrpoAlgoConfig overrides of the authors preset (lr comes from the tuning). */
  algo: Partial<GrpoAlgoConfig>;
  /** SGD learning rate per family: fixed by the tuning rule before the grid runs. */
  lr: Partial<Record<FamilyName, number>>;
  /** Folder holding the organisms as <family>-s1/ (null: the shipped data/organisms). */
  organismRoot?: string | null;
}

const arm = (name: string, reward: string, about: string, more: Partial<ArmSpec> = {}): ArmSpec =>
  ({ name, reward, labels: 'gold', forceCode: false, algo: {}, freshRolloutsPerMinibatch: false, about, ...more });

/** Every arm the claims need (issue 9, "The science"). */
export const ARMS: Readonly<Record<string, ArmSpec>> = Object.freeze(Object.fromEntries([
  arm('ground-truth', 'math', 'ground-truth reward (claim 1)'),
  arm('random', 'random0.5', 'random reward, gamma 0.5, clipped (claims 2-5)'),
  arm('format', 'box_only_format', 'format reward: any boxed answer (claims 2-4)'),
  arm('incorrect', 'math', 'incorrect labels: the organism\'s own wrong majority votes (claims 2-4)', { labels: 'incorrect' }),
  arm('majority-vote', 'math', 'offline majority-vote labels from 64 own samples (claims 2-4)', { labels: 'majority-vote' }),
  arm('one-shot', 'math', 'one training problem, its true answer (claim 2)', { labels: 'one-shot' }),
  arm('ttt', 'ttt', 'online majority vote within each group of 16 (Fig 4)'),
  arm('python', 'contain_python_wo_backticks', 'reward for mentioning Python (Fig 8)'),
  arm('format-no-python', 'box_only_format_AND_inverse_contain_python_wo_backticks', 'format and no Python (claim 4, Fig 9)'),
  arm('incorrect-no-python', 'math_AND_inverse_contain_python_wo_backticks', 'incorrect labels and no Python (claim 4, Fig 9)', { labels: 'incorrect' }),
  arm('no-repetition', 'no_repetition', 'reward for not looping (Fig 17)'),
  arm('random-no-clip', 'random0.5', 'random reward without clipping (claim 5)', { algo: { policyLoss: 'no_clip' } }),
  arm('random-m1', 'random0.5', 'random reward, one optimizer step per rollout batch (claim 5)', { algo: { minibatches: 1 } }),
  arm('random-small-batch', 'random0.5', 'random reward, rollout batch = one minibatch of 8 prompts (claim 5)', { algo: { promptsPerRollout: 8, minibatches: 1 } }),
  arm('random-eps-high', 'random0.5', 'random reward with eps_high 0.28, DAPO clip-higher (claim 5)', { algo: { epsHigh: 0.28 } }),
  arm('random-fresh', 'random0.5', 'random reward, fresh rollouts per minibatch (on-policy control)', { freshRolloutsPerMinibatch: true }),
  arm('random-gamma0', 'random0', 'random reward with gamma 0: every reward 0, nothing to learn (Fig 10)'),
  arm('random-gamma0.3', 'random0.3', 'random reward with gamma 0.3 (Fig 10)'),
  arm('random-gamma0.7', 'random0.7', 'random reward with gamma 0.7 (Fig 10)'),
  arm('forced-code-random', 'random0.5', 'code-forcing prompt under random reward (Table 3 analogue during training)', { forceCode: true }),
].map((a) => [a.name, a])));

/** The base trainer of every grid run: the authors preset with SGD (organism-prototype-3). */
export const GRID_ALGO: Readonly<Partial<GrpoAlgoConfig>> = Object.freeze({
  optimizer: 'sgd', promptsPerRollout: 64, groupSize: 16, minibatches: 8, maxGradNorm: 1,
});

const pickArms = (names: string[]): ArmSpec[] => names.map((n) => ARMS[n]);

const SPURIOUS = ['random', 'format', 'incorrect', 'majority-vote', 'one-shot'];

/** The evaluation seeds of the full preset and its secondary (long): one list, so their runs pair by seed. */
const EVALUATION_SEEDS: readonly number[] = Array.from({ length: 25 }, (_, i) => i + 1);

export const GRID_PRESETS: Readonly<Record<string, Omit<GridSpec, 'lr'>>> = Object.freeze({
  /** CI: one family, two rewards, one seed, a few steps. */
  smoke: {
    name: 'smoke', families: ['good-code'], arms: pickArms(['ground-truth', 'random']), seeds: [1], steps: 2, evalEvery: 1, evalProblems: 64,
    algo: { ...GRID_ALGO, promptsPerRollout: 8, groupSize: 4, minibatches: 2 },
  },
  /**
   * `npm start` (under 15 minutes on 2 cores): each claim's direction on 3 paired seeds, 15 rollout
   * batches, 200 evaluation problems: ground truth and random for every family; Good-Code's other
   * spurious rewards and the clipping ablations; Bad-Code's format with and without Python. With 3
   * seeds most intervals are wide: the verdicts say so (inconclusive), the full grid decides.
   */
  quick: {
    name: 'quick', families: ['good-code', 'bad-code', 'no-code'],
    arms: [
      ...pickArms(['ground-truth', 'random']),
      { ...ARMS.format, families: ['good-code', 'bad-code'] },
      { ...ARMS.incorrect, families: ['good-code'] },
      { ...ARMS['format-no-python'], families: ['bad-code'] },
      ...['random-no-clip', 'random-m1', 'random-eps-high'].map((n) => ({ ...ARMS[n], families: ['good-code'] as FamilyName[] })),
    ],
    seeds: [1, 2, 3], steps: 15, evalEvery: 5, evalProblems: 200, algo: GRID_ALGO,
  },
  /**
   * The acceptance grid: every claim, 25 paired seeds, 25 rollout batches. Good-Code-small (joined in
   * session 4, when its probes passed the tuning rule at lr 0.03) runs ground truth and the five
   * spurious rewards of claim 2; runs are reused per cell, so adding it reran nothing.
   */
  full: {
    name: 'full', families: ['good-code', 'good-code-small', 'bad-code', 'no-code'],
    arms: [
      ...pickArms(['ground-truth', ...SPURIOUS]),
      { ...ARMS.ttt, families: ['good-code', 'bad-code'] },
      { ...ARMS.python, families: ['good-code', 'bad-code', 'no-code'] },
      { ...ARMS['format-no-python'], families: ['good-code', 'bad-code'] },
      { ...ARMS['incorrect-no-python'], families: ['good-code', 'bad-code'] },
      { ...ARMS['no-repetition'], families: ['good-code'] },
      ...['random-no-clip', 'random-m1', 'random-small-batch', 'random-eps-high', 'random-fresh', 'random-gamma0', 'random-gamma0.3', 'random-gamma0.7']
        .map((n) => ({ ...ARMS[n], families: ['good-code'] as FamilyName[] })),
    ],
    seeds: [...EVALUATION_SEEDS], steps: 25, evalEvery: 5, evalProblems: 400, algo: GRID_ALGO,
  },
  /**
   * The secondary run length (issue 9: "longer runs as a secondary where the organism survives
   * them"), fixed in session 6 before any of its runs: Good-Code, ground truth and the clipped and
   * unclipped random reward, the full grid's 25 seeds, 100 rollout batches (docs/organisms.md,
   * "The secondary run length"). Its gate is read over all 100 batches.
   */
  long: {
    name: 'long', families: ['good-code'], arms: pickArms(['ground-truth', 'random', 'random-no-clip']),
    seeds: [...EVALUATION_SEEDS], steps: 100, evalEvery: 5, evalProblems: 400, algo: GRID_ALGO,
  },
});

/** The names of the grid presets, for usage lines and errors. */
export const gridPresetNames = (): string[] => Object.keys(GRID_PRESETS);

export interface Cell {
  family: FamilyName;
  arm: ArmSpec;
  seed: number;
  /** "<family>/<arm>/s<seed>": the run's folder under the grid's runs/. */
  key: string;
}

export const cellKey = (family: string, armName: string, seed: number): string => `${family}/${armName}/s${seed}`;

/** Every cell, seed-major (so a killed grid has whole pairs first). */
export function gridCells(g: GridSpec): Cell[] {
  const out: Cell[] = [];
  for (const seed of g.seeds) {
    for (const family of g.families) {
      for (const a of g.arms) {
        if (a.families !== undefined && !a.families.includes(family)) continue;
        out.push({ family, arm: a, seed, key: cellKey(family, a.name, seed) });
      }
    }
  }
  return out;
}

export function gridPreset(name: string): Omit<GridSpec, 'lr'> {
  const p = GRID_PRESETS[name];
  if (p === undefined) {
    const near = closestName(name, gridPresetNames());
    throw new Error(`unknown grid preset "${name}"${near ? ` (did you mean "${near}"?)` : ''}; known: ${gridPresetNames().join(', ')}`);
  }
  return p;
}

/** Checks a spec read from a file (grid.json) before anything runs. */
export function checkGridSpec(g: GridSpec, where: string): void {
  for (const f of g.families) if (!FAMILY_NAMES.includes(f)) throw new Error(`${where}: unknown family "${f}"`);
  const names = new Set<string>();
  for (const a of g.arms) {
    if (names.has(a.name)) throw new Error(`${where}: arm "${a.name}" is listed twice`);
    names.add(a.name);
  }
  for (const f of g.families) {
    if (!(typeof g.lr[f] === 'number' && (g.lr[f] as number) > 0)) throw new Error(`${where}: no learning rate for family "${f}" (run the tuning first: rlvr grid tune)`);
  }
  if (!(g.steps >= 1 && g.evalEvery >= 1 && g.seeds.length >= 1)) throw new Error(`${where}: steps, evalEvery and seeds must be positive`);
}
