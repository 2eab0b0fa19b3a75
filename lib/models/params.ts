// Parameter specs: every architecture lists its tensors (checkpoint name, shape on disk,
// whether the model holds it transposed, how to initialise it). One list drives seeded
// init, checkpoint loading (missing/unexpected names) and saving.
import * as tf from '@tensorflow/tfjs';
import { createRng } from '../util';
import { embed } from '../tensor';

export interface ParamSpec {
  /** Checkpoint name (GPT-2 style for the organism GPT, HF names for HF models). */
  name: string;
  /** Shape as stored in the checkpoint file. */
  shape: number[];
  /** true: the file holds [out,in] (torch nn.Linear) and the model holds [in,out] for linear(). */
  transposed: boolean;
  init: { kind: 'normal'; std: number } | { kind: 'ones' } | { kind: 'zeros' };
}

/** Shape the model holds for a spec. */
export function modelShape(s: ParamSpec): number[] {
  return s.transposed ? [s.shape[1], s.shape[0]] : s.shape;
}

/** Seeded init: each tensor's seed comes from (seed, name), so adding a tensor does not shift the others. */
export function initParams(specs: readonly ParamSpec[], seed: number): Record<string, tf.Variable> {
  if (!Number.isInteger(seed) || seed < 1) throw new Error(`init: seed must be an integer >= 1 (tfjs treats 0 as unseeded), received ${seed}`);
  const rng = createRng(seed);
  const out: Record<string, tf.Variable> = {};
  for (const s of specs) {
    const shape = modelShape(s);
    const value = tf.tidy(() => {
      if (s.init.kind === 'ones') return tf.ones(shape);
      if (s.init.kind === 'zeros') return tf.zeros(shape);
      return tf.randomNormal(shape, 0, s.init.std, 'float32', 1 + rng.fork(s.name).int(2 ** 31 - 2));
    });
    out[s.name] = tf.variable(value, true, `${s.name}#init#${nextVarId()}`);
    value.dispose();
  }
  return out;
}

let varCounter = 0;
/** tfjs variable names must be unique per process; several models of one config can coexist. */
function nextVarId(): number {
  return ++varCounter;
}

/** Variables from host data in file layout (transposing where the spec says so). */
export function paramsFromHost(specs: readonly ParamSpec[], data: (s: ParamSpec) => Float32Array): Record<string, tf.Variable> {
  const out: Record<string, tf.Variable> = {};
  try {
    for (const s of specs) {
      const value = tf.tidy(() => {
        const t = tf.tensor(data(s), s.shape, 'float32');
        return s.transposed ? tf.transpose(t) : t;
      });
      out[s.name] = tf.variable(value, true, `${s.name}#load#${nextVarId()}`);
      value.dispose();
    }
  } catch (err) {
    for (const v of Object.values(out)) v.dispose();
    throw err;
  }
  return out;
}

/** Host data in file layout for saving (an asynchronous read: WebGPU under Node has no sync one). */
export async function paramToHost(s: ParamSpec, v: tf.Variable): Promise<Float32Array> {
  const t = s.transposed ? tf.transpose(v) : v;
  try {
    return ((await t.data()) as Float32Array).slice();
  } finally {
    if (t !== v) t.dispose();
  }
}

/** Rows of `table` for `ids`: one-hot matmul where a gradient may be needed, gather where not. */
export function lookup(ids: tf.Tensor, table: tf.Tensor2D, grad: boolean): tf.Tensor {
  if (grad) return embed(ids, table);
  return tf.reshape(tf.gather(table, tf.reshape(ids, [-1])), [...ids.shape, table.shape[1]]); // [n,D] → [..., D]
}
