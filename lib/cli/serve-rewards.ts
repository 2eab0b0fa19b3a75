// `rlvr serve-rewards`: the paper's rewards as an HTTP service speaking OpenRLHF's remote reward
// protocol (lib/reward-service, docs/reward-service.md). Runs until SIGINT/SIGTERM, then shuts down
// gracefully: stops accepting, finishes in-flight requests, exits 0.
import type { CliCommand } from './command';
import { UsageError } from './command';
import { parseCommandArgs } from './args';
import { createRewardService, type PrefixMismatch, type RewardService } from '../reward-service';
import type { VerifierMode } from '../verifier';

const USAGE = `usage: rlvr serve-rewards --reward NAME [--mode strict|authors] [--port 5000] [--host 127.0.0.1]
                          [--seed N] [--workers N] [--max-body-mb MB] [--deadline-ms MS]
                          [--strip-token TEXT ...] [--prefix-mismatch error|whole-query]
                          [--group-size N] [--group-timeout-s S]

Serves a reward of the paper (as the authors' code/ttrl/verifier/ implements it) over HTTP until
SIGINT/SIGTERM.
  POST /get_reward  OpenRLHF --remote_rm_url / --reward.remote_url: {query, prompts, labels}
                    -> {rewards, scores, extra_logs}; completion = query minus the prompts[i] prefix
  POST /score       {completions, prompts?, labels?, groups?} -> the same (verl and TRL adapters)
  GET  /health      {"status":"ok", ...}
Requests may add "reward", "mode", "seed", "groups", "group_size", "wait_for_group" and "step"
(docs/reward-service.md §2).

Options:
  --reward NAME          default reward, the authors' grammar (math, random0.5, box_only_format, ttt, ...)
  --mode M               verifier mode of math/ttt: strict (default) or authors
  --port P               default 5000 (0 = any free port)
  --host H               default 127.0.0.1; use 0.0.0.0 only on a trusted network
  --seed N               root seed of random rewards (default 0); each group's draws come from
                         the seed and the hash of its prompt, label and completions
  --workers N            scoring threads (default 2; 0 = score on the server thread)
  --max-body-mb MB       largest request body (default 64)
  --deadline-ms MS       verifier budget per math verification (default 2000)
  --strip-token TEXT     remove TEXT from queries and prompts first (repeatable), e.g. a pad token
  --prefix-mismatch W    when prompts[i] does not prefix query[i]: error (422, default) or
                         whole-query (score the whole query)
  --group-size N         completions per prompt (the engine's samples per prompt); required by
                         rewards that vote within a group (ttt): their requests wait until all N
                         completions of a prompt have arrived, then every one is answered
  --group-timeout-s S    how long an incomplete group waits before its requests get 422 (default 300)
`;

export const serveRewardsCommand: CliCommand = {
  name: 'serve-rewards',
  summary: 'serve a paper reward over HTTP (OpenRLHF remote reward protocol; verl/TRL adapters)',
  usage: USAGE,
  async run(argv, io) {
    const { values, positionals } = parseCommandArgs(argv, {
      reward: { type: 'string' },
      mode: { type: 'string' },
      port: { type: 'string' },
      host: { type: 'string' },
      seed: { type: 'string' },
      workers: { type: 'string' },
      'max-body-mb': { type: 'string' },
      'deadline-ms': { type: 'string' },
      'strip-token': { type: 'string', multiple: true },
      'prefix-mismatch': { type: 'string' },
      'group-size': { type: 'string' },
      'group-timeout-s': { type: 'string' },
    });
    if (positionals.length > 0) throw new UsageError(`unexpected argument "${positionals[0]}"`);
    if (!values.reward) throw new UsageError('--reward NAME is required');
    const mode = (values.mode ?? 'strict') as VerifierMode;
    if (mode !== 'strict' && mode !== 'authors') throw new UsageError(`--mode must be strict or authors, received "${values.mode}"`);
    const port = intOption('--port', values.port, 5000, 0, 65535);
    const seed = intOption('--seed', values.seed, 0, Number.MIN_SAFE_INTEGER, Number.MAX_SAFE_INTEGER);
    const workers = intOption('--workers', values.workers, 2, 0, 64);
    const maxBodyMb = values['max-body-mb'] === undefined ? 64 : Number(values['max-body-mb']);
    if (!(maxBodyMb > 0)) throw new UsageError(`--max-body-mb must be a positive number, received "${values['max-body-mb']}"`);
    const deadlineMs = values['deadline-ms'] === undefined ? undefined : Number(values['deadline-ms']);
    if (deadlineMs !== undefined && !(deadlineMs > 0)) throw new UsageError(`--deadline-ms must be a positive number, received "${values['deadline-ms']}"`);
    const prefixMismatch = (values['prefix-mismatch'] ?? 'error') as PrefixMismatch;
    if (prefixMismatch !== 'error' && prefixMismatch !== 'whole-query') throw new UsageError(`--prefix-mismatch must be error or whole-query, received "${values['prefix-mismatch']}"`);

    const groupSize = values['group-size'] === undefined ? undefined : intOption('--group-size', values['group-size'], 0, 1, 65536);
    const groupTimeoutS = values['group-timeout-s'] === undefined ? undefined : Number(values['group-timeout-s']);
    if (groupTimeoutS !== undefined && !(groupTimeoutS > 0)) throw new UsageError(`--group-timeout-s must be a positive number, received "${values['group-timeout-s']}"`);

    let service: RewardService;
    try {
      service = await createRewardService({
        reward: values.reward, mode, seed, workers, deadlineMs, prefixMismatch, groupSize,
        groupTimeoutMs: groupTimeoutS === undefined ? undefined : groupTimeoutS * 1000,
        maxBodyBytes: Math.floor(maxBodyMb * 1024 * 1024),
        stripTokens: values['strip-token'] ?? [],
      }, { log: (line) => io.err(line + '\n') });
    } catch (e) {
      throw new UsageError(`--reward: ${(e as Error).message}`);
    }
    const addr = await service.listen(port, values.host ?? '127.0.0.1');
    const host = addr.family === 'IPv6' ? `[${addr.address}]` : addr.address;
    const groups = groupSize === undefined ? '' : `, groups of ${groupSize}`;
    io.out(`serving ${values.reward} (${mode}, seed ${seed}, ${workers} scoring thread(s)${groups}) on http://${host}:${addr.port}/get_reward\n`);

    await new Promise<void>((resolve) => {
      const stop = (signal: string) => {
        io.err(`${signal}: finishing in-flight requests\n`);
        process.off('SIGINT', onInt);
        process.off('SIGTERM', onTerm);
        service.close().then(resolve, resolve);
      };
      const onInt = () => stop('SIGINT');
      const onTerm = () => stop('SIGTERM');
      process.on('SIGINT', onInt);
      process.on('SIGTERM', onTerm);
    });
    const s = service.stats();
    io.out(`stopped after ${s.requests} scoring request(s), ${s.completions} completion(s), ${s.clientErrors} client error(s), ${s.serverErrors} server error(s)\n`);
    return 0;
  },
};

function intOption(flag: string, raw: string | undefined, dflt: number, min: number, max: number): number {
  if (raw === undefined) return dflt;
  const v = Number(raw);
  if (!Number.isInteger(v) || v < min || v > max) throw new UsageError(`${flag} must be an integer in [${min}, ${max}], received "${raw}"`);
  return v;
}
