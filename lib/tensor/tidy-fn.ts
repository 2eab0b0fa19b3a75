// tidyFn(name, f): wraps a tensor function so every call runs in a named tf.tidy scope:
// intermediates are freed and the name shows up in tf.profile output.
import * as tf from '@tensorflow/tfjs';

/** `f` run inside tf.tidy(name, ...) on every call; only the returned tensors survive. */
export function tidyFn<A extends unknown[], R extends tf.TensorContainer>(name: string, f: (...args: A) => R): (...args: A) => R {
  return (...args: A) => tf.tidy(name, () => f(...args));
}
