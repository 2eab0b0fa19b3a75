// Tokenizers a served checkpoint can use: a Hugging Face tokenizer (a folder with tokenizer.json, or
// the file), or an organism's character tokenizer saved as char-tokenizer.json:
//   {"type": "char", "alphabet": "...", "pad": "<pad>", "bos": "<bos>", "eos": "<eos>"}
import { existsSync, readFileSync, statSync } from 'node:fs';
import { basename, join } from 'node:path';
import { CharTokenizer, loadTokenizer, type Tokenizer } from '../tokenizers';
import { DataError, writeFileAtomic } from '../util';

export const CHAR_TOKENIZER_FILE = 'char-tokenizer.json';

/** Writes `tok` as <folder>/char-tokenizer.json (atomically), so `rlvr serve-model` can load it. */
export function saveCharTokenizer(tok: CharTokenizer, folder: string): string {
  const file = join(folder, CHAR_TOKENIZER_FILE);
  const s = tok.special;
  const json = { type: 'char', alphabet: tok.alphabet.join(''), pad: s.pad?.text, bos: s.bos?.text, eos: s.eos?.text };
  writeFileAtomic(file, `${JSON.stringify(json, null, 2)}\n`);
  return file;
}

/** Reads a char-tokenizer.json. */
export function readCharTokenizer(file: string): CharTokenizer {
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(file, 'utf8'));
  } catch (err) {
    throw new DataError({ file }, `cannot read a char tokenizer (${(err as Error).message})`);
  }
  const j = json as { type?: unknown; alphabet?: unknown; pad?: unknown; bos?: unknown; eos?: unknown };
  if (j.type !== 'char') throw new DataError({ file, field: 'type' }, `expected "char", received ${JSON.stringify(j.type)}`);
  if (typeof j.alphabet !== 'string' || j.alphabet === '') throw new DataError({ file, field: 'alphabet' }, 'expected a non-empty string of characters');
  const text = (field: 'pad' | 'bos' | 'eos'): string | undefined => {
    const v = j[field];
    if (v === undefined) return undefined;
    if (typeof v !== 'string') throw new DataError({ file, field }, `expected a string, received ${JSON.stringify(v)}`);
    return v;
  };
  return new CharTokenizer(j.alphabet, { padText: text('pad'), bosText: text('bos'), eosText: text('eos') });
}

/**
 * The tokenizer at `path`: a char-tokenizer.json file, a tokenizer.json file, or a folder holding one of them
 * (char-tokenizer.json first, as an organism folder has no tokenizer.json).
 */
export function loadServeTokenizer(path: string): Tokenizer {
  if (!existsSync(path)) throw new Error(`tokenizer: ${path} does not exist; pass a folder with tokenizer.json or ${CHAR_TOKENIZER_FILE}, or one of those files`);
  if (statSync(path).isDirectory()) {
    if (existsSync(join(path, CHAR_TOKENIZER_FILE))) return readCharTokenizer(join(path, CHAR_TOKENIZER_FILE));
    if (existsSync(join(path, 'tokenizer.json'))) return loadTokenizer(path);
    throw new Error(`tokenizer: ${path} holds neither tokenizer.json nor ${CHAR_TOKENIZER_FILE}; pass the tokenizer with --tokenizer`);
  }
  return basename(path) === CHAR_TOKENIZER_FILE ? readCharTokenizer(path) : loadTokenizer(path);
}
