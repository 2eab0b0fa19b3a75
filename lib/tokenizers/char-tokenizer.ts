// Character-level tokenizer for the model organisms: one id per character of a fixed
// alphabet, after three specials. Unknown characters are an error, never a silent UNK,
// because an organism corpus with a stray character is a data bug.
import { checkIds } from './check-ids';
import type { DecodeOptions, EncodeOptions, SpecialToken, SpecialTokens, Tokenizer } from './types';

export interface CharTokenizerOptions {
  /** Text forms of the specials (they are never produced by encode). Defaults: <pad>, <bos>, <eos>. */
  padText?: string;
  bosText?: string;
  eosText?: string;
}

/** Ids of the specials; the alphabet's characters follow from FIRST_CHAR_ID in order. */
export const CHAR_PAD_ID = 0;
export const CHAR_BOS_ID = 1;
export const CHAR_EOS_ID = 2;
const FIRST_CHAR_ID = 3;

function describeChar(ch: string): string {
  const cp = ch.codePointAt(0) ?? 0;
  return `${JSON.stringify(ch)} (U+${cp.toString(16).toUpperCase().padStart(4, '0')})`;
}

export class CharTokenizer implements Tokenizer {
  readonly kind = 'char' as const;
  readonly source: string;
  readonly vocabSize: number;
  readonly special: SpecialTokens;
  readonly eosIds: readonly number[];
  /** The alphabet as given, one entry per character (code point). */
  readonly alphabet: readonly string[];
  private readonly charToId = new Map<string, number>();
  private readonly specialTexts: readonly string[];

  /** `alphabet`: every character the corpus may contain, each once (code points, so "π" is one character). */
  constructor(alphabet: string, opts: CharTokenizerOptions = {}) {
    const chars = Array.from(alphabet);
    if (chars.length === 0) throw new Error('CharTokenizer: alphabet is empty; pass every character the corpus uses');
    chars.forEach((ch, i) => {
      const first = this.charToId.get(ch);
      if (first !== undefined) {
        throw new Error(`CharTokenizer: alphabet repeats ${describeChar(ch)} at positions ${first - FIRST_CHAR_ID} and ${i}; list each character once`);
      }
      this.charToId.set(ch, FIRST_CHAR_ID + i);
    });
    const pad: SpecialToken = { id: CHAR_PAD_ID, text: opts.padText ?? '<pad>' };
    const bos: SpecialToken = { id: CHAR_BOS_ID, text: opts.bosText ?? '<bos>' };
    const eos: SpecialToken = { id: CHAR_EOS_ID, text: opts.eosText ?? '<eos>' };
    this.specialTexts = [pad.text, bos.text, eos.text];
    this.special = { pad, bos, eos };
    this.eosIds = [CHAR_EOS_ID];
    this.alphabet = chars;
    this.vocabSize = FIRST_CHAR_ID + chars.length;
    this.source = `CharTokenizer(${chars.length} characters)`;
  }

  /** Encodes `text` character by character; throws on the first character outside the alphabet. */
  encode(text: string, opts: EncodeOptions = {}): number[] {
    const ids: number[] = opts.addSpecialTokens === true ? [CHAR_BOS_ID] : [];
    let position = 0;
    for (const ch of text) {
      const id = this.charToId.get(ch);
      if (id === undefined) {
        throw new Error(
          `CharTokenizer.encode: character ${describeChar(ch)} at position ${position} (character index) is not in the alphabet; ` +
            `text starts ${JSON.stringify(text.slice(0, 40))}`,
        );
      }
      ids.push(id);
      position++;
    }
    return ids;
  }

  decode(ids: readonly number[], opts: DecodeOptions = {}): string {
    checkIds('CharTokenizer.decode', ids, this.vocabSize);
    let out = '';
    for (const id of ids) {
      if (id < FIRST_CHAR_ID) {
        if (opts.skipSpecialTokens !== true) out += this.specialTexts[id];
      } else {
        out += this.alphabet[id - FIRST_CHAR_ID];
      }
    }
    return out;
  }

  tokenToId(token: string): number | undefined {
    const special = this.specialTexts.indexOf(token);
    return special >= 0 ? special : this.charToId.get(token);
  }

  idToToken(id: number): string | undefined {
    if (!Number.isInteger(id) || id < 0 || id >= this.vocabSize) return undefined;
    return id < FIRST_CHAR_ID ? this.specialTexts[id] : this.alphabet[id - FIRST_CHAR_ID];
  }

  isSpecial(id: number): boolean {
    return id === CHAR_PAD_ID || id === CHAR_BOS_ID || id === CHAR_EOS_ID;
  }
}
