// Reading the Rethink_RLVR files: each is one JSON array of {prompt, answer, source, id} objects.
// Errors name the file, the record index, the record's line (when the file has more than one line) and the field.
import { readFileSync } from 'node:fs';
import { DataError } from '../util';

/** One problem as the Rethink_RLVR files store it. */
export interface ProblemRecord {
  /** Raw problem text (LaTeX/Markdown), no instruction and no chat template. */
  prompt: string;
  /** Reference answer; in the majority-vote folders, the model's pseudo-label (may be ""). */
  answer: string;
  /** Dataset tag, e.g. "math", "aime", "deepscaler_difficulty". */
  source: string;
  /** Identifier; its meaning depends on the folder (MATH path, index within a level, row index, ...). */
  id: string | number;
}

/** Reads and parses a JSON file; unreadable or invalid JSON is a DataError naming the file (and the line). */
function readJson(file: string): { text: string; value: unknown } {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    throw new DataError({ file }, `cannot read file (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
  }
  try {
    return { text, value: JSON.parse(text) };
  } catch (e) {
    const msg = (e as Error).message;
    const pos = /position (\d+)/.exec(msg);
    const line = pos ? lineAt(text, Number(pos[1])) : undefined;
    throw new DataError({ file, line }, `invalid JSON (${msg})`);
  }
}

function lineAt(text: string, offset: number): number {
  let line = 1;
  for (let i = 0; i < offset && i < text.length; i++) if (text.charCodeAt(i) === 10) line++;
  return line;
}

/**
 * The 1-based line on which each top-level element of a JSON array starts. Only called when reporting an
 * error, so a linear scan that tracks strings and nesting is cheap enough.
 */
export function arrayElementLines(text: string): number[] {
  const lines: number[] = [];
  let line = 1;
  let depth = 0;
  let inString = false;
  let escaped = false;
  let expectElement = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '\n') line++;
    if (inString) {
      if (escaped) escaped = false;
      else if (c === '\\') escaped = true;
      else if (c === '"') inString = false;
      continue;
    }
    if (expectElement && c !== ' ' && c !== '\t' && c !== '\n' && c !== '\r' && c !== ']') {
      lines.push(line);
      expectElement = false;
    }
    if (c === '"') inString = true;
    else if (c === '[' || c === '{') {
      depth++;
      if (depth === 1 && c === '[') expectElement = true;
    } else if (c === ']' || c === '}') depth--;
    else if (c === ',' && depth === 1) expectElement = true;
  }
  return lines;
}

/** Reads a Rethink_RLVR-style JSON array of problem records, checking every field. */
export function readProblemFile(file: string): ProblemRecord[] {
  const { text, value } = readJson(file);
  if (!Array.isArray(value)) {
    throw new DataError({ file }, `expected a JSON array of {prompt, answer, source, id} records, found ${describe(value)}`);
  }
  const out: ProblemRecord[] = new Array(value.length);
  for (let i = 0; i < value.length; i++) {
    const problem = checkProblem(value[i]);
    if (typeof problem === 'string' || Array.isArray(problem)) {
      const [field, what] = typeof problem === 'string' ? [undefined, problem] : problem;
      const multiline = text.indexOf('\n') >= 0 && text.indexOf('\n') < text.length - 1;
      const line = multiline ? arrayElementLines(text)[i] : undefined;
      throw new DataError({ file, line, field }, `record ${i}: ${what}`);
    }
    out[i] = problem;
  }
  return out;
}

type Problem = string | [field: string, what: string];

function checkProblem(v: unknown): ProblemRecord | Problem {
  if (v === null || typeof v !== 'object' || Array.isArray(v)) return `expected an object, found ${describe(v)}`;
  const r = v as Record<string, unknown>;
  for (const f of ['prompt', 'answer', 'source'] as const) {
    if (typeof r[f] !== 'string') return [f, r[f] === undefined ? 'missing' : `expected a string, found ${describe(r[f])}`];
  }
  const id = r.id;
  if (typeof id !== 'string' && !(typeof id === 'number' && Number.isFinite(id))) {
    return ['id', id === undefined ? 'missing' : `expected a string or a number, found ${describe(id)}`];
  }
  return { prompt: r.prompt as string, answer: r.answer as string, source: r.source as string, id };
}

function describe(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'an array';
  if (typeof v === 'object') return 'an object';
  return `${typeof v} ${JSON.stringify(v)?.slice(0, 40)}`;
}
