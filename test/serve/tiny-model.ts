// Test helper: a tiny seeded organism GPT with a character tokenizer, saved as a checkpoint folder
// (config.json + model.safetensors + char-tokenizer.json) that lib/serve loads like any other.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createGpt, saveCheckpoint, type CausalLM } from '../../lib/models';
import { saveCharTokenizer } from '../../lib/serve';
import { initBackend } from '../../lib/tensor';
import { CharTokenizer } from '../../lib/tokenizers';

/** Letters, digits and the punctuation the tests' prompts and templates use. */
export const TINY_ALPHABET = 'abcdefghijklmnopqrstuvwxyz0123456789 .,:+-=?\n';

export interface TinyOrganism {
  folder: string;
  model: CausalLM;
  tokenizer: CharTokenizer;
  cleanup(): void;
}

export async function makeTinyOrganism(alphabet: string = TINY_ALPHABET, seed = 3, contextLength = 96): Promise<TinyOrganism> {
  await initBackend({ backend: 'wasm' });
  const tokenizer = new CharTokenizer(alphabet);
  // initStd 0.3: peaked logits, so greedy has clear winners and sampled texts differ by seed.
  const model = createGpt({ vocabSize: tokenizer.vocabSize, dModel: 16, nLayers: 1, nHeads: 2, contextLength, seed, initStd: 0.3 });
  const folder = mkdtempSync(join(tmpdir(), 'rlvr-tiny-'));
  await saveCheckpoint(model, folder);
  saveCharTokenizer(tokenizer, folder);
  return { folder, model, tokenizer, cleanup: () => rmSync(folder, { recursive: true, force: true }) };
}
