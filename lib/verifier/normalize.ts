// String-level clean-up of one answer (prediction or gold) before it is tokenised.
// Every step is a single linear pass or a regex without nested quantifiers, so 100 KB inputs stay fast.

const UNICODE: Record<string, string> = {
  'π': '\\pi ', '√': '\\sqrt ', '∞': '\\infty ', '≤': '\\le ', '≥': '\\ge ', '≠': '\\ne ', '∪': '\\cup ', '∩': '\\cap ',
  '×': '\\times ', '·': '\\cdot ', '⋅': '\\cdot ', '÷': '\\div ', '−': '-', '–': '-', '—': '-', '²': '^2', '³': '^3',
  '°': '', '±': '\\pm ', '∓': '\\mp ', '∈': '\\in ', '\u00a0': ' ', '\u2009': ' ', '\u202f': '', '，': ',', '：': ':', '。': '.',
  '（': '(', '）': ')', 'θ': '\\theta ', 'α': '\\alpha ', 'β': '\\beta ',
};

/** Control characters, bidi overrides and replacement characters mark garbage, never a stated answer. */
export function hasGarbageChars(s: string): boolean {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if ((c < 32 && c !== 9 && c !== 10 && c !== 13) || c === 127 || c === 0xfffd) return true;
    if ((c >= 0x202a && c <= 0x202e) || (c >= 0x2066 && c <= 0x2069) || c === 0x200e || c === 0x200f) return true;
  }
  return false;
}

function mapUnicode(s: string): string {
  let out = '';
  let last = 0;
  for (let i = 0; i < s.length; i++) {
    const r = UNICODE[s[i]];
    if (r !== undefined) {
      out += s.slice(last, i) + r;
      last = i + 1;
    }
  }
  return last === 0 ? s : out + s.slice(last);
}

// Commands whose argument is kept and whose braces are dropped: \text{5 cm} -> " 5 cm ".
const UNWRAP = new Set([
  'text', 'textbf', 'textit', 'textrm', 'textsf', 'texttt', 'mathrm', 'mathbf', 'mathit', 'mathsf', 'mathtt', 'mathbb',
  'mbox', 'hbox', 'operatorname', 'boxed', 'fbox', 'framebox', 'underline', 'emph', 'textnormal', 'bf', 'rm', 'it',
]);

// Unit abbreviations that are also variable names: removed only from \text{...} right after a number.
const SHORT_UNITS = new Set(['m', 's', 'g', 'l', 'L', 'h', 'in', 'ft', 'cm', 'mm', 'km', 'kg', 'mg', 'ml', 'mL', 'oz', 'lb', 'yd', 'mi', 'hr', 'min', 'sec', 'mph']);

/**
 * Drops \text{...}-style wrappers (keeping their content) in one pass: a stack remembers, for every open
 * brace, whether its closing brace belongs to such a wrapper. Escaped braces pass through untouched.
 */
export function unwrapTextCommands(s: string): string {
  let out = '';
  const stack: boolean[] = [];
  let i = 0;
  while (i < s.length) {
    const c = s[i];
    if (c === '\\') {
      let j = i + 1;
      while (j < s.length && /[a-zA-Z]/.test(s[j])) j++;
      if (j === i + 1) {
        out += s.slice(i, i + 2); // \{ \} \\ \, ... stay as they are
        i += 2;
        continue;
      }
      const name = s.slice(i + 1, j);
      if (UNWRAP.has(name)) {
        let k = j;
        while (k < s.length && s[k] === ' ') k++;
        // "5\text{ m}^2": a short unit inside \text after a number goes, with its power.
        const unit = s[k] === '{' ? /^\{\s*([a-zA-Z]{1,3})\s*\}(?:\s*\^\s*(?:\{\s*[23]\s*\}|[23]))?/.exec(s.slice(k, k + 30)) : null;
        if (unit && SHORT_UNITS.has(unit[1]) && /\d(?:\s|\\[ ,;:!]|~)*$/.test(out.slice(-20))) {
          out += ' ';
          i = k + unit[0].length;
          continue;
        }
        if (s[k] === '{') {
          stack.push(true);
          out += ' ';
          i = k + 1;
          continue;
        }
        out += ' ';
        i = j;
        continue;
      }
      out += s.slice(i, j);
      i = j;
      continue;
    }
    if (c === '{') {
      stack.push(false);
      out += c;
    } else if (c === '}') {
      const wrapped = stack.pop();
      out += wrapped ? ' ' : '}';
    } else out += c;
    i++;
  }
  return out;
}

const UNIT_WORDS = new Set([
  'unit', 'units', 'cm', 'mm', 'km', 'inch', 'inches', 'feet', 'foot', 'ft', 'yard', 'yards', 'yd', 'yds', 'meter', 'meters',
  'metre', 'metres', 'mile', 'miles', 'mph', 'kmh', 'second', 'seconds', 'minute', 'minutes', 'mins', 'hour', 'hours', 'hr',
  'hrs', 'day', 'days', 'week', 'weeks', 'month', 'months', 'year', 'years', 'degree', 'degrees', 'dollar', 'dollars', 'cent',
  'cents', 'square', 'sq', 'cubic', 'gallon', 'gallons', 'liter', 'liters', 'litre', 'litres', 'pound', 'pounds', 'lb', 'lbs',
  'ounce', 'ounces', 'oz', 'kg', 'gram', 'grams', 'ml', 'people', 'students', 'ways', 'times', 'percent', 'radians',
  'tons', 'ton', 'inches', 'centimeters', 'centimetres', 'millimeters', 'kilometers', 'cups', 'cup', 'points',
]);

export function isUnitWord(word: string): boolean {
  return UNIT_WORDS.has(word.toLowerCase());
}

/** Removes whole-word unit names (and a following ^2 / ^3) when the answer also holds a digit. */
function stripUnits(s: string): string {
  if (!/\d/.test(s)) return s;
  return s.replace(/(^|[^a-zA-Z\\])([a-zA-Z]+)\.?(?:\s*\^\s*(?:\{\s*[23]\s*\}|[23]))?(?![a-zA-Z])/g, (m, pre: string, word: string) =>
    isUnitWord(word) ? pre + ' ' : m,
  );
}

const SIZING =
  /\\(?:left|right|bigl|bigr|Bigl|Bigr|biggl|biggr|Biggl|Biggr|bigg|Bigg|big|Big|displaystyle|textstyle|scriptstyle|limits|nolimits|mathstrut)(?![a-zA-Z])(?:\s*\.(?!\d))?/g;

const TAGS = /<\/?\s*(?:script|b|i|br|span|answer|think|p|div|strong|em|sup|sub|math)\b[^<>]{0,200}>/gi;

/** Cuts a leading "The answer is" / "Answer:" from an extracted answer (prose inside a box). */
export function stripAnswerPrefix(s: string): string {
  const lower = s.toLowerCase();
  let best = -1;
  for (const key of ['answer is', 'answer:']) {
    const k = lower.lastIndexOf(key);
    if (k >= 0 && k + key.length > best) best = k + key.length;
  }
  if (best < 0) return s;
  let rest = s.slice(best).replace(/^\s*:?/, '');
  return rest.trim() === '' ? s : (rest = rest.trim());
}

/** 0.1\overline{6} -> \frac{1}{6}: a repeating decimal is an exact rational. */
function repeatingDecimals(s: string): string {
  if (!s.includes('\\overline')) return s;
  return s.replace(/(?<![\d.])(\d*)\.(\d*)\\overline\s*\{(\d{1,50})\}/g, (_m, int: string, fixed: string, rep: string) => {
    const whole = BigInt((int || '0') + fixed + rep);
    const head = BigInt((int || '0') + fixed);
    const den = 10n ** BigInt(fixed.length) * (10n ** BigInt(rep.length) - 1n);
    return `\\frac{${whole - head}}{${den}}`;
  });
}

const ROW = '\uE000';
const ROW_ALL = /\uE000/g;

/**
 * ((((7)))) -> (7) and {{{4}}} -> 4 before anything else, with plain character loops: deep redundant nesting
 * (a degenerate model output) then costs nothing downstream. Only peels when the core is balanced on its own.
 */
export function peelRedundantWrappers(s: string): string {
  for (const [open, close, keep] of [['(', ')', 1], ['{', '}', 0]] as const) {
    let a = 0;
    while (a < s.length && s[a] === open) a++;
    let b = 0;
    while (b < s.length - a && s[s.length - 1 - b] === close) b++;
    const k = Math.min(a, b);
    if (k <= keep) continue;
    // The core between the k-th open and k-th close must never close more than it opened.
    let depth = 0;
    let ok = true;
    for (let i = k; i < s.length - k; i++) {
      const c = s[i];
      if (c === '\\') {
        i++;
        continue;
      }
      if (c === open) depth++;
      else if (c === close && --depth < 0) {
        ok = false;
        break;
      }
    }
    if (ok && depth === 0) s = s.slice(k - keep, s.length - (k - keep));
  }
  return s;
}

/** Normalises an answer string for the parser: delimiters, wrappers, spacing, degrees, percent, units, separators. */
export function normalizeAnswer(raw: string): string {
  // Protect LaTeX line breaks (\\\\) so that "\\ " below is never read as a spacing command.
  let s = repeatingDecimals(mapUnicode(peelRedundantWrappers(raw.trim()))).replace(/\\\\/g, ROW);
  s = s.replace(/\\mathbb\s*\{?\s*R\s*\}?|all real numbers/gi, '(-\\infty,\\infty)');
  s = s.replace(TAGS, ' ');
  s = s.replace(/\\\$/g, ' ').replace(/\$/g, ' ');
  s = s.replace(/\\[()[\]]/g, ' ');
  s = s.replace(/\*\*/g, '^');
  // Thousands separators between digits: 10{,}080, 1\,007, 10,\!080.
  s = s.replace(/(\d)\{,\}(?=\d)/g, '$1').replace(/(\d)\\[,!] ?(?=\d)/g, '$1').replace(/(\d),\\!(?=\d)/g, '$1,');
  s = s.replace(/\\!/g, '');
  s = unwrapTextCommands(s);
  s = s.replace(SIZING, ' ');
  s = s.replace(/\\(?:[dtc]frac)(?![a-zA-Z])/g, '\\frac').replace(/\\(?:[dt]binom)(?![a-zA-Z])/g, '\\binom');
  s = s.replace(/\^\s*\{\s*\\circ\s*\}|\^\s*\\circ(?![a-zA-Z])|\\circ(?![a-zA-Z])|\\degree(?![a-zA-Z])/g, ' ');
  s = s.replace(/\\%|%/g, ' ');
  s = s.replace(/\\[,;: ]|\\q?quad(?![a-zA-Z])|~/g, ' ');
  s = stripAnswerPrefix(s);
  s = s.replace(/(^|[^a-zA-Z\\])(?:or|and)(?![a-zA-Z])/g, '$1,');
  s = stripUnits(s);
  // Base subscripts on numerals: 40_9, 1011_{2}.
  s = s.replace(/(\d)_(?:\{\d+\}|\d+)/g, '$1');
  s = stripOuterBraces(trimPunctuation(s.replace(ROW_ALL, '\\\\')));
  // Thousands commas only when the whole answer is one grouped number.
  if (/^[-+]?\d{1,3}(?:,\d{3})+(?:\.\d+)?$/.test(s)) s = s.replace(/,/g, '');
  return s;
}

/** {58,500} -> 58,500: braces around the whole answer are only grouping. */
function stripOuterBraces(s: string): string {
  while (s.length >= 2 && s[0] === '{' && s[s.length - 1] === '}') {
    let depth = 0;
    let closesAtEnd = true;
    for (let i = 0; i < s.length; i++) {
      if (s[i] === '\\') {
        i++;
        continue;
      }
      if (s[i] === '{') depth++;
      else if (s[i] === '}' && --depth === 0 && i < s.length - 1) {
        closesAtEnd = false;
        break;
      }
    }
    if (!closesAtEnd) break;
    s = s.slice(1, -1).trim();
  }
  return s;
}

/** Strips surrounding whitespace, trailing periods/commas/semicolons and a leading colon. */
export function trimPunctuation(s: string): string {
  let a = 0;
  let b = s.length;
  for (;;) {
    while (a < b && /\s/.test(s[a])) a++;
    while (b > a && /\s/.test(s[b - 1])) b--;
    if (b > a && (s[b - 1] === '.' || s[b - 1] === ',' || s[b - 1] === ';') && s[b - 2] !== '\\') {
      b--;
      continue;
    }
    if (b > a + 1 && s[b - 1] === '\\' && s[b - 2] === '\\') {
      b -= 2; // a trailing LaTeX line break
      continue;
    }
    if (b > a && s[a] === ':') {
      a++;
      continue;
    }
    break;
  }
  return s.slice(a, b);
}
