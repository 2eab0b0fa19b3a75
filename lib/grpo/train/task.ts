// TrainTask: what the GRPO loop needs from a task, whatever produced it (the built-in toy task,
// or a dataset + tokenizer + checkpoint: dataset-task.ts): prompts with reward labels and gold answers,
// prompt encoding, completion decoding, and the special ids generation needs.
import type { CausalLM } from '../../models';

export interface TaskItem {
  /** Prompt text, as rewards see it. */
  prompt: string;
  /** The label the training reward compares against (gold, majority-vote or incorrect label). */
  label: string;
  /** The true answer: ground-truth accuracy is always measured against it. */
  gold: string;
}

export interface TrainTask {
  /** One-line description for logs. */
  name: string;
  items: readonly TaskItem[];
  /** Prompt text → model input ids (BOS and chat template included). */
  encodePrompt(prompt: string): number[];
  /** Completion ids (EOS removed) → text the rewards score. */
  decode(ids: readonly number[]): string;
  eosIds: readonly number[];
  padId: number;
  /** Generation also ends at these strings (e.g. the R1 template's `</answer>`); none by default. */
  stopStrings?: readonly string[];
  /** Whether a matched stop string stays in the completion text the rewards score. */
  includeStopString?: boolean;
  /** The policy at step 0 (built and warm-started deterministically from `seed`). */
  initialModel(seed: number): CausalLM;
}
