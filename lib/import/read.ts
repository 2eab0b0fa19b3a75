// Engine logs (JSON lines) -> our two tables. Each line is either a rollout record (it has a
// completion field) or a metric record; one file may hold both. Metric lines of the same step are
// merged (later values fill gaps); steps come out sorted. Python's json writes NaN/Infinity, which
// are not JSON: such a line is re-read with those values as null.
import { readFileSync } from 'node:fs';
import { table, type ColumnTable } from 'arquero';
import { DataError, isJsonObject } from '../util';
import { mentionsPython } from '../detectors';
import { makeReward } from '../rewards';
import type { VerifierMode } from '../verifier';
import { ENGINE_FORMATS, type EngineFormat } from './engines';
import { METRIC_COLUMNS, ROLLOUT_COLUMNS, type Engine, type MetricRow, type MetricValueColumn, type RolloutRow } from './schema';

export interface ImportOptions {
  /** Name used in error messages (default "<input>"). */
  file?: string;
  /** Re-grade rollouts that have a label but no correctness field, with `math` in this verifier mode. */
  grade?: VerifierMode;
}

export interface ImportResult {
  engine: Engine;
  metricRows: MetricRow[];
  rolloutRows: RolloutRow[];
  /** Columns of METRIC_COLUMNS, one row per step. */
  metrics: ColumnTable;
  /** Columns of ROLLOUT_COLUMNS, one row per completion. */
  rollouts: ColumnTable;
  /** Engine metric keys that map to no column (sorted), so nothing is dropped silently. */
  unmappedKeys: string[];
}

const VALUE_COLUMNS = METRIC_COLUMNS.filter((c): c is MetricValueColumn => c !== 'source' && c !== 'step');

/** Imports the text of one engine log. */
export function importEngineLog(engine: Engine, text: string, opts: ImportOptions = {}): ImportResult {
  return importTexts(engine, [{ text, file: opts.file ?? '<input>' }], opts);
}

/** Imports several files of one run (e.g. verl's one rollout file per step next to its metrics file) into one result. */
export function importEngineFiles(engine: Engine, paths: readonly string[], opts: Omit<ImportOptions, 'file'> = {}): ImportResult {
  return importTexts(engine, paths.map((file) => ({ file, text: readText(file) })), opts);
}

/** Imports one file (JSON lines, or TRL's trainer_state.json). */
export function importEngineFile(engine: Engine, path: string, opts: Omit<ImportOptions, 'file'> = {}): ImportResult {
  return importEngineFiles(engine, [path], opts);
}

function readText(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (e) {
    throw new DataError({ file: path }, `cannot read file (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
  }
}

function importTexts(engine: Engine, inputs: readonly { text: string; file: string }[], opts: Pick<ImportOptions, 'grade'>): ImportResult {
  const fmt = ENGINE_FORMATS[engine];
  if (!fmt) throw new Error(`import: unknown engine "${String(engine)}"; known: ${Object.keys(ENGINE_FORMATS).join(', ')}`);
  const grader = opts.grade ? makeReward('math', { verifierMode: opts.grade }) : undefined;
  const byStep = new Map<number, MetricRow>();
  const rollouts: RolloutRow[] = [];
  const unmapped = new Set<string>();

  for (const { line, value, file } of inputs.flatMap(({ text, file }) => records(text, file).map((r) => ({ ...r, file })))) {
    if (isRollout(value, fmt)) {
      rollouts.push(readRollout(engine, fmt, value, file, line, grader));
      continue;
    }
    const flat = engine === 'verl' && isJsonObject(value.data) ? { ...(value.data as Record<string, unknown>), step: value.step } : value;
    const metrics = stripKeys(flat, fmt.stripPrefixes);
    const stepKey = fmt.stepKeys.find((k) => metrics[k] !== undefined);
    if (stepKey === undefined) throw new DataError({ file, line, field: fmt.stepKeys[0] }, `missing; a metric line needs one of ${fmt.stepKeys.join(', ')}`);
    const step = metrics[stepKey];
    if (typeof step !== 'number' || !Number.isInteger(step)) throw new DataError({ file, line, field: stepKey }, `expected an integer step, received ${JSON.stringify(step)}`);
    const row = byStep.get(step) ?? emptyMetricRow(engine, step);
    const used = new Set<string>([...fmt.stepKeys, ...fmt.ignore]);
    for (const col of VALUE_COLUMNS) {
      const key = (fmt.metrics[col] ?? []).find((k) => metrics[k] !== undefined);
      if (key === undefined) continue;
      used.add(key);
      const v = metrics[key];
      if (typeof v === 'number' && Number.isFinite(v)) row[col] = v;
    }
    for (const k of Object.keys(metrics)) {
      if (!used.has(k) && !Object.values(fmt.metrics).some((keys) => keys?.includes(k))) unmapped.add(k);
    }
    byStep.set(step, row);
  }

  fillFromRollouts(engine, byStep, rollouts);
  const metricRows = [...byStep.values()].sort((a, b) => a.step - b.step);
  return { engine, metricRows, rolloutRows: rollouts, metrics: metricsTable(metricRows), rollouts: rolloutsTable(rollouts), unmappedKeys: [...unmapped].sort() };
}

/** Metric rows -> an arquero table with exactly METRIC_COLUMNS. */
export function metricsTable(rows: readonly MetricRow[]): ColumnTable {
  return table(Object.fromEntries(METRIC_COLUMNS.map((c) => [c, rows.map((r) => r[c])])));
}

/** Rollout rows -> an arquero table with exactly ROLLOUT_COLUMNS. */
export function rolloutsTable(rows: readonly RolloutRow[]): ColumnTable {
  return table(Object.fromEntries(ROLLOUT_COLUMNS.map((c) => [c, rows.map((r) => r[c])])));
}

function emptyMetricRow(engine: Engine, step: number): MetricRow {
  const row = { source: engine, step } as MetricRow;
  for (const c of VALUE_COLUMNS) row[c] = null;
  return row;
}

/** codeFrac (and rewardMean when the engine logged none) from the step's rollouts. */
function fillFromRollouts(engine: Engine, byStep: Map<number, MetricRow>, rollouts: readonly RolloutRow[]): void {
  const steps = new Map<number, RolloutRow[]>();
  for (const r of rollouts) (steps.get(r.step) ?? steps.set(r.step, []).get(r.step)!).push(r);
  for (const [step, rs] of steps) {
    const row = byStep.get(step) ?? emptyMetricRow(engine, step);
    row.codeFrac ??= rs.filter((r) => r.codeReasoning).length / rs.length;
    row.rewardMean ??= rs.reduce((s, r) => s + r.reward, 0) / rs.length;
    byStep.set(step, row);
  }
}

function isRollout(v: Record<string, unknown>, fmt: EngineFormat): boolean {
  return fmt.rollout.completion.some((k) => typeof v[k] === 'string') || (typeof v.query === 'string' && typeof v.prompt === 'string');
}

function first(v: Record<string, unknown>, keys: readonly string[]): [string, unknown] | undefined {
  const k = keys.find((key) => v[key] !== undefined);
  return k === undefined ? undefined : [k, v[k]];
}

function readRollout(engine: Engine, fmt: EngineFormat, v: Record<string, unknown>, file: string, line: number, grader: ReturnType<typeof makeReward> | undefined): RolloutRow {
  const fail = (field: string, problem: string): never => { throw new DataError({ file, line, field }, problem); };
  const stepF = first(v, fmt.rollout.step) ?? fail(fmt.rollout.step[0], `missing; a rollout line needs one of ${fmt.rollout.step.join(', ')}`);
  if (typeof stepF[1] !== 'number' || !Number.isInteger(stepF[1])) fail(stepF[0], `expected an integer step, received ${JSON.stringify(stepF[1])}`);
  const promptF = first(v, fmt.rollout.prompt);
  if (promptF && typeof promptF[1] !== 'string') fail(promptF[0], `expected a string, received ${typeof promptF[1]}`);
  const prompt = (promptF?.[1] as string | undefined) ?? '';
  let completion: string;
  const compF = first(v, fmt.rollout.completion);
  if (compF) {
    if (typeof compF[1] !== 'string') fail(compF[0], `expected a string, received ${typeof compF[1]}`);
    completion = compF[1] as string;
  } else {
    const query = v.query as string;
    if (!query.startsWith(prompt)) fail('query', 'has no completion field and "prompt" is not a prefix of "query"');
    completion = query.slice(prompt.length);
  }
  const rewardF = first(v, fmt.rollout.reward) ?? fail(fmt.rollout.reward[0], `missing; a rollout line needs one of ${fmt.rollout.reward.join(', ')}`);
  let reward = rewardF[1];
  if (typeof reward === 'boolean') reward = reward ? 1 : 0;
  if (typeof reward !== 'number' || !Number.isFinite(reward)) fail(rewardF[0], `expected a finite number, received ${JSON.stringify(reward)}`);
  const labelF = first(v, fmt.rollout.label);
  const label = labelF === undefined || labelF[1] === null ? null : typeof labelF[1] === 'string' ? labelF[1] : JSON.stringify(labelF[1]);
  const correctF = first(v, fmt.rollout.correct);
  let correct: boolean | null = null;
  if (correctF !== undefined && correctF[1] !== null) {
    const c = correctF[1];
    if (typeof c === 'boolean') correct = c;
    else if (c === 0 || c === 1) correct = c === 1;
    else fail(correctF[0], `expected a boolean or 0/1, received ${JSON.stringify(c)}`);
  }
  if (correct === null && grader && label !== null) {
    correct = grader({ prompt, label, completions: [completion], rng: NO_RNG })[0] === 1;
  }
  return { source: engine, step: stepF[1] as number, prompt, completion, label, reward: reward as number, correct, codeReasoning: mentionsPython(completion) };
}

// `math` never draws; a fixed stream keeps the RewardGroup shape honest.
const NO_RNG = { next: () => 0, int: () => 0, fork: () => NO_RNG, seed: 0 };

function stripKeys(v: Record<string, unknown>, prefixes: readonly string[]): Record<string, unknown> {
  if (prefixes.length === 0) return v;
  const out: Record<string, unknown> = {};
  for (const [k, x] of Object.entries(v)) {
    const p = prefixes.find((pre) => k.startsWith(pre));
    out[p ? k.slice(p.length) : k] = x;
  }
  return out;
}

/** JSON-lines records, or the log_history of a TRL trainer_state.json. */
function records(text: string, file: string): { line: number; value: Record<string, unknown> }[] {
  const trimmed = text.trimStart();
  if (trimmed.startsWith('{')) {
    // One JSON document? trainer_state.json has a log_history array. JSON lines fail here and are read below.
    let whole: unknown;
    try {
      whole = parseLenient(trimmed.trim());
    } catch {
      whole = undefined;
    }
    if (isJsonObject(whole) && Array.isArray(whole.log_history)) {
      return whole.log_history.map((value, i) => {
        if (!isJsonObject(value)) throw new DataError({ file, field: `log_history[${i}]` }, 'expected an object');
        return { line: i + 1, value };
      });
    }
  }
  const out: { line: number; value: Record<string, unknown> }[] = [];
  text.split('\n').forEach((raw, i) => {
    const s = raw.trim();
    if (s === '') return;
    let value: unknown;
    try {
      value = parseLenient(s);
    } catch (e) {
      throw new DataError({ file, line: i + 1 }, `invalid JSON (${(e as Error).message})`);
    }
    if (!isJsonObject(value)) throw new DataError({ file, line: i + 1 }, 'each line must be a JSON object');
    out.push({ line: i + 1, value });
  });
  return out;
}

/** JSON.parse; on failure, once more with Python's bare NaN / Infinity / -Infinity values read as null. */
function parseLenient(s: string): unknown {
  try {
    return JSON.parse(s);
  } catch (e) {
    const fixed = s.replace(/([:[,]\s*)-?(?:NaN|Infinity)(?=\s*[,\]}])/g, '$1null');
    if (fixed === s) throw e;
    return JSON.parse(fixed);
  }
}
