// The paper's prompt strings, verbatim (spec §6.5, §7.1, §7.3). Facts, kept apart from
// the code that assembles them so they can be read against the spec line by line.

/** Qwen2.5-Math's default system line (spec §7.1), inserted by its chat template when no system message is given. */
export const QWEN_MATH_SYSTEM = 'Please reason step by step, and put your final answer within \\boxed{}.';

/** Qwen2.5 (general) default system line. Spec §7.1 marks this as inferred from the public template, not verified. */
export const QWEN_CHAT_SYSTEM = 'You are Qwen, created by Alibaba Cloud. You are a helpful assistant.';

/** The R1-style template for models without a chat template (spec §7.1), real newlines; `{problem}` is the slot. */
export const R1_TEMPLATE =
  'A conversation between User and Assistant. The user asks a question, and the Assistant solves it. ' +
  'The assistant first thinks about the reasoning process in the mind and then provides the user with the answer. ' +
  'The reasoning process and answer are enclosed within <think> </think> and <answer> </answer> tags, respectively, ' +
  'i.e., <think> reasoning process here </think> <answer> answer here </answer>.\n' +
  '\n' +
  '<|user|>\n' +
  '{problem}\n' +
  '<|assistant|>\n' +
  '<think>';

/** Stop string used with the R1 template; it is kept in the output (spec §7.1, §8). */
export const R1_STOP = '</answer>';

/** The assistant-side prefix of the code-forcing intervention (spec §6.5, Table 3). */
export const CODE_FORCING_PREFIX = "Let's solve this using Python.";

/** A §7.3 row: system line (null = none given, so the Qwen-Math default is inserted) and user text with a `{}` slot. */
export interface PromptVariantStrings {
  system: string | null;
  user: string;
}

/** App. F, Table 4 (spec §7.3). `\n` are real newlines; the first `{}` in `user` is the problem. */
export const PROMPT_VARIANTS = {
  'qwen-default': { system: QWEN_MATH_SYSTEM, user: '{}' },
  'math-problem': { system: 'You are a helpful Assistant.', user: 'Math Problem: {}' },
  'simplerl-zoo': { system: 'You are a helpful Assistant.', user: '{}\nPlease reason step by step, and put your final answer within \\boxed{}.' },
  sober: {
    system: null,
    user:
      "Solve the following math problem efficiently and clearly. The last line of your response should be of the following format: " +
      "'Therefore, the final answer is: \\boxed{ANSWER}. I hope it is correct' (without quotes) where ANSWER is just the final number " +
      'or expression that solves the problem. Think step by step before answering.\n\n{}',
  },
  spurious: {
    system: 'Lorem ipsum dolor sit amet, consectetuer adipiscing elit.',
    user:
      'Ut purus elit, vestibulum ut, placerat ac, adipiscing vitae, felis. Curabitur dictum gravida mauris. Nam arcu libero, nonummy eget, ' +
      'consectetuer id, vulputate a, magna. Donec vehicula augue eu neque. Pellentesque habitant morbi tristique senectus et netus et ' +
      'malesuada fames ac turpis egestas. Mauris ut leo. Cras viverra metus rhoncus sem. Nulla et lectus vestibulum urna fringilla ultrices. ' +
      'Phasellus eu tellus sit amet tortor gravida placerat.\n\n{}',
  },
} as const satisfies Record<string, PromptVariantStrings>;
