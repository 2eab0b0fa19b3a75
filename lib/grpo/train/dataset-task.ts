// A TrainTask over real problems: a lib/data dataset (or a JSONL file of {prompt, answer} lines),
// a checkpoint folder loaded with lib/models, its tokenizer (lib/serve's loader: tokenizer.json or
// an organism's char-tokenizer.json) and a named lib/prompts template. Items keep the raw problem
// text (what samples.jsonl shows); encodePrompt renders the template and tokenizes it.
// Every prompt is encoded once when the task is built, so a character the tokenizer cannot encode
// (a char tokenizer refuses characters outside its alphabet; nothing is mapped to an UNK) stops the
// run before it starts, naming the dataset record, instead of failing mid-rollout.
import { existsSync } from 'node:fs';
import {
  BENCHMARKS, DEEPSCALER_LEVELS, MV_MODELS, deepScaleRLevelPath, loadBenchmark, loadDeepScaleRLevel, loadMajorityVoteLabels,
  locateDataFile, oneShotDataset, readProblemFile, type BenchmarkName, type DataOptions, type DeepScaleRLevel, type MvModel,
} from '../../data';
import { loadCheckpoint, type CausalLM } from '../../models';
import { promptTemplate, renderPrompt } from '../../prompts';
import { loadServeTokenizer } from '../../serve';
import type { Tokenizer } from '../../tokenizers';
import { DataError, closestName, readJsonl, type JsonlRecord } from '../../util';
import type { TaskItem, TrainTask } from './task';

export interface DatasetTaskConfig {
  kind: 'dataset';
  /** A dataset name (DATASET_NAMES) or a path to a JSONL file of {prompt, answer} lines (contains "/" or ends in .jsonl). */
  data: string;
  /** Checkpoint folder (organism GPT or Hugging Face) the policy starts from. */
  checkpoint: string;
  /** Tokenizer file or folder; null = the checkpoint folder (char-tokenizer.json, else tokenizer.json). */
  tokenizer: string | null;
  /** lib/prompts template the problem is rendered with; generation ends at EOS or at the template's stop strings. */
  template: string;
  /** Use only the first N records (file order); null = all. */
  limit: number | null;
  /** JSONL files only: the field holding the training label (gold accuracy always uses "answer"). */
  labelField: string;
}

/** Defaults of the optional fields (data and checkpoint are required). */
export const DATASET_TASK_DEFAULTS: Readonly<Omit<DatasetTaskConfig, 'data' | 'checkpoint'>> = Object.freeze({
  kind: 'dataset',
  tokenizer: null,
  template: 'qwen-math',
  limit: null,
  labelField: 'answer',
});

/** Every key a dataset task config may hold. */
export const DATASET_TASK_KEYS: readonly (keyof DatasetTaskConfig)[] = ['kind', 'data', 'checkpoint', 'tokenizer', 'template', 'limit', 'labelField'];

/** One problem before it becomes a TaskItem; `where` locates it for error messages. */
interface DatasetRow {
  prompt: string;
  label: string;
  gold: string;
  where: string;
}

interface LoadedRows {
  rows: DatasetRow[];
  /** Extra words for the task's name (e.g. how many golds were found). */
  note?: string;
}

type Loader = (opts: DataOptions) => LoadedRows;

/** Gold answers of DeepScaleR problems by prompt text, from whichever level files are present (first one wins). */
function deepScaleRGold(opts: DataOptions): Map<string, string> {
  const gold = new Map<string, string>();
  for (const level of DEEPSCALER_LEVELS) {
    for (const split of ['train', 'test'] as const) {
      const found = locateDataFile(deepScaleRLevelPath(level, split), opts);
      if (!found) continue;
      for (const r of readProblemFile(found.path)) if (!gold.has(r.prompt)) gold.set(r.prompt, r.answer);
    }
  }
  return gold;
}

function mvLoader(model: MvModel, incorrect: boolean): Loader {
  return (opts) => {
    const records = loadMajorityVoteLabels(model, { ...opts, incorrect });
    const gold = deepScaleRGold(opts);
    let matched = 0;
    const rows = records.map((r, i) => {
      const g = gold.get(r.prompt);
      if (g !== undefined) matched++;
      // The pseudo-label trains; accuracy is measured against the DeepScaleR answer when the prompt is found there.
      return { prompt: r.prompt, label: r.answer, gold: g ?? r.answer, where: `record ${i} (id ${r.id})` };
    });
    return { rows, note: `gold from DeepScaleR for ${matched}/${records.length}` };
  };
}

function registry(): Record<string, Loader> {
  const reg: Record<string, Loader> = {};
  for (const name of Object.keys(BENCHMARKS) as BenchmarkName[]) {
    reg[name] = (opts) => ({ rows: loadBenchmark(name, opts).map((r, i) => ({ prompt: r.prompt, label: r.answer, gold: r.answer, where: `record ${i} (id ${r.id})` })) });
  }
  for (const level of DEEPSCALER_LEVELS as readonly DeepScaleRLevel[]) {
    reg[`deepscaler-level${level}`] = (opts) => ({
      rows: loadDeepScaleRLevel(level, 'train', opts).map((r, i) => ({ prompt: r.prompt, label: r.answer, gold: r.answer, where: `record ${i} (id ${r.id})` })),
    });
  }
  for (const m of MV_MODELS) {
    reg[`mv-${m.key}`] = mvLoader(m.key, false);
    reg[`mv-${m.key}-incorrect`] = mvLoader(m.key, true);
  }
  reg['one-shot-pi1'] = () => ({ rows: oneShotDataset().map((r) => ({ prompt: r.prompt, label: r.answer, gold: r.answer, where: `copy ${r.id}` })) });
  return reg;
}

const LOADERS = registry();

/** The dataset names `task.data` accepts (anything else must be a JSONL path). */
export const DATASET_NAMES: readonly string[] = Object.freeze(Object.keys(LOADERS));

/** Whether `data` names a JSONL file rather than a registered dataset. */
export function isDatasetPath(data: string): boolean {
  return data.includes('/') || data.includes('\\') || data.endsWith('.jsonl');
}

/** Throws, listing the known names, unless `data` is a registered dataset or a path. */
export function checkDatasetName(data: string): void {
  if (isDatasetPath(data) || Object.prototype.hasOwnProperty.call(LOADERS, data)) return;
  const near = closestName(data, DATASET_NAMES);
  throw new Error(
    `dataset "${data}" is not known${near ? ` (did you mean "${near}"?)` : ''}; known: ${DATASET_NAMES.join(', ')}; ` +
      'or give a path to a JSONL file of {"prompt", "answer"} lines (it must contain "/" or end in .jsonl)',
  );
}

/** A string field, or a finite number written as a string (answers such as 42 are often stored as numbers). */
function answerField(rec: JsonlRecord, field: string, file: string): string {
  const v = rec.value[field];
  if (typeof v === 'string') return v;
  if (typeof v === 'number' && Number.isFinite(v)) return String(v);
  throw new DataError({ file, line: rec.line, field }, v === undefined ? 'missing' : `expected a string or a number, received ${JSON.stringify(v)}`);
}

/** {prompt, answer[, labelField]} lines; errors name the file, line and field. */
function readProblemJsonl(file: string, labelField = 'answer'): DatasetRow[] {
  return readJsonl(file).map((rec) => {
    const prompt = rec.value.prompt;
    if (typeof prompt !== 'string' || prompt === '') {
      throw new DataError({ file, line: rec.line, field: 'prompt' }, prompt === undefined ? 'missing' : `expected a non-empty string, received ${JSON.stringify(prompt)}`);
    }
    const gold = answerField(rec, 'answer', file);
    return { prompt, gold, label: labelField === 'answer' ? gold : answerField(rec, labelField, file), where: `line ${rec.line}` };
  });
}

function loadRows(c: DatasetTaskConfig, opts: DataOptions): LoadedRows {
  if (isDatasetPath(c.data)) return { rows: readProblemJsonl(c.data, c.labelField) };
  checkDatasetName(c.data);
  if (c.labelField !== 'answer') throw new Error(`task.labelField "${c.labelField}" applies to JSONL files only; dataset "${c.data}" has its own labels`);
  return LOADERS[c.data](opts);
}

/** The checkpoint's context: prompts plus completions must fit it. */
function contextOf(model: CausalLM): number {
  const cfg = model.config;
  return cfg.arch === 'gpt' ? cfg.contextLength : cfg.maxPositionEmbeddings;
}

/**
 * The dataset task of `c`: problems from `dataOptions`' data dirs, the policy loaded from c.checkpoint.
 * `maxNewTokens` (the run's sampling.maxNewTokens), when given, is checked against the model's context.
 */
export function createDatasetTask(c: DatasetTaskConfig, dataOptions: DataOptions = {}, maxNewTokens?: number): TrainTask {
  if (!existsSync(c.checkpoint)) throw new Error(`task.checkpoint: ${c.checkpoint} does not exist; pass a checkpoint folder (config.json + model.safetensors)`);
  const { rows: all, note } = loadRows(c, dataOptions);
  const rows = c.limit === null ? all : all.slice(0, c.limit);
  if (rows.length === 0) throw new Error(`dataset "${c.data}" has no records${c.limit !== null ? ` (limit ${c.limit})` : ''}`);
  const tok: Tokenizer = loadServeTokenizer(c.tokenizer ?? c.checkpoint);
  if (tok.eosIds.length === 0) throw new Error(`tokenizer ${tok.source} declares no EOS token, so no completion could end before maxNewTokens`);

  // Encode every distinct prompt now: a bad character fails here, naming the record.
  const encoded = new Map<string, number[]>();
  let longest = 0;
  for (const r of rows) {
    if (encoded.has(r.prompt)) continue;
    let ids: number[];
    try {
      ids = tok.encode(renderPrompt(c.template, r.prompt), { addSpecialTokens: true });
    } catch (e) {
      throw new Error(
        `dataset "${c.data}" ${r.where}: the prompt rendered with template "${c.template}" cannot be encoded by the tokenizer ` +
          `from ${c.tokenizer ?? c.checkpoint}, ${tok.source} ` +
          `(${(e as Error).message}); a character tokenizer's alphabet must cover every character of the rendered prompts`,
      );
    }
    encoded.set(r.prompt, ids);
    longest = Math.max(longest, ids.length);
  }
  const items: TaskItem[] = rows.map((r) => ({ prompt: r.prompt, label: r.label, gold: r.gold }));
  const padId = tok.special.pad?.id ?? tok.eosIds[0];

  return {
    name: `dataset ${c.data} (${items.length} problems${note ? `, ${note}` : ''}) template ${c.template}, checkpoint ${c.checkpoint}`,
    items,
    encodePrompt(prompt) {
      const ids = encoded.get(prompt);
      if (ids !== undefined) return ids;
      const fresh = tok.encode(renderPrompt(c.template, prompt), { addSpecialTokens: true });
      encoded.set(prompt, fresh);
      return fresh;
    },
    decode: (ids) => tok.decode(ids, { skipSpecialTokens: true }),
    eosIds: tok.eosIds,
    padId,
    stopStrings: promptTemplate(c.template).stopStrings,
    includeStopString: promptTemplate(c.template).includeStopString,
    initialModel(_seed) {
      // The checkpoint is the policy: nothing random happens here.
      const model = loadCheckpoint(c.checkpoint);
      const vocab = model.config.vocabSize;
      const context = contextOf(model);
      const need = longest + (maxNewTokens ?? 0);
      if (vocab < tok.vocabSize) {
        model.dispose();
        throw new Error(`${c.checkpoint}: the model's vocabulary (${vocab}) is smaller than tokenizer ${tok.source}'s (${tok.vocabSize}); they do not belong together`);
      }
      if (need > context) {
        model.dispose();
        throw new Error(
          `${c.checkpoint}: the longest prompt of "${c.data}" is ${longest} tokens${maxNewTokens !== undefined ? ` + ${maxNewTokens} new tokens` : ''} = ${need}, ` +
            `more than the model's context of ${context}; use a smaller limit, a shorter template, fewer sampling.maxNewTokens or a longer-context model`,
        );
      }
      return model;
    },
  };
}
