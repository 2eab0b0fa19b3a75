// Public API of lib/tokenizers: one Tokenizer interface; Hugging Face checkpoints
// (tokenizer.json via @huggingface/tokenizers) and the organisms' character tokenizer.
export type { DecodeOptions, EncodeOptions, SpecialToken, SpecialTokens, Tokenizer } from './types';
export { loadTokenizer, type HfTokenizer, type LoadTokenizerOptions } from './hf-tokenizer';
export { CharTokenizer, CHAR_BOS_ID, CHAR_EOS_ID, CHAR_PAD_ID, type CharTokenizerOptions } from './char-tokenizer';
