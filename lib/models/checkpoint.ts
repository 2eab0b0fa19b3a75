// Checkpoint folders: config.json + model.safetensors (or shards listed in
// model.safetensors.index.json). HF folders load as Qwen2/Llama/OLMo 2; a config.json with
// "arch": "gpt" loads the organism GPT. Every expected tensor must be present with its shape,
// and nothing unexpected may be left over: a mismatch names the file and the tensor.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { writeFileAtomic } from '../util';
import { gptFromParams, gptParamSpecs, resolveGptConfig } from './gpt';
import { parseHfConfig, toHfConfigJson } from './hf-config';
import { hfFromParams, hfParamSpecs } from './hf-model';
import { paramsFromHost, paramToHost, type ParamSpec } from './params';
import { readSafetensors, writeSafetensors, type HostTensor } from './safetensors';
import type { CausalLM, GptConfig, ModelConfig } from './types';

export interface LoadOptions {
  /** Config file inside the folder. Default: config.json. */
  configFile?: string;
  /**
   * HF models: override the rope inv_freq precision (see RopeConfig.invFreqPrecision).
   * 'bfloat16' reproduces transformers after model.to(torch.bfloat16), as in the hf-tiny fixtures.
   */
  ropeInvFreqPrecision?: 'float32' | 'bfloat16';
}

function readJson(file: string): unknown {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw new Error(`${file}: cannot read (${(err as Error).message})`);
  }
  try {
    return JSON.parse(text);
  } catch (err) {
    throw new Error(`${file}: not valid JSON (${(err as Error).message})`);
  }
}

/** The model config stored in a folder's config file (GPT or HF layout). */
export function readModelConfig(file: string): ModelConfig {
  const json = readJson(file);
  if (typeof json === 'object' && json !== null && (json as { arch?: unknown }).arch === 'gpt') {
    const { arch: _arch, ...rest } = json as Record<string, unknown>;
    return resolveGptConfig(rest as Partial<GptConfig>, file);
  }
  return parseHfConfig(json, file);
}

export function paramSpecs(config: ModelConfig): ParamSpec[] {
  return config.arch === 'gpt' ? gptParamSpecs(config) : hfParamSpecs(config);
}

/** Tensor names each weight file holds: one file, or the shards of an index. */
function weightFiles(folder: string): { source: string; files: Map<string, string[]> } {
  const index = join(folder, 'model.safetensors.index.json');
  const single = join(folder, 'model.safetensors');
  if (existsSync(index)) {
    const json = readJson(index) as { weight_map?: unknown };
    const map = json.weight_map;
    if (typeof map !== 'object' || map === null) throw new Error(`${index}: field "weight_map" is missing; expected {tensor name: shard file}`);
    const files = new Map<string, string[]>();
    for (const [name, file] of Object.entries(map as Record<string, unknown>)) {
      if (typeof file !== 'string') throw new Error(`${index}: weight_map entry "${name}" is not a file name`);
      const path = join(folder, file);
      files.set(path, [...(files.get(path) ?? []), name]);
    }
    return { source: index, files };
  }
  if (existsSync(single)) return { source: single, files: new Map([[single, []]]) };
  throw new Error(`${folder}: no model.safetensors or model.safetensors.index.json`);
}

/** Names a checkpoint may hold that the model does not use. */
function ignorable(name: string, config: ModelConfig): boolean {
  if (/\.rotary_emb\.inv_freq$/.test(name)) return true; // older HF checkpoints store the rope buffer
  return config.arch !== 'gpt' && config.tieWordEmbeddings && name === 'lm_head.weight'; // a tied head saved anyway
}

/** Loads a checkpoint folder (HF Qwen2/Llama/OLMo 2 or the organism GPT) as float32 variables. */
export function loadCheckpoint(folder: string, opts: LoadOptions = {}): CausalLM {
  let config = readModelConfig(join(folder, opts.configFile ?? 'config.json'));
  if (opts.ropeInvFreqPrecision !== undefined && config.arch !== 'gpt') {
    config = { ...config, rope: { ...config.rope, invFreqPrecision: opts.ropeInvFreqPrecision } };
  }
  const specs = paramSpecs(config);
  const wanted = new Set(specs.map((s) => s.name));
  const { source, files } = weightFiles(folder);
  const found = new Map<string, { tensor: HostTensor; file: string }>();
  for (const [file, listed] of files) {
    const tensors = readSafetensors(file);
    for (const name of listed) {
      if (!tensors.has(name)) throw new Error(`${file}: missing tensor "${name}" (listed for this file in ${source})`);
    }
    for (const [name, tensor] of tensors) {
      if (wanted.has(name)) found.set(name, { tensor, file });
      else if (!ignorable(name, config)) throw new Error(`${file}: unexpected tensor "${name}" for a ${config.arch} model of this config`);
    }
  }
  for (const s of specs) {
    const got = found.get(s.name);
    if (got === undefined) throw new Error(`${source}: missing tensor "${s.name}" (expected [${s.shape.join(',')}]) for a ${config.arch} model`);
    if (got.tensor.shape.join(',') !== s.shape.join(',')) {
      throw new Error(`${got.file}: tensor "${s.name}" is [${got.tensor.shape.join(',')}] but the config needs [${s.shape.join(',')}]`);
    }
  }
  const params = paramsFromHost(specs, (s) => (found.get(s.name) as { tensor: HostTensor }).tensor.data);
  return config.arch === 'gpt' ? gptFromParams(config, params) : hfFromParams(config, params);
}

/** Writes model.safetensors (float32, file layout) then config.json, each atomically. */
export async function saveCheckpoint(model: CausalLM, folder: string): Promise<void> {
  const config = model.config;
  const params = model.parameters();
  const tensors = new Map<string, HostTensor>();
  for (const s of paramSpecs(config)) {
    const v = params[s.name];
    if (v === undefined) throw new Error(`saveCheckpoint: the model has no parameter "${s.name}"`);
    tensors.set(s.name, { shape: s.shape, data: await paramToHost(s, v) });
  }
  writeSafetensors(join(folder, 'model.safetensors'), tensors, { format: 'pt' });
  const json = config.arch === 'gpt' ? { ...config } : toHfConfigJson(config);
  writeFileAtomic(join(folder, 'config.json'), `${JSON.stringify(json, null, 2)}\n`);
}
