// A richer code-reasoning classifier than the paper's "contains python" test (spec §6.1).
// It reads the text's structure (fenced blocks and their languages, unfenced code-like lines,
// output sections) and never executes anything. It exists to audit the paper's detector:
// compareDetectors() shows where the two disagree (e.g. "without Python" in prose, or a
// ```py / unlabelled fence that never names the language).
import { mentionsPython } from './python-mention';

export type ReasoningStrategy = 'code_block' | 'code_lines' | 'natural_language';

/** The counts that drove a classification. */
export interface ReasoningFeatures {
  /** All fenced blocks (``` ... ```), closed or not. */
  fencedBlocks: number;
  /** Info-string language of each fence in order, lower-cased; '' when the fence has none. */
  fenceLanguages: string[];
  /** Fences holding code: a programming-language tag and a non-empty body, or no tag and code-like content. */
  codeFences: number;
  /** Fences holding (imagined) program output: ```output and the like, or an untagged non-code fence right after a code fence. */
  outputFences: number;
  /** The last fence is never closed (a truncated response). */
  unclosedFence: boolean;
  /** Unfenced lines that are almost surely code (def/class/import/print(/return/for…in range(/>>>/library calls/`**`). */
  strongCodeLines: number;
  /** Unfenced lines that may be code (plain-text assignments with operators, lower-case `if …:`/`else:`). */
  weakCodeLines: number;
  /** Unfenced output markers: "## Output" headings, "Output:" lines, result lines after a `>>>` line. */
  outputMarkers: number;
  /** The paper's test on the same text (spec §6.1). */
  mentionsPython: boolean;
}

export interface ReasoningClassification {
  strategy: ReasoningStrategy;
  /** The response writes code and then shows what it "printed": output the model imagined, since nothing ran. */
  imaginedOutput: boolean;
  features: ReasoningFeatures;
}

// Fence tags that name a programming language.
const CODE_LANGUAGES = new Set([
  'python', 'python3', 'py', 'py3', 'ipython', 'ipython3', 'pycon', 'sympy', 'sage', 'javascript', 'js', 'typescript', 'ts',
  'java', 'c', 'cpp', 'c++', 'cs', 'csharp', 'go', 'rust', 'ruby', 'r', 'matlab', 'octave', 'julia', 'bash', 'sh', 'shell',
  'perl', 'scala', 'kotlin', 'swift', 'haskell', 'lua', 'php', 'sql', 'mathematica', 'wolfram', 'maple', 'lean', 'lean4',
]);
// One-letter tags also show up as noise in degenerate text: trust them only with code-like content.
const AMBIGUOUS_TAGS = new Set(['r', 'c']);
// Fence tags of program output.
const OUTPUT_LANGUAGES = new Set(['output', 'text', 'txt', 'plaintext', 'console', 'stdout', 'result', 'results', 'out']);

const STRONG_CODE: readonly RegExp[] = [
  /^\s*(def|class)\s+[A-Za-z_]\w*\s*[(:]/,
  /^\s*import\s+[A-Za-z_][\w.]*(\s+as\s+\w+)?(\s*,\s*[A-Za-z_][\w.]*)*\s*$/,
  /^\s*from\s+[A-Za-z_][\w.]*\s+import\s+[\w*]/,
  /^\s*print\s*\(/,
  /^\s*return\b[^.]*$/,
  /^\s*>>>\s?/,
  /\bfor\s+[A-Za-z_]\w*(\s*,\s*[A-Za-z_]\w*)*\s+in\s+(range|enumerate|zip|itertools\.\w+)\s*\(/,
  /\b(sympy|sp|np|numpy|math|itertools|fractions|scipy)\.[A-Za-z_]\w*\s*\(/,
  /^\s*[A-Za-z_]\w*\s*=\s*[A-Za-z_][\w.]*\([^\\$]*\)\s*(#.*)?$/, // x = symbols('x'), n = len(s)
  /^\s*[A-Za-z_][\w\[\], ]*=[^=\\$]*(\*\*|\/\/)[^\\$]*$/, // ** and // are Python, not LaTeX
];
const WEAK_CODE: readonly RegExp[] = [
  /^\s*[A-Za-z_]\w*(\[[^\]]*\])?\s*([+\-*\/%]?=)\s*[\w.()\[\] ]*[+\-*\/%][\w.()\[\] +\-*\/%]*$/, // total = a * b + 1
  /^\s*(if|elif|while)\s+[^A-Z].*:\s*$/,
  /^\s*(else|try|finally)\s*:\s*$/,
  /^\s*except\b.*:\s*$/,
];
const OUTPUT_MARKERS: readonly RegExp[] = [
  /^\s*#{1,6}\s*(\*\*)?(program |code )?output\b/i, // ## Output
  /^\s*(\*\*)?output(\*\*)?\s*:/i, // Output: / **Output:**
];

interface Fence { lang: string; body: string[]; closed: boolean }

/** Classifies the reasoning strategy of a response from its text alone. */
export function classifyReasoning(text: string): ReasoningClassification {
  const lines = text.split(/\r?\n/);
  const fences: Fence[] = [];
  const proseLines: string[] = [];
  // Per fence: does it follow the previous fence with no prose between (to spot untagged output fences)?
  const gapAfterFence: boolean[] = [];
  let open: Fence | null = null;
  let sinceFence = 0; // non-blank prose lines since the last fence closed
  for (const line of lines) {
    const fenceMatch = /^\s{0,3}(`{3,})\s*([^`\s]*)/.exec(line);
    if (open) {
      if (fenceMatch && fenceMatch[2] === '') { open.closed = true; open = null; sinceFence = 0; }
      else open.body.push(line);
      continue;
    }
    if (fenceMatch) {
      // Content on the fence line after the tag, and a close on the same line (```python print(1)```).
      const rest = line.slice(fenceMatch[0].length);
      const closedInline = /`{3,}\s*$/.test(rest);
      const inline = rest.replace(/`{3,}\s*$/, '');
      const fence: Fence = { lang: fenceMatch[2].toLowerCase(), body: inline.trim() !== '' ? [inline] : [], closed: closedInline };
      gapAfterFence.push(fences.length > 0 && sinceFence === 0);
      fences.push(fence);
      if (closedInline) sinceFence = 0;
      else open = fence;
      continue;
    }
    if (line.trim() !== '') { sinceFence++; proseLines.push(line); }
  }

  let codeFences = 0, outputFences = 0;
  let prevWasCode = false;
  fences.forEach((f, i) => {
    const hasBody = f.body.some((l) => l.trim() !== '');
    const looksLikeCode = f.body.some(isStrongCode) || (!(gapAfterFence[i] && prevWasCode) && f.body.filter(isWeakCode).length >= 2);
    const isCode = CODE_LANGUAGES.has(f.lang) ? hasBody && (!AMBIGUOUS_TAGS.has(f.lang) || looksLikeCode) : f.lang === '' && looksLikeCode;
    const isOutput = !isCode && hasBody && (OUTPUT_LANGUAGES.has(f.lang) || (f.lang === '' && gapAfterFence[i] && prevWasCode));
    if (isCode) codeFences++;
    if (isOutput) outputFences++;
    prevWasCode = isCode;
  });

  let strong = 0, weak = 0, markers = 0;
  let prevRepl = false;
  for (const line of proseLines) {
    if (isStrongCode(line)) strong++;
    else if (isWeakCode(line)) weak++;
    if (line.length <= MAX_CODE_LINE && OUTPUT_MARKERS.some((re) => re.test(line))) markers++;
    else if (prevRepl && !/^\s*(>>>|\.\.\.)/.test(line)) markers++; // a REPL result line
    prevRepl = /^\s*>>>/.test(line);
  }

  const strategy: ReasoningStrategy = codeFences > 0 ? 'code_block' : strong >= 2 || (strong >= 1 && weak >= 2) ? 'code_lines' : 'natural_language';
  const features: ReasoningFeatures = {
    fencedBlocks: fences.length,
    fenceLanguages: fences.map((f) => f.lang),
    codeFences,
    outputFences,
    unclosedFence: fences.length > 0 && !fences[fences.length - 1].closed,
    strongCodeLines: strong,
    weakCodeLines: weak,
    outputMarkers: markers,
    mentionsPython: mentionsPython(text),
  };
  return { strategy, imaginedOutput: strategy !== 'natural_language' && outputFences + markers > 0, features };
}

// Code lines are short; skipping long ones also keeps the line regexes linear on degenerate
// 200 KB one-line responses (some patterns backtrack quadratically on very long lines).
const MAX_CODE_LINE = 400;

function isStrongCode(line: string): boolean {
  return line.length <= MAX_CODE_LINE && STRONG_CODE.some((re) => re.test(line));
}

function isWeakCode(line: string): boolean {
  return line.length <= MAX_CODE_LINE && !/[\\$]/.test(line) && WEAK_CODE.some((re) => re.test(line));
}
