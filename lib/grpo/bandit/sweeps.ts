// Experiments on the clipping-bias laboratory (grpo.md §5.4–5.5), returned as plain records for
// tables and figures: the gradient-formula check, the one-rollout drift of the mode's log-odds
// for a list of arms, a sweep over ε_h, where the drift changes sign, and long-run trajectories
// of π_top. Every clipped arm is paired with its "no-clip twin": the same config with
// policyLoss 'no_clip', run on the same seed, so both see every random draw (common random numbers)
// and their per-seed difference is the effect of the clip alone.
import { resolveGrpoConfig, type GrpoAlgoConfig } from '../config';
import { banditLogits, banditRolloutBatch, createBandit, disposeBandit, runBandit, type BanditRolloutResult, type BanditSetup } from './lab';
import {
  expectedClippedGradient, meanPositiveAdvantage, monteCarloClippedGradient, type BanditPolicyPair, type ClipBand, type MonteCarloOptions,
} from './expected';
import { softmaxRows } from './softmax';
import { meanInterval, pairedDifference } from './stats';

/** Laboratory setup for the sweeps; the config is preset 'clip-lab' plus `base` plus each arm's overrides. */
export interface SweepSetup extends Omit<BanditSetup, 'rolloutBatches'> {
  /** Overrides applied to preset 'clip-lab' for every arm (e.g. { optimizer: 'adam', lr: 0.1 }). */
  base?: Partial<GrpoAlgoConfig>;
}

export interface BanditArm {
  /** Label shown in tables and legends. */
  name: string;
  overrides?: Partial<GrpoAlgoConfig>;
}

// ---------------------------------------------------------------------------------------------
// 1. The expected-gradient formula against Monte Carlo (grpo.md §5.4)

/** One logit of one policy pair: the formula c·∇[π(L) − π(U)] next to the Monte-Carlo mean. */
export interface GradientCheckRow {
  case: number;
  strategy: number;
  piOld: number;
  piNow: number;
  ratio: number;
  /** 'U' (ratio > 1 + ε_h), 'L' (ratio < 1 − ε_l) or 'inside' the band. */
  region: 'U' | 'L' | 'inside';
  formula: number;
  monteCarlo: number;
  monteCarloSe: number;
  /** (Monte Carlo − formula) / se: |z| ≲ 2 when they agree. */
  z: number;
}

/**
 * For each policy pair, the exact expected clipped gradient and its Monte-Carlo estimate through
 * the library's loss path, one row per logit. c = E[A⁺] is computed for the same G, γ and std-eps.
 */
export function gradientCheck(
  cases: readonly BanditPolicyPair[], band: ClipBand, mc: MonteCarloOptions,
): GradientCheckRow[] {
  const c = meanPositiveAdvantage(mc.groupSize, mc.rewardProb, mc.stdEps);
  const rows: GradientCheckRow[] = [];
  cases.forEach((policy, i) => {
    const exact = expectedClippedGradient(policy, band, c);
    const est = monteCarloClippedGradient(policy, band, { ...mc, seed: mc.seed + i });
    policy.current.forEach((p, k) => {
      const region = exact.upper.includes(k) ? 'U' : exact.lower.includes(k) ? 'L' : 'inside';
      const se = est.se[k];
      rows.push({
        case: i + 1, strategy: k + 1, piOld: policy.old[k], piNow: p, ratio: p / policy.old[k], region,
        formula: exact.gradient[k], monteCarlo: est.mean[k], monteCarloSe: se,
        z: se > 0 ? (est.mean[k] - exact.gradient[k]) / se : 0,
      });
    });
  });
  return rows;
}

// ---------------------------------------------------------------------------------------------
// 2. One rollout batch: drift of the mode's log-odds (grpo.md §5.5a)

/** Drift of log-odds(top) over one rollout batch, for one arm, over all seeds. */
export interface DriftRow {
  arm: string;
  policyLoss: string;
  epsLow: number;
  epsHigh: number;
  minibatches: number;
  seeds: number;
  /** Mean change of log-odds(top) over the rollout batch, with its s.e. and 95 % interval. */
  drift: number;
  driftSe: number;
  driftLo: number;
  driftHi: number;
  /** Per-seed drift minus the no-clip twin's (same seeds): the effect of the clip alone. */
  paired: number;
  pairedSe: number;
  pairedLo: number;
  pairedHi: number;
  /** Largest |paired difference| over seeds (exactly 0 when the clip never binds, e.g. M = 1). */
  pairedMaxAbs: number;
  /** Share of samples clipped (low + high), averaged over the optimizer steps. */
  clipFrac: number;
}

function armConfig(setup: SweepSetup, overrides: Partial<GrpoAlgoConfig> | undefined): GrpoAlgoConfig {
  return resolveGrpoConfig('clip-lab', { ...setup.base, ...overrides });
}

/** The arm's config with the clip removed; ε set to the preset's so twins of different ε are one run. */
function twinConfig(cfg: GrpoAlgoConfig): GrpoAlgoConfig {
  const preset = resolveGrpoConfig('clip-lab');
  return { ...cfg, policyLoss: 'no_clip', epsLow: preset.epsLow, epsHigh: preset.epsHigh };
}

function banditSetup(setup: SweepSetup, rolloutBatches: number): BanditSetup {
  return { seeds: setup.seeds, prior: setup.prior, rewardProb: setup.rewardProb, seed: setup.seed, rolloutBatches };
}

const stepClipFrac = (m: Record<string, number>): number => m.clipFracLow + m.clipFracHigh;

function meanClipFrac(r: BanditRolloutResult): number {
  return r.steps.reduce((s, m) => s + stepClipFrac(m), 0) / r.steps.length;
}

function driftOf(r: BanditRolloutResult): Float64Array {
  return pairedDifference(r.logOddsAfter, r.logOddsBefore);
}

/**
 * One rollout batch from the prior for every arm (and each arm's no-clip twin, run once per
 * distinct config), all on `setup.seed`: one DriftRow per arm, in order.
 */
export function rolloutDrift(arms: readonly BanditArm[], setup: SweepSetup): DriftRow[] {
  const runs = new Map<string, BanditRolloutResult>();
  const run = (cfg: GrpoAlgoConfig): BanditRolloutResult => {
    const key = JSON.stringify(cfg);
    let r = runs.get(key);
    if (r === undefined) {
      r = runBandit(banditSetup(setup, 1), cfg).rollouts[0];
      runs.set(key, r);
    }
    return r;
  };
  return arms.map((arm) => {
    const cfg = armConfig(setup, arm.overrides);
    const own = run(cfg);
    const drift = driftOf(own);
    const diff = pairedDifference(drift, driftOf(run(twinConfig(cfg))));
    const d = meanInterval(drift), p = meanInterval(diff);
    let maxAbs = 0;
    for (let i = 0; i < diff.length; i++) maxAbs = Math.max(maxAbs, Math.abs(diff[i]));
    return {
      arm: arm.name, policyLoss: cfg.policyLoss, epsLow: cfg.epsLow, epsHigh: cfg.epsHigh, minibatches: cfg.minibatches, seeds: setup.seeds,
      drift: d.mean, driftSe: d.se, driftLo: d.lo, driftHi: d.hi,
      paired: p.mean, pairedSe: p.se, pairedLo: p.lo, pairedHi: p.hi, pairedMaxAbs: maxAbs,
      clipFrac: meanClipFrac(own),
    };
  });
}

/** rolloutDrift over ε_h values at a fixed ε_l (other overrides from `setup.base`); arms named "ε_l/ε_h". */
export function epsilonSweep(epsHighs: readonly number[], epsLow: number, setup: SweepSetup): DriftRow[] {
  return rolloutDrift(epsHighs.map((epsHigh) => ({ name: `${epsLow}/${epsHigh}`, overrides: { epsLow, epsHigh } })), setup);
}

/** ε_h at which the first-order drift of grpo.md §5.3 vanishes: log(1 + ε_h) = −log(1 − ε_l). */
export function neutralEpsHigh(epsLow: number): number {
  return epsLow / (1 - epsLow);
}

/** Where a sweep's paired drift changes sign. */
export interface SignFlip {
  /** Linear interpolation of the paired mean between the first pair of ε_h values where it changes sign; null if it never does. */
  crossing: number | null;
  /** Largest ε_h whose 95 % interval lies wholly above 0, and smallest whose interval lies wholly below 0 (null: none). */
  lastPositive: number | null;
  firstNegative: number | null;
}

/** The sign flip of a sweep (rows in any order; sorted by ε_h here). */
export function signFlip(rows: readonly DriftRow[]): SignFlip {
  const sorted = [...rows].sort((a, b) => a.epsHigh - b.epsHigh);
  let crossing: number | null = null;
  for (let i = 1; i < sorted.length && crossing === null; i++) {
    const a = sorted[i - 1], b = sorted[i];
    if (a.paired === 0) crossing = a.epsHigh;
    else if (Math.sign(a.paired) !== Math.sign(b.paired)) {
      crossing = a.epsHigh + (b.epsHigh - a.epsHigh) * (a.paired / (a.paired - b.paired));
    }
  }
  const positive = sorted.filter((r) => r.pairedLo > 0).map((r) => r.epsHigh);
  const negative = sorted.filter((r) => r.pairedHi < 0).map((r) => r.epsHigh);
  return {
    crossing,
    lastPositive: positive.length > 0 ? positive[positive.length - 1] : null,
    firstNegative: negative.length > 0 ? negative[0] : null,
  };
}

// ---------------------------------------------------------------------------------------------
// 3. Long runs: π_top over rollout batches (grpo.md §5.5c)

/** One arm after one rollout batch, summarised over seeds. */
export interface TrajectoryPoint {
  arm: string;
  /** Rollout batches done (0 = the prior). */
  rollout: number;
  /** Mean π_top over seeds with its 95 % interval. */
  pTop: number;
  pTopLo: number;
  pTopHi: number;
  medianPTop: number;
  /** Mean policy entropy (nats). */
  entropy: number;
  /** Clip fraction of this rollout batch's steps (NaN at rollout 0). */
  clipFrac: number;
}

/** One arm at the end of a long run. */
export interface LongRunSummary {
  arm: string;
  rollouts: number;
  seeds: number;
  pTop: number;
  pTopSe: number;
  /** π_top minus the no-clip twin's, per seed (0 for the no-clip arm itself). */
  paired: number;
  pairedSe: number;
  pairedLo: number;
  pairedHi: number;
  medianPTop: number;
  entropy: number;
  /** Mean clip fraction over all steps of the run. */
  clipFrac: number;
}

export interface LongRunResult {
  trajectory: TrajectoryPoint[];
  summary: LongRunSummary[];
}

interface ArmRun {
  /** π_top of every seed after each rollout batch (index 0 = prior). */
  pTop: Float64Array[];
  entropy: number[];
  clipFrac: number[];
}

function median(xs: Float64Array): number {
  const s = Float64Array.from(xs).sort();
  const m = s.length >> 1;
  return s.length % 2 === 1 ? s[m] : (s[m - 1] + s[m]) / 2;
}

function observe(logits: Float32Array, K: number, top: number): { pTop: Float64Array; entropy: number } {
  const p = softmaxRows(logits, K);
  const S = p.length / K;
  const pTop = new Float64Array(S);
  let h = 0;
  for (let s = 0; s < S; s++) {
    pTop[s] = p[s * K + top];
    for (let k = 0; k < K; k++) {
      const q = p[s * K + k];
      if (q > 0) h -= q * Math.log(q);
    }
  }
  return { pTop, entropy: h / S };
}

function runLong(setup: SweepSetup, cfg: GrpoAlgoConfig, rollouts: number): ArmRun {
  const b = createBandit(banditSetup(setup, rollouts), cfg);
  try {
    const K = setup.prior.length;
    const first = observe(banditLogits(b), K, b.top);
    const out: ArmRun = { pTop: [first.pTop], entropy: [first.entropy], clipFrac: [NaN] };
    for (let r = 0; r < rollouts; r++) {
      const res = banditRolloutBatch(b);
      const now = observe(banditLogits(b), K, b.top);
      out.pTop.push(now.pTop);
      out.entropy.push(now.entropy);
      out.clipFrac.push(meanClipFrac(res));
    }
    return out;
  } finally {
    disposeBandit(b);
  }
}

/**
 * Runs every arm (and its no-clip twin, once per distinct config) for `rollouts` rollout batches on
 * `setup.seed`. Returns the mean/median π_top and entropy after every `every`-th rollout batch
 * (plus the prior and the last), and a per-arm summary at the end with the paired difference.
 */
export function longRun(arms: readonly BanditArm[], setup: SweepSetup, rollouts: number, every = 1): LongRunResult {
  if (!Number.isInteger(rollouts) || rollouts < 1) throw new Error(`longRun: rollouts is ${rollouts}; it must be a positive integer`);
  if (!Number.isInteger(every) || every < 1) throw new Error(`longRun: every is ${every}; it must be a positive integer`);
  const runs = new Map<string, ArmRun>();
  const run = (cfg: GrpoAlgoConfig): ArmRun => {
    const key = JSON.stringify(cfg);
    let r = runs.get(key);
    if (r === undefined) {
      r = runLong(setup, cfg, rollouts);
      runs.set(key, r);
    }
    return r;
  };
  const trajectory: TrajectoryPoint[] = [];
  const summary: LongRunSummary[] = [];
  for (const arm of arms) {
    const cfg = armConfig(setup, arm.overrides);
    const own = run(cfg);
    const twin = run(twinConfig(cfg));
    for (let r = 0; r <= rollouts; r++) {
      if (r % every !== 0 && r !== rollouts) continue;
      const ci = meanInterval(own.pTop[r]);
      trajectory.push({
        arm: arm.name, rollout: r, pTop: ci.mean, pTopLo: ci.lo, pTopHi: ci.hi, medianPTop: median(own.pTop[r]),
        entropy: own.entropy[r], clipFrac: own.clipFrac[r],
      });
    }
    const end = meanInterval(own.pTop[rollouts]);
    const p = meanInterval(pairedDifference(own.pTop[rollouts], twin.pTop[rollouts]));
    summary.push({
      arm: arm.name, rollouts, seeds: setup.seeds, pTop: end.mean, pTopSe: end.se,
      paired: p.mean, pairedSe: p.se, pairedLo: p.lo, pairedHi: p.hi,
      medianPTop: median(own.pTop[rollouts]), entropy: own.entropy[rollouts],
      clipFrac: own.clipFrac.slice(1).reduce((a, x) => a + x, 0) / rollouts,
    });
  }
  return { trajectory, summary };
}

// ---------------------------------------------------------------------------------------------
// Accessors for figures: a record's value with its 95 % interval as { mean, lo, hi }.

/** The arm's own drift of log-odds(top). */
export function driftInterval(r: DriftRow): { mean: number; lo: number; hi: number } {
  return { mean: r.drift, lo: r.driftLo, hi: r.driftHi };
}

/** The arm's drift minus its no-clip twin's (paired). */
export function pairedInterval(r: DriftRow): { mean: number; lo: number; hi: number } {
  return { mean: r.paired, lo: r.pairedLo, hi: r.pairedHi };
}

/** Mean π_top over seeds. */
export function pTopInterval(r: TrajectoryPoint): { mean: number; lo: number; hi: number } {
  return { mean: r.pTop, lo: r.pTopLo, hi: r.pTopHi };
}
