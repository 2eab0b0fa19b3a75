// The one Tokenizer interface that Hugging Face checkpoints and the character-level
// model organisms share, so prompts, sampling and eval never ask which kind they hold.

/** A special token: its id and its text form. */
export interface SpecialToken {
  readonly id: number;
  readonly text: string;
}

/** The special tokens a tokenizer declares; null where it has none. */
export interface SpecialTokens {
  readonly bos: SpecialToken | null;
  readonly eos: SpecialToken | null;
  readonly pad: SpecialToken | null;
}

export interface EncodeOptions {
  /**
   * Add the tokenizer's own specials around the text (Hugging Face: its post-processor, e.g. Llama 3's
   * <|begin_of_text|>; char: BOS). Default false, because chat templates already write those tokens as text.
   */
  addSpecialTokens?: boolean;
}

export interface DecodeOptions {
  /** Drop special tokens from the text. Default false (as Hugging Face decodes). */
  skipSpecialTokens?: boolean;
}

export interface Tokenizer {
  /** Which implementation this is. */
  readonly kind: 'huggingface' | 'char';
  /** Where it came from (a file path or a description), for error messages. */
  readonly source: string;
  /** One more than the largest id: the number of rows an embedding table needs. */
  readonly vocabSize: number;
  readonly special: SpecialTokens;
  /** Every id that ends a generation, primary EOS first; empty when none is known. */
  readonly eosIds: readonly number[];
  encode(text: string, opts?: EncodeOptions): number[];
  /** Throws on an id outside [0, vocabSize), naming its index. */
  decode(ids: readonly number[], opts?: DecodeOptions): string;
  tokenToId(token: string): number | undefined;
  idToToken(id: number): string | undefined;
  isSpecial(id: number): boolean;
}
