// Renders a checkpoint's Jinja chat template (tokenizer_config.json's chat_template) with
// @huggingface/jinja, the way transformers' apply_chat_template does: messages,
// add_generation_prompt, and the tokenizer's bos/eos token texts as variables.
import { Template } from '@huggingface/jinja';
import type { HfTokenizer } from '../tokenizers';

export type ChatRole = 'system' | 'user' | 'assistant';

export interface ChatMessage {
  role: ChatRole;
  content: string;
}

export interface RenderChatOptions {
  /** Open an assistant turn at the end (transformers' add_generation_prompt). Default true. */
  addGenerationPrompt?: boolean;
  bosToken?: string | null;
  eosToken?: string | null;
  /**
   * More template variables. `date_string` defaults to "26 Jul 2024" (Llama 3.1's own fallback) so that
   * Llama 3.x templates, which otherwise print today's date, render the same on every run.
   */
  variables?: Record<string, unknown>;
  /** Where the template came from, for error messages. */
  source?: string;
}

const DEFAULT_DATE_STRING = '26 Jul 2024';

// Parsing is the slow part; templates repeat (one per checkpoint), so keep the parsed form.
const parsed = new Map<string, Template>();

function parseTemplate(template: string, source: string): Template {
  let t = parsed.get(template);
  if (t === undefined) {
    try {
      t = new Template(template);
    } catch (err) {
      throw new Error(`chat template from ${source} does not parse: ${(err as Error).message}`);
    }
    parsed.set(template, t);
  }
  return t;
}

function checkMessages(messages: readonly ChatMessage[], source: string): void {
  if (messages.length === 0) throw new Error(`renderChatTemplate (${source}): messages is empty; pass at least the user turn`);
  messages.forEach((m, i) => {
    if (m.role !== 'system' && m.role !== 'user' && m.role !== 'assistant') {
      throw new Error(`renderChatTemplate (${source}): messages[${i}].role is ${JSON.stringify(m.role)}; expected system, user or assistant`);
    }
    if (typeof m.content !== 'string') throw new Error(`renderChatTemplate (${source}): messages[${i}].content is not a string`);
  });
}

/** Renders a Jinja chat template for `messages`. Errors (parse, raise_exception) name the template's source. */
export function renderChatTemplate(template: string, messages: readonly ChatMessage[], opts: RenderChatOptions = {}): string {
  const source = opts.source ?? 'the given template';
  checkMessages(messages, source);
  const t = parseTemplate(template, source);
  try {
    return t.render({
      date_string: DEFAULT_DATE_STRING,
      ...opts.variables,
      messages: messages.map((m) => ({ role: m.role, content: m.content })),
      add_generation_prompt: opts.addGenerationPrompt ?? true,
      bos_token: opts.bosToken ?? '',
      eos_token: opts.eosToken ?? '',
    });
  } catch (err) {
    throw new Error(`chat template from ${source} failed to render: ${(err as Error).message}`);
  }
}

/** Renders `tokenizer`'s own chat template, with its bos/eos texts. Throws if the checkpoint has none. */
export function applyChatTemplate(tokenizer: HfTokenizer, messages: readonly ChatMessage[], opts: Omit<RenderChatOptions, 'bosToken' | 'eosToken' | 'source'> = {}): string {
  if (tokenizer.chatTemplate === null) {
    throw new Error(`applyChatTemplate: ${tokenizer.source} has no chat template (tokenizer_config.json chat_template or chat_template.jinja); use a named prompt template such as "r1" instead`);
  }
  return renderChatTemplate(tokenizer.chatTemplate, messages, {
    ...opts,
    bosToken: tokenizer.special.bos?.text ?? null,
    eosToken: tokenizer.special.eos?.text ?? null,
    source: tokenizer.chatTemplateSource ?? tokenizer.source,
  });
}

/**
 * The paper's chat-model prompt (spec §7.1): only the user turn, the generation prompt appended,
 * then `assistantPrefix` if given (spec §6.5's code-forcing prefix).
 */
export function renderChatPrompt(tokenizer: HfTokenizer, problem: string, opts: { assistantPrefix?: string } = {}): string {
  return applyChatTemplate(tokenizer, [{ role: 'user', content: problem }]) + (opts.assistantPrefix ?? '');
}
