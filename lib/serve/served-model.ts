// What the server serves: a CausalLM with its tokenizer, a name, and (when it has one) a chat template.
import type { CausalLM } from '../models';
import { loadCheckpoint } from '../models';
import { applyChatTemplate, renderChatTemplate } from '../prompts';
import type { HfTokenizer, Tokenizer } from '../tokenizers';
import type { ServeChatMessage } from './requests';
import { loadServeTokenizer } from './tokenizer-file';

export interface ServedModel {
  /** The id /v1/models lists and requests' "model" must match. */
  id: string;
  model: CausalLM;
  tokenizer: Tokenizer;
  /** Chat messages → prompt text; null when the model has no chat template (chat requests get a 400). */
  renderChat: ((messages: readonly ServeChatMessage[]) => string) | null;
}

export interface ServedModelOptions {
  /** Served name. Default: the folder's last path segment. */
  id?: string;
  /** Tokenizer file or folder (see loadServeTokenizer). Default: the checkpoint folder. */
  tokenizer?: string;
  /** A Jinja chat template (text) for models whose tokenizer has none (organisms) or to override it. */
  chatTemplate?: string;
  /** Passed to loadCheckpoint (HF models: rope inv_freq precision). */
  ropeInvFreqPrecision?: 'float32' | 'bfloat16';
}

function isHf(t: Tokenizer): t is HfTokenizer {
  return t.kind === 'huggingface';
}

/** A model + tokenizer already in memory, ready to serve. */
export function servedModel(model: CausalLM, tokenizer: Tokenizer, opts: { id: string; chatTemplate?: string }): ServedModel {
  if (tokenizer.vocabSize > model.config.vocabSize) {
    throw new Error(`serve: the tokenizer (${tokenizer.source}) has ${tokenizer.vocabSize} ids but the model only ${model.config.vocabSize}; pair the checkpoint with its own tokenizer`);
  }
  let renderChat: ServedModel['renderChat'] = null;
  const template = opts.chatTemplate;
  if (template !== undefined) {
    const bos = tokenizer.special.bos?.text ?? null;
    const eos = tokenizer.special.eos?.text ?? null;
    renderChat = (messages) => renderChatTemplate(template, messages, { bosToken: bos, eosToken: eos, source: `the chat template of ${opts.id}` });
  } else if (isHf(tokenizer) && tokenizer.chatTemplate !== null) {
    renderChat = (messages) => applyChatTemplate(tokenizer, messages);
  }
  return { id: opts.id, model, tokenizer, renderChat };
}

/** Loads a checkpoint folder (organism GPT or HF Qwen2/Llama/OLMo 2) and its tokenizer for serving. */
export function loadServedModel(folder: string, opts: ServedModelOptions = {}): ServedModel {
  const tokenizer = loadServeTokenizer(opts.tokenizer ?? folder);
  const model = loadCheckpoint(folder, { ropeInvFreqPrecision: opts.ropeInvFreqPrecision });
  const id = opts.id ?? (folder.replace(/[\\/]+$/, '').split(/[\\/]/).pop() || 'model');
  return servedModel(model, tokenizer, { id, chatTemplate: opts.chatTemplate });
}
