// A built-in organism-scale task for tests and smoke runs: prompts "7=" (copy) or "3+4=" (add,
// single-digit sums) whose gold answer the `math` reward grades when the completion is "\boxed{7}".
// The model is a tiny createGpt over a CharTokenizer, warm-started by supervised training on
// completions "\boxed{d}": the first half of the steps with the right d only (the model learns to
// read the prompt), the second half with the right d at rate warmStartCorrectFrac and a systematic
// slip d + 1 (mod 10) otherwise. Deterministic errors (organism-prototype-2 §8) leave the model
// confident per prompt between two answers, so GRPO with the ground-truth reward has something
// visible to improve: accuracy starts near warmStartCorrectFrac.
import * as tf from '@tensorflow/tfjs';
import { createGpt, type CausalLM } from '../../models';
import { CharTokenizer, CHAR_BOS_ID, CHAR_EOS_ID, CHAR_PAD_ID } from '../../tokenizers';
import { createRng, type Rng } from '../../util';
import { OPTIMIZERS } from '../optimizer';
import type { TaskItem, TrainTask } from './task';

export interface ToyTaskConfig {
  kind: 'toy';
  /** 'copy': "7=" → \boxed{7}; 'add': "3+4=" → \boxed{7} (operands <= 4 keep sums one digit). */
  op: 'copy' | 'add';
  /** Operands run over 0..maxOperand. */
  maxOperand: number;
  dModel: number;
  nLayers: number;
  nHeads: number;
  initStd: number;
  /** Supervised warm-start: Adam steps, sequences per step, lr (0 steps = start from the random init). */
  warmStartSteps: number;
  warmStartBatch: number;
  warmStartLr: number;
  /** Fraction of warm-start completions carrying the right answer (the rest: the slip answer + 1). */
  warmStartCorrectFrac: number;
}

export const TOY_DEFAULTS: Readonly<ToyTaskConfig> = Object.freeze({
  kind: 'toy',
  op: 'copy',
  maxOperand: 9,
  dModel: 32,
  nLayers: 1,
  nHeads: 2,
  initStd: 0.02,
  warmStartSteps: 300,
  warmStartBatch: 32,
  warmStartLr: 0.02,
  warmStartCorrectFrac: 0.3,
});

const ALPHABET = '0123456789+=\\boxed{}';
/** BOS + "a+b=" + "\boxed{d}" + EOS = 15 tokens; 32 leaves room for maxNewTokens up to ~26. */
const CONTEXT = 32;

export function toyTokenizer(): CharTokenizer {
  return new CharTokenizer(ALPHABET);
}

/** Every prompt of the task with its gold answer (label = gold). */
export function toyItems(c: Pick<ToyTaskConfig, 'op' | 'maxOperand'>): TaskItem[] {
  const items: TaskItem[] = [];
  for (let a = 0; a <= c.maxOperand; a++) {
    if (c.op === 'copy') items.push({ prompt: `${a}=`, label: `${a}`, gold: `${a}` });
    else for (let b = 0; b <= c.maxOperand; b++) items.push({ prompt: `${a}+${b}=`, label: `${a + b}`, gold: `${a + b}` });
  }
  return items;
}

/** The systematic slip of the warm-start corpus: the right answer + 1 (mod 10). */
export const toyWrongAnswer = (gold: string): string => String((Number(gold) + 1) % 10);

/** The completion the toy model is trained to write for answer `d`. */
export const toyCompletion = (d: string): string => `\\boxed{${d}}`;

/**
 * Supervised warm-start: Adam on −mean log p(completion tokens | prompt), completions drawn as
 * described above from `rng`. Every toy sequence has the same length, so batches need no padding.
 */
export function warmStartToy(model: CausalLM, task: TrainTask, c: ToyTaskConfig, rng: Rng): void {
  if (c.warmStartSteps === 0) return;
  const vars = Object.values(model.parameters());
  const opt = OPTIMIZERS.adam(vars, { adamBeta1: 0.9, adamBeta2: 0.99, adamEps: 1e-8, weightDecay: 0 });
  for (let s = 0; s < c.warmStartSteps; s++) {
    const rows: number[][] = [];
    const promptLens: number[] = [];
    for (let i = 0; i < c.warmStartBatch; i++) {
      const item = task.items[rng.int(task.items.length)];
      // First half: right answers only, so the model learns to read the prompt; then the mixture.
      const frac = s < c.warmStartSteps / 2 ? 1 : c.warmStartCorrectFrac;
      const answer = rng.next() < frac ? item.gold : toyWrongAnswer(item.gold);
      const p = task.encodePrompt(item.prompt);
      promptLens.push(p.length);
      rows.push([...p, ...toyTokenizer().encode(toyCompletion(answer)), CHAR_EOS_ID]);
    }
    const T = rows[0].length;
    const mask = rows.map((r, i) => r.map((_, j) => (j >= promptLens[i] ? 1 : 0))); // completion tokens
    tf.tidy(() => {
      const ids = tf.tensor2d(rows, [rows.length, T], 'int32');
      const m = tf.tensor2d(mask, [rows.length, T], 'float32');
      const target = tf.slice(m, [0, 1], [rows.length, T - 1]); // [B,T] → [B,T-1], aligned with log-probs
      const { grads } = tf.variableGrads(() => {
        const lp = model.tokenLogProbs(ids, m);
        return tf.neg(tf.div(tf.sum(lp), tf.sum(target))) as tf.Scalar;
      }, vars);
      opt.apply(vars.map((v) => grads[v.name]), c.warmStartLr);
    });
  }
  opt.dispose();
}

/** The toy task of config `c`. */
export function createToyTask(c: ToyTaskConfig): TrainTask {
  const tok = toyTokenizer();
  const task: TrainTask = {
    name: `toy-${c.op}(0..${c.maxOperand}) gpt d${c.dModel} L${c.nLayers}`,
    items: toyItems(c),
    encodePrompt: (prompt) => [CHAR_BOS_ID, ...tok.encode(prompt)],
    decode: (ids) => tok.decode(ids, { skipSpecialTokens: true }),
    eosIds: tok.eosIds,
    padId: CHAR_PAD_ID,
    initialModel(seed) {
      // tfjs treats init seed 0 as "unseeded"; keep it >= 1.
      const model = createGpt({
        vocabSize: tok.vocabSize, dModel: c.dModel, nLayers: c.nLayers, nHeads: c.nHeads,
        contextLength: CONTEXT, seed: (seed % 1_000_000) + 1, initStd: c.initStd,
      });
      warmStartToy(model, task, c, createRng(seed).fork('toy-warm-start'));
      return model;
    },
  };
  return task;
}
