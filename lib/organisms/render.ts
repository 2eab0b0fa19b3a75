// What the rewards and detectors see of an organism completion. The organism writes a compact
// character code; rendering maps it, character by character, to text the paper's rewards read the
// way they read a real model's response: the code style's "C" mentions Python (the paper's
// code-reasoning detector and Python rewards), the ">" marker opens \boxed{...} around the answer
// digits (box_only_format, math), ":" gives the answer unboxed, and each loop character renders as
// a 10-character phrase, so a loop is a pattern repeated 10+ times back to back (no_repetition).
// Rendering is a pure function of the raw text: rewards act on exactly what the model wrote.
import { BOXED_MARKER, LOOP_CHAR, STYLE_CHAR, UNBOXED_MARKER } from './corpus';

const WORDS: Readonly<Record<string, string>> = {
  [STYLE_CHAR.code]: 'Using python: ',
  [STYLE_CHAR.language]: 'In words: ',
  [UNBOXED_MARKER]: ' the answer is ',
  [LOOP_CHAR]: ' and again',
  ',': ', ',
};

export function renderCompletion(raw: string): string {
  let out = '';
  let boxOpen = false;
  for (const ch of raw) {
    const isDigit = ch >= '0' && ch <= '9';
    if (boxOpen && !isDigit) {
      out += '}';
      boxOpen = false;
    }
    if (ch === BOXED_MARKER) {
      out += ' \\boxed{';
      boxOpen = true;
    } else {
      out += WORDS[ch] ?? ch;
    }
  }
  return boxOpen ? `${out}}` : out;
}
