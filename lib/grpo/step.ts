// optimizerStep: one update of `vars` on the objective `lossFn` builds (usually grpoLoss):
// gradients → global-norm clip (pre-clip norm reported) → optimiser; then every metric,
// the loss's and the step's, is read with one device sync (grpo.md §7's per-step log).
import * as tf from '@tensorflow/tfjs';
import { addMany } from '../tensor';
import { readMetrics, readMetricsAsync } from './metrics';
import type { GrpoLossOutput } from './objective';
import type { GrpoOptimizer } from './optimizer';

export interface StepOptions {
  lr: number;
  /** Global L2 clip; null = off. */
  maxGradNorm: number | null;
  /**
   * Profiling hook (bench/organism.ts): called as each phase ends ('forward': the objective,
   * 'backward': its gradients, 'optimizer': norm, clip and update, 'read': the metrics read);
   * the time since the previous call belongs to the phase named. Off by default.
   */
  onStage?: (stage: UpdateStage) => void;
}

/** The phases of one optimizer step that StepOptions.onStage names. */
export type UpdateStage = 'forward' | 'backward' | 'optimizer' | 'read';

interface AppliedStep {
  /** The objective's metrics plus gradNorm (before clipping), still on the device. */
  metrics: Record<string, tf.Scalar>;
  /** Frees every tensor of the step, metrics included. */
  dispose(): void;
}

/** Gradients, clip and optimiser update; the metrics stay tensors until the caller reads them. */
function applyStep(opt: GrpoOptimizer, vars: readonly tf.Variable[], lossFn: () => GrpoLossOutput, o: StepOptions): AppliedStep {
  let kept: Record<string, tf.Scalar> = {};
  const { value, grads } = tf.variableGrads(() => {
    const out = lossFn();
    kept = out.metrics;
    for (const t of Object.values(kept)) tf.keep(t); // survive the gradient's tidy; read below
    o.onStage?.('forward');
    return out.loss;
  }, [...vars]);
  o.onStage?.('backward');
  const ordered = vars.map((v) => {
    const g = grads[v.name];
    if (g === undefined) throw new Error(`optimizerStep: no gradient for variable "${v.name}"; is it used by the loss?`);
    return g;
  });
  const gradNorm = tf.tidy(() => tf.sqrt(addMany(ordered.map((g) => tf.sum(tf.square(g))))) as tf.Scalar);
  let applied = ordered;
  if (o.maxGradNorm !== null) {
    // torch clip_grad_norm_: scale by max/(norm + 1e-6) when that is below 1.
    const scale = tf.tidy(() => tf.minimum(tf.div(o.maxGradNorm as number, tf.add(gradNorm, 1e-6)), 1));
    applied = ordered.map((g) => tf.mul(g, scale));
    scale.dispose();
  }
  opt.apply(applied, o.lr);
  o.onStage?.('optimizer');
  const metrics = { ...kept, gradNorm };
  return { metrics, dispose: () => tf.dispose([...new Set<tf.Tensor>([value, gradNorm, ...ordered, ...applied, ...Object.values(kept)])]) };
}

/**
 * Returns the objective's metrics plus gradNorm (before clipping) and lr, as plain numbers.
 * Reads synchronously (cpu, wasm, tfjs-node); optimizerStepAsync runs on every backend.
 */
export function optimizerStep(
  opt: GrpoOptimizer, vars: readonly tf.Variable[], lossFn: () => GrpoLossOutput, o: StepOptions,
): Record<string, number> {
  const step = applyStep(opt, vars, lossFn, o);
  try {
    return { ...readMetrics(step.metrics), lr: o.lr };
  } finally {
    step.dispose();
    o.onStage?.('read');
  }
}

/** optimizerStep with one asynchronous read (WebGPU under Node has no synchronous one). */
export async function optimizerStepAsync(
  opt: GrpoOptimizer, vars: readonly tf.Variable[], lossFn: () => GrpoLossOutput, o: StepOptions,
): Promise<Record<string, number>> {
  const step = applyStep(opt, vars, lossFn, o);
  try {
    return { ...(await readMetricsAsync(step.metrics)), lr: o.lr };
  } finally {
    step.dispose();
    o.onStage?.('read');
  }
}
