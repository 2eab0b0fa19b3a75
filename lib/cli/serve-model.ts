// `rlvr serve-model`: serves a checkpoint folder (organism GPT or HF Qwen2/Llama/OLMo 2) behind an
// OpenAI-compatible API until interrupted, so `rlvr eval --endpoint` (or any OpenAI client) can use it.
import { readFileSync } from 'node:fs';
import { parseCommandArgs } from './args';
import { UsageError, type CliCommand, type CliIo } from './command';
import { initBackend, BACKEND_NAMES, type BackendName } from '../tensor';
import { createModelServer, loadServedModel, type ModelServer } from '../serve';

const USAGE = `usage: rlvr serve-model FOLDER [--tokenizer PATH] [--name ID] [--host H] [--port P] [--chat-template FILE]
                        [--api-key KEY] [--max-tokens N] [--max-body-bytes N] [--seed S] [--backend B]

  Serves the checkpoint in FOLDER (config.json + model.safetensors: an organism GPT or a Hugging Face
  Qwen2 / Llama 3 / OLMo 2) behind an OpenAI-compatible API until Ctrl-C:
    POST /v1/completions, POST /v1/chat/completions (n, temperature, top_p, max_tokens, stop, seed,
    include_stop_str_in_output), GET /v1/models, GET /health.
  Prints "listening on URL" (URL ends in /v1; pass it to rlvr eval --endpoint).

  --tokenizer       tokenizer.json, char-tokenizer.json, or a folder with one (default: FOLDER)
  --name            model id clients must send (default: FOLDER's name)
  --host            default 127.0.0.1 (use 0.0.0.0 to serve other machines)
  --port            default 8000; 0 picks a free port
  --chat-template   a Jinja chat template file (default: the tokenizer's own; without one chat requests get 400)
  --api-key         require "Authorization: Bearer KEY"
  --max-tokens      max_tokens when a request gives none (default 256)
  --max-body-bytes  largest request body (default 1048576)
  --seed            seed of sampled requests that bring none (request k uses seed + k; default 0)
  --backend         tfjs backend: ${BACKEND_NAMES.join(', ')} (default: $RLVR_BACKEND, else the best available)
`;

function intOption(name: string, v: string | undefined, min: number): number | undefined {
  if (v === undefined) return undefined;
  const n = Number(v);
  if (!Number.isInteger(n) || n < min) throw new UsageError(`--${name} must be an integer >= ${min}, received "${v}"`);
  return n;
}

/** Parses the arguments, loads the model and starts listening; returns the running server. */
export async function startServeModel(argv: string[], io: CliIo): Promise<{ server: ModelServer; url: string }> {
  const { values, positionals } = parseCommandArgs(argv, {
    tokenizer: { type: 'string' },
    name: { type: 'string' },
    host: { type: 'string', default: '127.0.0.1' },
    port: { type: 'string', default: '8000' },
    'chat-template': { type: 'string' },
    'api-key': { type: 'string' },
    'max-tokens': { type: 'string' },
    'max-body-bytes': { type: 'string' },
    seed: { type: 'string' },
    backend: { type: 'string' },
  });
  if (positionals.length !== 1) throw new UsageError(positionals.length === 0 ? 'missing FOLDER (a checkpoint folder)' : `expected one FOLDER, received ${positionals.length}`);
  const port = intOption('port', values.port as string, 0) as number;
  if (port > 65535) throw new UsageError(`--port must be at most 65535, received ${port}`);
  const backend = values.backend as string | undefined;
  if (backend !== undefined && !(BACKEND_NAMES as readonly string[]).includes(backend)) throw new UsageError(`--backend must be one of ${BACKEND_NAMES.join(', ')}, received "${backend}"`);
  const report = await initBackend(backend === undefined ? {} : { backend: backend as BackendName });
  const chatFile = values['chat-template'] as string | undefined;
  const served = loadServedModel(positionals[0], {
    tokenizer: values.tokenizer as string | undefined,
    id: values.name as string | undefined,
    chatTemplate: chatFile === undefined ? undefined : readFileSync(chatFile, 'utf8'),
  });
  const server = createModelServer(served, {
    apiKey: values['api-key'] as string | undefined,
    defaultMaxTokens: intOption('max-tokens', values['max-tokens'] as string | undefined, 1),
    maxBodyBytes: intOption('max-body-bytes', values['max-body-bytes'] as string | undefined, 1),
    seed: intOption('seed', values.seed as string | undefined, 0),
    log: (line) => io.err(`${line}\n`),
  });
  const { url } = await server.listen(port, values.host as string);
  io.out(`serving "${served.id}" (${served.model.config.arch}, vocab ${served.model.config.vocabSize}, tokenizer ${served.tokenizer.source}, backend ${report.chosen})\nlistening on ${url}\n`);
  return { server, url };
}

export const serveModelCommand: CliCommand = {
  name: 'serve-model',
  summary: 'serve a checkpoint behind an OpenAI-compatible API (completions, chat, models, health)',
  usage: USAGE,
  async run(argv, io) {
    const { server } = await startServeModel(argv, io);
    await new Promise<void>((resolve) => {
      const stop = (): void => {
        process.off('SIGINT', stop);
        process.off('SIGTERM', stop);
        resolve();
      };
      process.on('SIGINT', stop);
      process.on('SIGTERM', stop);
    });
    await server.close();
    io.err('rlvr serve-model: stopped\n');
    return 0;
  },
};
