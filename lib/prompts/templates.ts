// Named prompt templates (a registry, looked up with pick()): problem text → the exact
// string the model is prompted with, plus the stop strings the paper used with it.
import { pick } from '../util';
import { CODE_FORCING_PREFIX, PROMPT_VARIANTS, QWEN_CHAT_SYSTEM, QWEN_MATH_SYSTEM, R1_STOP, R1_TEMPLATE, type PromptVariantStrings } from './prompt-strings';

export interface PromptTemplate {
  /** One line: what it is and where in the spec it comes from. */
  readonly description: string;
  /** Problem text → prompt string (for ChatML: the assistant turn left open). */
  render(problem: string): string;
  /** Stop strings used with this template (none for chat templates: generation ends at EOS). */
  readonly stopStrings: readonly string[];
  /** Whether a matched stop string stays in the completion (true for R1's </answer>, spec §8). */
  readonly includeStopString: boolean;
}

/** ChatML as Qwen2.5 renders it: system turn, user turn, open assistant turn (spec §7.1; newlines are real). */
export function chatml(system: string, user: string): string {
  return `<|im_start|>system\n${system}<|im_end|>\n<|im_start|>user\n${user}<|im_end|>\n<|im_start|>assistant\n`;
}

/** Puts the problem into the first `{}` of a §7.3 user string (later `{}`, as in \boxed{}, are text). */
export function fillSlot(user: string, problem: string): string {
  const at = user.indexOf('{}');
  if (at < 0) throw new Error(`prompt user text has no {} slot for the problem: ${JSON.stringify(user.slice(0, 60))}`);
  return user.slice(0, at) + problem + user.slice(at + 2);
}

/** A Qwen2.5-Math ChatML prompt from a §7.3 row; no system line means the template's default one. */
function variant(v: PromptVariantStrings, description: string): PromptTemplate {
  return {
    description,
    render: (problem) => chatml(v.system ?? QWEN_MATH_SYSTEM, fillSlot(v.user, problem)),
    stopStrings: [],
    includeStopString: false,
  };
}

/** `base` with the assistant's response forced to start with `prefix` (spec §6.5; not part of the user text). */
export function withAssistantPrefix(base: PromptTemplate, prefix: string, description?: string): PromptTemplate {
  return {
    ...base,
    description: description ?? `${base.description}, response forced to start with ${JSON.stringify(prefix)}`,
    render: (problem) => base.render(problem) + prefix,
  };
}

const qwenMath = variant(PROMPT_VARIANTS['qwen-default'], 'Qwen2.5-Math ChatML with its default system line, raw problem as the user turn (spec §7.1)');

export const PROMPT_TEMPLATES = {
  'qwen-math': qwenMath,
  'qwen-math-python': withAssistantPrefix(qwenMath, CODE_FORCING_PREFIX, `Qwen2.5-Math ChatML, response forced to start with "${CODE_FORCING_PREFIX}" (spec §6.5, Table 3)`),
  'qwen-chat': {
    description: 'Qwen2.5 (general) ChatML with "You are Qwen…" (spec §7.1 marks this default system line as inferred, not verified)',
    render: (problem: string) => chatml(QWEN_CHAT_SYSTEM, problem),
    stopStrings: [],
    includeStopString: false,
  },
  r1: {
    description: 'R1-style template for models without a chat template; stops at </answer>, kept in the output (spec §7.1, §8)',
    render: (problem: string) => R1_TEMPLATE.replace('{problem}', () => problem),
    stopStrings: [R1_STOP],
    includeStopString: true,
  },
  'qwen-default': variant(PROMPT_VARIANTS['qwen-default'], 'App. F "Qwen Default" (spec §7.3); the same string as qwen-math'),
  'math-problem': variant(PROMPT_VARIANTS['math-problem'], 'App. F "Math Problem" (spec §7.3)'),
  'simplerl-zoo': variant(PROMPT_VARIANTS['simplerl-zoo'], 'App. F "SimpleRL-Zoo" (spec §7.3)'),
  sober: variant(PROMPT_VARIANTS.sober, 'App. F "Sober", Qwen-Math default system line auto-inserted (spec §7.3; the original may wrap the box in $…$)'),
  spurious: variant(PROMPT_VARIANTS.spurious, 'App. F "Spurious" (LIPSUM) system and user text (spec §7.3)'),
} as const satisfies Record<string, PromptTemplate>;

export type PromptTemplateName = keyof typeof PROMPT_TEMPLATES;

/** The registered template called `name`; an unknown name lists the known ones. */
export function promptTemplate(name: string): PromptTemplate {
  return pick(PROMPT_TEMPLATES, name, 'prompt template');
}

export interface RenderPromptOptions {
  /** Text the response is forced to start with, appended after the template (e.g. CODE_FORCING_PREFIX). */
  assistantPrefix?: string;
}

/** Renders the problem with the named template. */
export function renderPrompt(name: string, problem: string, opts: RenderPromptOptions = {}): string {
  if (typeof problem !== 'string') throw new Error(`renderPrompt: problem must be a string, received ${typeof problem}`);
  return promptTemplate(name).render(problem) + (opts.assistantPrefix ?? '');
}
