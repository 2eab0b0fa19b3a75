// Reads a Hugging Face checkpoint's tokenizer files: tokenizer.json (required) and, when
// present beside it, tokenizer_config.json, config.json, generation_config.json and
// chat_template.jinja. Every malformed file is reported by name and field.
import { existsSync, readFileSync, statSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { DataError, isJsonObject } from '../util';

export type JsonObject = Record<string, unknown>;

/** The raw files behind one tokenizer. */
export interface HfTokenizerFiles {
  /** Path of tokenizer.json. */
  tokenizerPath: string;
  tokenizerJson: JsonObject;
  /** tokenizer_config.json, or null when absent. */
  tokenizerConfig: JsonObject | null;
  tokenizerConfigPath: string;
  /** config.json (the model's), or null when absent. */
  modelConfig: JsonObject | null;
  modelConfigPath: string;
  /** generation_config.json, or null when absent. */
  generationConfig: JsonObject | null;
  generationConfigPath: string;
  /** chat_template.jinja (newer checkpoints keep the template there), or null. */
  chatTemplateFile: string | null;
  chatTemplatePath: string;
}

function readJsonObject(file: string): JsonObject {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw new DataError({ file }, `cannot read: ${(err as Error).message}`);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (err) {
    throw new DataError({ file }, `not valid JSON: ${(err as Error).message}`);
  }
  if (!isJsonObject(parsed)) throw new DataError({ file }, 'expected a JSON object at the top level');
  return parsed;
}

const optionalJson = (file: string): JsonObject | null => (existsSync(file) ? readJsonObject(file) : null);

/** `path` is a tokenizer.json file or a folder holding one; the other files are looked for beside it. */
export function readHfTokenizerFiles(path: string): HfTokenizerFiles {
  if (!existsSync(path)) throw new DataError({ file: path }, 'no such file or folder; pass a tokenizer.json or the checkpoint folder holding it');
  const isDir = statSync(path).isDirectory();
  const dir = isDir ? path : dirname(path);
  const tokenizerPath = isDir ? join(dir, 'tokenizer.json') : path;
  if (isDir && !existsSync(tokenizerPath)) {
    throw new DataError({ file: tokenizerPath }, `missing: folder ${path} has no tokenizer.json (only tokenizer.json checkpoints are supported)`);
  }
  if (!isDir && basename(path) !== 'tokenizer.json' && !path.endsWith('.json')) {
    throw new DataError({ file: path }, 'expected a tokenizer.json file or a folder');
  }
  const tokenizerJson = readJsonObject(tokenizerPath);
  if (!isJsonObject(tokenizerJson.model)) {
    throw new DataError({ file: tokenizerPath, field: 'model' }, 'missing or not an object; is this a Hugging Face tokenizer.json?');
  }
  const tokenizerConfigPath = join(dir, 'tokenizer_config.json');
  const modelConfigPath = join(dir, 'config.json');
  const generationConfigPath = join(dir, 'generation_config.json');
  const chatTemplatePath = join(dir, 'chat_template.jinja');
  return {
    tokenizerPath,
    tokenizerJson,
    tokenizerConfig: optionalJson(tokenizerConfigPath),
    tokenizerConfigPath,
    modelConfig: optionalJson(modelConfigPath),
    modelConfigPath,
    generationConfig: optionalJson(generationConfigPath),
    generationConfigPath,
    chatTemplateFile: existsSync(chatTemplatePath) ? readFileSync(chatTemplatePath, 'utf8') : null,
    chatTemplatePath,
  };
}
