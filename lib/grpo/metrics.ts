// readMetrics: scalar tensors → plain numbers with ONE device read (stack, then read),
// so a step costs one sync however many metrics it returns. readMetricsAsync works on
// every backend (WebGPU under Node has no synchronous read); readMetrics suits the
// CPU-side bandit lab, whose loops stay synchronous.
import * as tf from '@tensorflow/tfjs';

type Scalars = Readonly<Record<string, tf.Scalar>>;

function byKey(keys: readonly string[], values: ArrayLike<number>): Record<string, number> {
  const out: Record<string, number> = {};
  keys.forEach((k, i) => { out[k] = values[i]; });
  return out;
}

/** Reads every scalar at once; does not dispose the inputs. Not on WebGPU: use readMetricsAsync. */
export function readMetrics(metrics: Scalars): Record<string, number> {
  const keys = Object.keys(metrics);
  if (keys.length === 0) return {};
  const stacked = tf.stack(keys.map((k) => metrics[k]));
  try {
    return byKey(keys, stacked.dataSync());
  } finally {
    stacked.dispose();
  }
}

/** readMetrics on any backend: one asynchronous read. */
export async function readMetricsAsync(metrics: Scalars): Promise<Record<string, number>> {
  const keys = Object.keys(metrics);
  if (keys.length === 0) return {};
  const stacked = tf.stack(keys.map((k) => metrics[k]));
  try {
    return byKey(keys, await stacked.data());
  } finally {
    stacked.dispose();
  }
}
