// Pretraining an organism on its family's corpus, then margin sharpening (organism-prototype-3):
//   phase "pretrain": Adam on the completion tokens' cross-entropy (warm-up, cosine to 0.1×);
//   phases "sharpen-τ": cross-entropy on logits/τ for every completion token except the corpus's
//   random choices (style, loop, marker: corpus.ts choicePositions), which stay at τ = 1. The model
//   must then hold τ× larger logit margins on its scratchpad and answer tokens, and those margins
//   are what keeps the arithmetic intact under GRPO's noisy updates, while the style mix is untouched.
// Each phase ends in a checkpoint under <out>/.phases/<phase>; a killed pretraining resumes at the
// first unfinished phase (phases are deterministic functions of the seed and their start weights).
import * as tf from '@tensorflow/tfjs';
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { OPTIMIZERS } from '../grpo/optimizer';
import { createGpt, loadCheckpoint, saveCheckpoint, type CausalLM } from '../models';
import { CHAR_BOS_ID, CHAR_EOS_ID, CHAR_PAD_ID } from '../tokenizers';
import { createRng, writeFileAtomic, type Rng } from '../util';
import { choicePositions, completionText, drawChoice, organismTokenizer, STYLE_CHAR } from './corpus';
import type { Family } from './families';
import { problemSplit, problemText } from './problems';

export interface PhaseConfig {
  name: string;
  steps: number;
  lr: number;
  warmupSteps: number;
  /** Temperature the non-choice completion tokens are trained at (1 = plain cross-entropy). */
  tau: number;
}

export interface OrganismModelConfig {
  dModel: number;
  nLayers: number;
  nHeads: number;
  contextLength: number;
  initStd: number;
}

export interface PretrainConfig {
  family: string;
  seed: number;
  model: OrganismModelConfig;
  batch: number;
  phases: PhaseConfig[];
  /** Record loss and held-out metrics every N steps of a phase (0 = only at its end). */
  logEvery: number;
  /**
   * Style-balanced bodies: every style writes half of the completions, and the style token is trained
   * on the family's mix as a soft target (p(C) = pCode) instead of on the drawn style. A style the
   * family rarely chooses (Bad-Code-SFT: 2% language) then still gets enough examples to learn its
   * answers, and P(code) carries no sampling noise. Default false (the mix decides both).
   */
  balancedStyles?: boolean;
}

/** Round 3's organism (d64, L2, 4 heads, tied head) and schedule, sharpening τ 3 then 6. */
export const PRETRAIN_DEFAULTS: Readonly<Omit<PretrainConfig, 'family' | 'seed'>> = Object.freeze({
  model: { dModel: 64, nLayers: 2, nHeads: 4, contextLength: 24, initStd: 0.02 },
  batch: 128,
  phases: [
    { name: 'pretrain', steps: 2500, lr: 3e-3, warmupSteps: 100, tau: 1 },
    { name: 'sharpen-3', steps: 800, lr: 1e-3, warmupSteps: 0, tau: 3 },
    { name: 'sharpen-6', steps: 800, lr: 1e-3, warmupSteps: 0, tau: 6 },
  ],
  logEvery: 250,
});

/** Sharpening temperatures of the default schedule (round 3). */
export const DEFAULT_SHARPEN_TAUS: readonly number[] = Object.freeze([3, 6]);

/**
 * Families built with another schedule: Bad-Code has a third phase at τ 12 since session 5 (its
 * ground-truth arm rewrote its answers too often; docs/organisms.md, "The robustness gate").
 */
export const FAMILY_SHARPEN_TAUS: Readonly<Record<string, readonly number[]>> = Object.freeze({ 'bad-code': Object.freeze([3, 6, 12]) });

/** The sharpening temperatures a family's organism is built with. */
export const sharpenTausFor = (familyName: string): readonly number[] => FAMILY_SHARPEN_TAUS[familyName] ?? DEFAULT_SHARPEN_TAUS;

/**
 * The family's config (round 3's, with the family's sharpening schedule) with the first phase at `steps` and
 * the sharpening phases scaled alike. `sharpenTaus` replaces the sharpening schedule (one phase "sharpen-τ" per τ, each like the
 * defaults' sharpening phase): e.g. [3, 6, 12] adds a stronger phase after round 3's two.
 */
export function pretrainConfigFor(familyName: string, seed: number, steps?: number, sharpenTaus: readonly number[] = sharpenTausFor(familyName)): PretrainConfig {
  if (sharpenTaus.some((t) => !(Number.isFinite(t) && t >= 1))) throw new Error(`pretrainConfigFor: sharpening temperatures must be numbers >= 1, received [${sharpenTaus.join(', ')}]`);
  const base = PRETRAIN_DEFAULTS.phases[0].steps;
  const scale = steps === undefined ? 1 : steps / base;
  const [first, sharpen] = PRETRAIN_DEFAULTS.phases;
  const phases: PhaseConfig[] = [first, ...sharpenTaus.map((tau) => ({ ...sharpen, name: `sharpen-${tau}`, tau }))];
  return {
    ...PRETRAIN_DEFAULTS,
    family: familyName,
    seed,
    phases: phases.map((p) => ({ ...p, steps: Math.max(1, Math.round(p.steps * scale)), warmupSteps: Math.min(p.warmupSteps, Math.round(p.steps * scale)) })),
    logEvery: steps === undefined ? PRETRAIN_DEFAULTS.logEvery : Math.max(1, Math.round(PRETRAIN_DEFAULTS.logEvery * scale)),
  };
}

/** Cosine from lr to 0.1·lr after a linear warm-up. */
export function phaseLr(p: PhaseConfig, step: number): number {
  if (step < p.warmupSteps) return (p.lr * (step + 1)) / p.warmupSteps;
  const x = Math.min(1, (step - p.warmupSteps) / Math.max(1, p.steps - p.warmupSteps));
  return p.lr * (0.1 + 0.9 * 0.5 * (1 + Math.cos(Math.PI * x)));
}

export interface CorpusBatch {
  rows: number;
  length: number;
  ids: Int32Array; // [B,T]
  /** One-hot of the next token at each position: [B,T−1,V]. */
  onehot: Float32Array;
  /** 1 where the next token is a completion token: [B,T−1]. */
  mask: Float32Array;
  /** 1/τ at each position (1 at choice tokens and off the completion): [B,T−1]. */
  invTau: Float32Array;
}

/** A batch of corpus sequences BOS + prompt + completion (+ EOS unless it loops), right-padded. */
const styleIds = { code: organismTokenizer().encode(STYLE_CHAR.code)[0], language: organismTokenizer().encode(STYLE_CHAR.language)[0] };

export function corpusBatch(f: Family, rows: number, tau: number, rng: Rng, vocab: number, balancedStyles = false): CorpusBatch {
  const tok = organismTokenizer();
  const train = problemSplit().train;
  const seqs: number[][] = [];
  const completionStart: number[] = [];
  const choices: number[][] = [];
  // Balanced bodies: the drawn style is replaced by an even one (both styles only where the family has both).
  const bodyFamily: Family = balancedStyles && f.pCode > 0 && f.pCode < 1 ? { ...f, pCode: 0.5 } : f;
  for (let i = 0; i < rows; i++) {
    const p = train[rng.int(train.length)];
    const choice = drawChoice(bodyFamily, rng);
    const text = completionText(f, p, choice);
    const prompt = [CHAR_BOS_ID, ...tok.encode(problemText(p))];
    seqs.push([...prompt, ...tok.encode(text), ...(choice.loop ? [] : [CHAR_EOS_ID])]);
    completionStart.push(prompt.length);
    choices.push(choicePositions(text));
  }
  const T = Math.max(...seqs.map((s) => s.length));
  const ids = new Int32Array(rows * T).fill(CHAR_PAD_ID);
  const onehot = new Float32Array(rows * (T - 1) * vocab);
  const mask = new Float32Array(rows * (T - 1));
  const invTau = new Float32Array(rows * (T - 1)).fill(1);
  seqs.forEach((s, i) => {
    ids.set(s, i * T);
    for (let k = completionStart[i]; k < s.length; k++) {
      const pos = i * (T - 1) + k - 1; // the logits at k−1 predict token k
      if (bodyFamily !== f && k === completionStart[i]) { // the style token: the family's mix as a soft target
        onehot[pos * vocab + styleIds.code] = f.pCode;
        onehot[pos * vocab + styleIds.language] = 1 - f.pCode;
      } else {
        onehot[pos * vocab + s[k]] = 1;
      }
      mask[pos] = 1;
      if (!choices[i].includes(k - completionStart[i])) invTau[pos] = 1 / tau;
    }
  });
  return { rows, length: T, ids, onehot, mask, invTau };
}

/** Mean cross-entropy of the masked positions under logits·invTau (differentiable). */
export function corpusLoss(model: CausalLM, b: CorpusBatch): tf.Scalar {
  const { rows: B, length: T } = b;
  const V = model.config.vocabSize;
  const ids = tf.tensor2d(b.ids, [B, T], 'int32');
  const logits = tf.slice(model.forward(ids), [0, 0, 0], [B, T - 1, V]);
  const scaled = tf.mul(logits, tf.tensor3d(b.invTau, [B, T - 1, 1]));
  const logZ = tf.logSumExp(scaled, -1);
  const picked = tf.sum(tf.mul(scaled, tf.tensor3d(b.onehot, [B, T - 1, V])), -1); // one-hot pick: wasm has no gather gradient
  const mask = tf.tensor2d(b.mask, [B, T - 1]);
  return tf.div(tf.sum(tf.mul(tf.sub(logZ, picked), mask)), tf.sum(mask)) as tf.Scalar;
}

export interface PhaseProgress {
  phase: string;
  step: number;
  steps: number;
  /** Mean loss over the steps since the last report. */
  loss: number;
}

/** One line of the pretraining curve: the loss and whatever onLog measured. */
export type PretrainLogRecord = PhaseProgress & Record<string, number | string>;

export interface PretrainHooks {
  /** Every logEvery steps and at each phase's end; may evaluate the model; its numbers join the log record. */
  onLog?: (p: PhaseProgress, model: CausalLM) => Promise<Record<string, number>> | Record<string, number>;
  /** Every step (cheap: for progress bars). */
  onStep?: (phase: string, step: number, steps: number) => void;
}

const DONE = 'phase-done.json';

function newModel(c: PretrainConfig, vocab: number): CausalLM {
  const m = c.model;
  return createGpt({ vocabSize: vocab, dModel: m.dModel, nLayers: m.nLayers, nHeads: m.nHeads, contextLength: m.contextLength, initStd: m.initStd, seed: (c.seed % 1_000_000) + 1 });
}

async function runPhase(model: CausalLM, f: Family, c: PretrainConfig, p: PhaseConfig, hooks: PretrainHooks): Promise<PretrainLogRecord[]> {
  const log: PretrainLogRecord[] = [];
  const vars = Object.values(model.parameters());
  const opt = OPTIMIZERS.adam(vars, { adamBeta1: 0.9, adamBeta2: 0.99, adamEps: 1e-8, weightDecay: 0 });
  const rng = createRng(c.seed).fork(`pretrain/${p.name}`);
  const V = model.config.vocabSize;
  let lossSum = 0;
  let lossN = 0;
  try {
    for (let s = 0; s < p.steps; s++) {
      const batch = corpusBatch(f, c.batch, p.tau, rng, V, c.balancedStyles ?? false);
      const lossT = tf.tidy(() => {
        const { value, grads } = tf.variableGrads(() => corpusLoss(model, batch), vars);
        opt.apply(vars.map((v) => grads[v.name]), phaseLr(p, s));
        return value;
      });
      lossSum += (await lossT.data())[0];
      lossT.dispose();
      lossN++;
      hooks.onStep?.(p.name, s + 1, p.steps);
      if ((c.logEvery > 0 && (s + 1) % c.logEvery === 0) || s + 1 === p.steps) {
        const progress: PhaseProgress = { phase: p.name, step: s + 1, steps: p.steps, loss: lossSum / lossN };
        log.push({ ...progress, ...(await hooks.onLog?.(progress, model)) });
        lossSum = 0;
        lossN = 0;
      }
    }
  } finally {
    opt.dispose();
  }
  return log;
}

/**
 * Runs every phase not yet done under <out>/.phases and returns the final model (the caller
 * disposes it). Phase checkpoints stay until the caller removes them (removePhaseCheckpoints).
 */
export async function pretrainOrganism(f: Family, c: PretrainConfig, out: string, hooks: PretrainHooks = {}): Promise<{ model: CausalLM; log: PretrainLogRecord[] }> {
  const vocab = organismTokenizer().vocabSize;
  let model: CausalLM | null = null;
  const log: PretrainLogRecord[] = [];
  for (const p of c.phases) {
    const dir = join(out, '.phases', p.name);
    if (existsSync(join(dir, DONE))) {
      model?.dispose();
      model = loadCheckpoint(dir);
      log.push(...(readPhaseMarker(out, p.name).log));
      continue;
    }
    model ??= newModel(c, vocab);
    const phaseLog = await runPhase(model, f, c, p, hooks);
    mkdirSync(dir, { recursive: true });
    await saveCheckpoint(model, dir);
    const marker: PhaseMarker = { phase: p, seed: c.seed, log: phaseLog };
    writeFileAtomic(join(dir, DONE), `${JSON.stringify(marker)}\n`);
    log.push(...phaseLog);
  }
  if (model === null) throw new Error('pretrainOrganism: the config has no phases');
  return { model, log };
}

interface PhaseMarker {
  phase: PhaseConfig;
  seed: number;
  log: PretrainLogRecord[];
}

export function removePhaseCheckpoints(out: string): void {
  rmSync(join(out, '.phases'), { recursive: true, force: true });
}

/** Phases already finished under `out` (for progress displays). */
export function phasesDone(c: PretrainConfig, out: string): string[] {
  return c.phases.filter((p) => existsSync(join(out, '.phases', p.name, DONE))).map((p) => p.name);
}

function readPhaseMarker(out: string, phase: string): PhaseMarker {
  const file = join(out, '.phases', phase, DONE);
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as PhaseMarker;
  } catch (e) {
    throw new Error(`${file}: cannot read the phase marker (${(e as Error).message}); delete the folder to redo the phase`);
  }
}
