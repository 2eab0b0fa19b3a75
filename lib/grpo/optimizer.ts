// Optimisers and learning-rate schedules over tf.Variables. Written here rather than using
// tf.train.* because the authors' Adam is AdamW-style (decoupled weight decay) and the LR
// must change per step; tfjs's Adam has neither. Each optimiser is element-wise, so a batch
// of independent problems in one variable (the bandit's seeds) does not couple.
import * as tf from '@tensorflow/tfjs';

export interface OptimizerConfig {
  adamBeta1: number;
  adamBeta2: number;
  adamEps: number;
  /** Decoupled weight decay (AdamW / torch): θ ← θ(1 − lr·wd) before the update. */
  weightDecay: number;
  /** SGD's heavy-ball momentum μ (torch convention: b ← μ·b + g; θ ← θ − lr·b); 0 = plain SGD. Default 0. */
  sgdMomentum?: number;
}

/** Host copy of an optimiser's state: the step count and its slot tensors by name (for checkpoints). */
export interface OptimizerState {
  name: OptimizerName;
  /** Updates applied so far (Adam's t). */
  t: number;
  /** Slot name (e.g. "m/<variable>") → values and shape. */
  slots: Record<string, { shape: number[]; data: Float32Array }>;
}

export interface GrpoOptimizer {
  /** Applies one update with learning rate `lr`; `grads` in the order of the variables. */
  apply(grads: readonly tf.Tensor[], lr: number): void;
  /** Frees the optimiser's state tensors (not the variables). */
  dispose(): void;
  /** A copy of the state, so a resumed run continues exactly. */
  exportState(): Promise<OptimizerState>;
  /** Overwrites the state with `s` (from exportState of the same optimiser over the same variables). */
  importState(s: OptimizerState): void;
}

/** `names`: a stable name per variable (parameter names), so saved slots match after a reload; default "0", "1", .... */
export type OptimizerFactory = (vars: readonly tf.Variable[], cfg: OptimizerConfig, names?: readonly string[]) => GrpoOptimizer;

function decay(v: tf.Variable, lr: number, wd: number): void {
  if (wd !== 0) v.assign(tf.mul(v, 1 - lr * wd));
}

function checkStateName(s: OptimizerState, name: OptimizerName): void {
  if (s.name !== name) throw new Error(`optimizer state is for "${s.name}", not "${name}"`);
}

/** Copies slot tensors out of (export) or into (import) an optimiser, keyed "<prefix>/<variable name>". */
async function exportSlots(slots: readonly { prefix: string; ts: readonly tf.Variable[] }[], names: readonly string[]): Promise<OptimizerState['slots']> {
  const out: OptimizerState['slots'] = {};
  for (const { prefix, ts } of slots) {
    for (let i = 0; i < ts.length; i++) out[`${prefix}/${names[i]}`] = { shape: [...ts[i].shape], data: (await ts[i].data()) as Float32Array };
  }
  return out;
}

function importSlots(st: OptimizerState, slots: readonly { prefix: string; ts: readonly tf.Variable[] }[], names: readonly string[]): void {
  for (const { prefix, ts } of slots) ts.forEach((x, i) => {
    const key = `${prefix}/${names[i]}`;
    const slot = st.slots[key];
    if (slot === undefined) throw new Error(`optimizer state has no slot "${key}"; was it saved for another model or optimiser setting?`);
    if (slot.shape.join(',') !== x.shape.join(',')) throw new Error(`optimizer slot "${key}" is [${slot.shape.join(',')}] but the variable is [${x.shape.join(',')}]`);
    x.assign(tf.tensor(slot.data, slot.shape, 'float32'));
  });
}

/** SGD, with optional heavy-ball momentum (the prototypes found SGD far better behaved for tiny models). */
const sgd: OptimizerFactory = (vars, cfg, names = vars.map((_, i) => String(i))) => {
  const mu = cfg.sgdMomentum ?? 0;
  const buf = mu > 0 ? vars.map((v) => tf.variable(tf.zerosLike(v), false)) : [];
  const slots = mu > 0 ? [{ prefix: 'momentum', ts: buf }] : [];
  let t = 0;
  return {
    apply(grads, lr) {
      t++;
      tf.tidy(() => vars.forEach((v, i) => {
        decay(v, lr, cfg.weightDecay);
        let step: tf.Tensor = grads[i];
        if (mu > 0) {
          buf[i].assign(tf.add(tf.mul(buf[i], mu), grads[i])); // torch's first step (b = g) is μ·0 + g
          step = buf[i];
        }
        v.assign(tf.sub(v, tf.mul(step, lr)));
      }));
    },
    dispose() { tf.dispose(buf); },
    exportState: async () => ({ name: 'sgd', t, slots: await exportSlots(slots, names) }),
    importState(s) {
      checkStateName(s, 'sgd');
      importSlots(s, slots, names);
      t = s.t;
    },
  };
};

/** Adam with bias correction, eps added to √v̂ (torch / DeepSpeed convention). */
const adam: OptimizerFactory = (vars, cfg, names = vars.map((_, i) => String(i))) => {
  const m = vars.map((v) => tf.variable(tf.zerosLike(v), false));
  const s = vars.map((v) => tf.variable(tf.zerosLike(v), false));
  const slots = [{ prefix: 'm', ts: m }, { prefix: 'v', ts: s }];
  let t = 0;
  return {
    apply(grads, lr) {
      t++;
      const c1 = 1 - cfg.adamBeta1 ** t;
      const c2 = 1 - cfg.adamBeta2 ** t;
      tf.tidy(() => vars.forEach((v, i) => {
        m[i].assign(tf.add(tf.mul(m[i], cfg.adamBeta1), tf.mul(grads[i], 1 - cfg.adamBeta1)));
        s[i].assign(tf.add(tf.mul(s[i], cfg.adamBeta2), tf.mul(tf.square(grads[i]), 1 - cfg.adamBeta2)));
        decay(v, lr, cfg.weightDecay);
        const step = tf.div(tf.div(m[i], c1), tf.add(tf.sqrt(tf.div(s[i], c2)), cfg.adamEps));
        v.assign(tf.sub(v, tf.mul(step, lr)));
      }));
    },
    dispose() { tf.dispose([...m, ...s]); },
    exportState: async () => ({ name: 'adam', t, slots: await exportSlots(slots, names) }),
    importState(st) {
      checkStateName(st, 'adam');
      importSlots(st, slots, names);
      t = st.t;
    },
  };
};

export const OPTIMIZERS = { adam, sgd } satisfies Record<string, OptimizerFactory>;
export type OptimizerName = keyof typeof OPTIMIZERS;

/** lr at optimizer step `step` (0-based) of `total`: linear warm-up over `warmupSteps`, then the schedule. */
export type LrScheduleFn = (base: number, step: number, total: number, warmupSteps: number) => number;

const warm = (base: number, step: number, warmupSteps: number): number | null =>
  step < warmupSteps ? base * (step + 1) / warmupSteps : null;

export const LR_SCHEDULES = {
  /** The authors: constant, no warm-up. */
  constant: (base, step, _total, w) => warm(base, step, w) ?? base,
  /** transformers' default (TRL): linear decay to 0 after warm-up. */
  linear: (base, step, total, w) => warm(base, step, w) ?? base * Math.max(0, (total - step) / Math.max(1, total - w)),
  /** Cosine decay to 0 after warm-up. */
  cosine: (base, step, total, w) =>
    warm(base, step, w) ?? base * 0.5 * (1 + Math.cos(Math.PI * Math.min(1, (step - w) / Math.max(1, total - w)))),
} satisfies Record<string, LrScheduleFn>;
export type LrScheduleName = keyof typeof LR_SCHEDULES;
