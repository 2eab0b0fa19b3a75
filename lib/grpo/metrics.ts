// readMetrics: scalar tensors → plain numbers with ONE device read (stack, then dataSync),
// so a step costs one sync however many metrics it returns.
import * as tf from '@tensorflow/tfjs';

/** Reads every scalar at once; does not dispose the inputs. */
export function readMetrics(metrics: Readonly<Record<string, tf.Scalar>>): Record<string, number> {
  const keys = Object.keys(metrics);
  if (keys.length === 0) return {};
  const stacked = tf.stack(keys.map((k) => metrics[k]));
  const values = stacked.dataSync();
  stacked.dispose();
  const out: Record<string, number> = {};
  keys.forEach((k, i) => { out[k] = values[i]; });
  return out;
}
