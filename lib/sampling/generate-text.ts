// generate() from prompt strings with a tokenizer: encodes the prompts, ends at the
// tokenizer's EOS ids and decodes completions (special tokens kept, so stop strings and
// rewards see what the model wrote) unless the options say otherwise.
import type { CausalLM } from '../models';
import type { Tokenizer } from '../tokenizers';
import { generate, type GenerateResult } from './generate';
import type { GenerateOptions } from './options';

/** Encodes each prompt (no added specials: templates write them), then generate() with tokenizer defaults for eosIds and decode. */
export async function generateText(model: CausalLM, tokenizer: Tokenizer, prompts: readonly string[], opts: GenerateOptions): Promise<GenerateResult> {
  if (tokenizer.vocabSize > model.config.vocabSize) {
    throw new Error(`generateText: the tokenizer (${tokenizer.source}) has ${tokenizer.vocabSize} ids but the model only ${model.config.vocabSize}`);
  }
  const ids = prompts.map((p) => tokenizer.encode(p));
  return generate(model, ids, {
    eosIds: tokenizer.eosIds,
    decode: (t) => tokenizer.decode(t),
    padId: tokenizer.special.pad?.id ?? tokenizer.eosIds[0] ?? 0,
    ...opts,
  });
}
