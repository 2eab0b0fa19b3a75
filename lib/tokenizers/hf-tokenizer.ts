// Hugging Face tokenizers through @huggingface/tokenizers (pure JS), with the special
// tokens and EOS ids a checkpoint declares across its config files.
import { Tokenizer as HfLibTokenizer } from '@huggingface/tokenizers';
import { DataError, isJsonObject } from '../util';
import { checkIds } from './check-ids';
import { readHfTokenizerFiles, type HfTokenizerFiles, type JsonObject } from './hf-files';
import type { DecodeOptions, EncodeOptions, SpecialToken, SpecialTokens, Tokenizer } from './types';

export interface LoadTokenizerOptions {
  /** EOS token text, overriding tokenizer_config.json (use when the checkpoint has no config, e.g. '<|endoftext|>'). */
  eosToken?: string;
  /** More token texts that also end a generation (e.g. '<|im_end|>' for a base model prompted with ChatML). */
  extraEosTokens?: readonly string[];
}

/** A tokenizer.json-backed tokenizer, plus what a chat template needs. */
export interface HfTokenizer extends Tokenizer {
  readonly kind: 'huggingface';
  /** The checkpoint's Jinja chat template (tokenizer_config.json or chat_template.jinja), or null. */
  readonly chatTemplate: string | null;
  /** The file the chat template came from (for error messages), or null. */
  readonly chatTemplateSource: string | null;
}

/** tokenizer_config.json writes a special as "text" or {"content": "text", ...}; null/absent means none. */
function specialText(config: JsonObject, field: string, file: string): string | null {
  const v = config[field];
  if (v === undefined || v === null) return null;
  if (typeof v === 'string') return v;
  if (isJsonObject(v) && typeof v.content === 'string') return v.content;
  throw new DataError({ file, field }, `expected a string or {"content": string}, received ${JSON.stringify(v)}`);
}

/** config.json / generation_config.json write token ids as a number, a list of numbers, or null. */
function idList(config: JsonObject | null, field: string, file: string, vocabSize: number): number[] {
  if (config === null) return [];
  const v = config[field];
  if (v === undefined || v === null) return [];
  const ids = Array.isArray(v) ? v : [v];
  for (const id of ids) {
    if (typeof id !== 'number' || !Number.isInteger(id) || id < 0 || id >= vocabSize) {
      throw new DataError({ file, field }, `expected token ids in [0, ${vocabSize}), received ${JSON.stringify(v)}`);
    }
  }
  return ids as number[];
}

/** tokenizer_config.json's chat_template: a string, or a list of {name, template} (the one named "default"). */
function chatTemplateOf(files: HfTokenizerFiles): { template: string; source: string } | null {
  const cfg = files.tokenizerConfig;
  const v = cfg?.chat_template;
  if (typeof v === 'string') return { template: v, source: files.tokenizerConfigPath };
  if (Array.isArray(v)) {
    const named = v.find((t: unknown) => isJsonObject(t) && t.name === 'default');
    if (isJsonObject(named) && typeof named.template === 'string') return { template: named.template, source: files.tokenizerConfigPath };
    throw new DataError({ file: files.tokenizerConfigPath, field: 'chat_template' }, 'a list of templates without one named "default"');
  }
  if (v !== undefined && v !== null) {
    throw new DataError({ file: files.tokenizerConfigPath, field: 'chat_template' }, `expected a string, received ${typeof v}`);
  }
  if (files.chatTemplateFile !== null) return { template: files.chatTemplateFile, source: files.chatTemplatePath };
  return null;
}

class HfTokenizerImpl implements HfTokenizer {
  readonly kind = 'huggingface' as const;
  readonly source: string;
  readonly vocabSize: number;
  readonly special: SpecialTokens;
  readonly eosIds: readonly number[];
  readonly chatTemplate: string | null;
  readonly chatTemplateSource: string | null;
  private readonly lib: HfLibTokenizer;
  private readonly specialIds: ReadonlySet<number>;

  constructor(files: HfTokenizerFiles, opts: LoadTokenizerOptions) {
    this.source = files.tokenizerPath;
    const cfg = files.tokenizerConfig ?? {};
    // The Rust `tokenizers` library never cleans up spaces on decode; @huggingface/tokenizers
    // defaults to cleaning ("a ." → "a."). Follow the checkpoint's config, else the Rust behaviour.
    const libConfig: JsonObject = { ...cfg, clean_up_tokenization_spaces: cfg.clean_up_tokenization_spaces ?? false };
    try {
      this.lib = new HfLibTokenizer(files.tokenizerJson, libConfig);
    } catch (err) {
      throw new DataError({ file: files.tokenizerPath }, `@huggingface/tokenizers cannot build it: ${(err as Error).message}`);
    }
    let maxId = -1;
    for (const id of this.lib.get_vocab(true).values()) maxId = Math.max(maxId, id);
    this.vocabSize = maxId + 1;
    const specialIds = new Set<number>();
    for (const [id, tok] of this.lib.get_added_tokens_decoder()) if (tok.special) specialIds.add(id);
    this.specialIds = specialIds;

    const resolve = (text: string | null, file: string, field: string): SpecialToken | null => {
      if (text === null) return null;
      const id = this.lib.token_to_id(text);
      if (id === undefined) throw new DataError({ file, field }, `token ${JSON.stringify(text)} is not in the vocabulary of ${files.tokenizerPath}`);
      return { id, text };
    };
    const fromId = (ids: number[]): SpecialToken | null => (ids.length === 0 ? null : { id: ids[0], text: this.lib.id_to_token(ids[0]) ?? '' });
    const tcFile = files.tokenizerConfigPath;
    const idsOf = (field: string): number[] => [
      ...idList(files.generationConfig, field, files.generationConfigPath, this.vocabSize),
      ...idList(files.modelConfig, field, files.modelConfigPath, this.vocabSize),
    ];
    const eosFromConfig =
      opts.eosToken !== undefined ? resolve(opts.eosToken, '(option)', 'eosToken') : resolve(specialText(cfg, 'eos_token', tcFile), tcFile, 'eos_token');
    const eos = eosFromConfig ?? fromId(idsOf('eos_token_id'));
    const bos = resolve(specialText(cfg, 'bos_token', tcFile), tcFile, 'bos_token') ?? fromId(idsOf('bos_token_id'));
    const pad = resolve(specialText(cfg, 'pad_token', tcFile), tcFile, 'pad_token') ?? fromId(idsOf('pad_token_id'));
    this.special = { bos, eos, pad };
    const extra: number[] = [];
    for (const t of opts.extraEosTokens ?? []) {
      const special = resolve(t, '(option)', 'extraEosTokens');
      if (special !== null) extra.push(special.id);
    }
    this.eosIds = [...new Set([...(eos === null ? [] : [eos.id]), ...idsOf('eos_token_id'), ...extra])];
    const template = chatTemplateOf(files);
    this.chatTemplate = template?.template ?? null;
    this.chatTemplateSource = template?.source ?? null;
  }

  encode(text: string, opts: EncodeOptions = {}): number[] {
    return this.lib.encode(text, { add_special_tokens: opts.addSpecialTokens === true }).ids;
  }

  decode(ids: readonly number[], opts: DecodeOptions = {}): string {
    checkIds(`decode (${this.source})`, ids, this.vocabSize);
    return this.lib.decode([...ids], { skip_special_tokens: opts.skipSpecialTokens === true });
  }

  tokenToId(token: string): number | undefined {
    return this.lib.token_to_id(token);
  }

  idToToken(id: number): string | undefined {
    return this.lib.id_to_token(id);
  }

  isSpecial(id: number): boolean {
    return this.specialIds.has(id);
  }
}

/**
 * Loads a Hugging Face tokenizer from a tokenizer.json file or the checkpoint folder holding it.
 * tokenizer_config.json, config.json, generation_config.json and chat_template.jinja are read from the
 * same folder when present: specials from tokenizer_config.json, else the configs' *_token_id fields.
 */
export function loadTokenizer(path: string, opts: LoadTokenizerOptions = {}): HfTokenizer {
  return new HfTokenizerImpl(readHfTokenizerFiles(path), opts);
}
