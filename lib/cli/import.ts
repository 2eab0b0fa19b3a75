// `rlvr import`: bring a training run of OpenRLHF, verl or TRL back as our two tables (lib/import):
// per-step metrics and per-completion rollouts, with the column names our trainer logs.
import type { CliCommand } from './command';
import { UsageError } from './command';
import { parseCommandArgs } from './args';
import { writeFileAtomic } from '../util';
import { ENGINE_FORMATS, importEngineFiles, type Engine, type MetricRow } from '../import';
import type { VerifierMode } from '../verifier';

const USAGE = `usage: rlvr import --engine openrlhf|verl|trl FILE... [--grade strict|authors]
                   [--metrics-out FILE.jsonl] [--rollouts-out FILE.jsonl]

Reads an engine's logs (JSON lines; TRL's trainer_state.json too) and prints a per-step summary.
A file may mix metric lines and rollout lines (docs/reward-service.md, "Bringing results back"):
  openrlhf  metrics: wandb-style {"train/global_step", "train/reward", "train/ppo_clip_ratio", ...}
            rollouts: {"global_step", "prompt", "response" | "query", "reward", "label"?}
  verl      metrics: VERL_FILE_LOGGER_PATH lines {"step", "data": {"critic/score/mean", ...}}
            rollouts: trainer.rollout_data_dir/<step>.jsonl {"input", "output", "gts", "score", "step"}
  trl       metrics: log_history entries {"step", "reward", "clip_ratio/low_mean", ...}
            rollouts: completions rows {"step", "prompt", "completion", "reward"}

Options:
  --engine E            openrlhf, verl or trl
  --grade MODE          re-grade rollouts that have a label but no correctness field with the
                        math verifier (strict or authors), filling "correct"
  --metrics-out FILE    write the metrics table as JSON lines (columns of lib/import/schema.ts)
  --rollouts-out FILE   write the rollouts table as JSON lines
`;

export const importCommand: CliCommand = {
  name: 'import',
  summary: 'import OpenRLHF / verl / TRL training logs as our metrics and rollouts tables',
  usage: USAGE,
  async run(argv, io) {
    const { values, positionals } = parseCommandArgs(argv, {
      engine: { type: 'string' },
      grade: { type: 'string' },
      'metrics-out': { type: 'string' },
      'rollouts-out': { type: 'string' },
    });
    const engine = values.engine as Engine | undefined;
    if (!engine || !Object.prototype.hasOwnProperty.call(ENGINE_FORMATS, engine)) {
      throw new UsageError(`--engine must be one of ${Object.keys(ENGINE_FORMATS).join(', ')}, received ${values.engine === undefined ? 'nothing' : `"${values.engine}"`}`);
    }
    const grade = values.grade as VerifierMode | undefined;
    if (grade !== undefined && grade !== 'strict' && grade !== 'authors') throw new UsageError(`--grade must be strict or authors, received "${values.grade}"`);
    if (positionals.length === 0) throw new UsageError('expected at least one FILE');

    const r = importEngineFiles(engine, positionals, { grade });
    const metricsOut = values['metrics-out'];
    const rolloutsOut = values['rollouts-out'];
    if (metricsOut) writeFileAtomic(metricsOut, jsonl(r.metricRows));
    if (rolloutsOut) writeFileAtomic(rolloutsOut, jsonl(r.rolloutRows));

    const correct = r.rolloutRows.filter((x) => x.correct !== null);
    const lines = [
      `${engine}: ${positionals.length} file(s), ${r.metricRows.length} step(s), ${r.rolloutRows.length} rollout(s)` +
        (correct.length ? `, ${correct.length} with correctness (accuracy ${(correct.filter((x) => x.correct).length / correct.length).toFixed(4)})` : ''),
      r.unmappedKeys.length ? `unmapped metric keys (kept out of the table): ${r.unmappedKeys.join(', ')}` : 'every metric key mapped',
      summary(r.metricRows),
      ...(metricsOut ? [`wrote ${metricsOut}`] : []),
      ...(rolloutsOut ? [`wrote ${rolloutsOut}`] : []),
    ];
    io.out(lines.join('\n') + '\n');
    return 0;
  },
};

function jsonl(rows: readonly object[]): string {
  return rows.map((x) => JSON.stringify(x)).join('\n') + (rows.length ? '\n' : '');
}

/** A short per-step table: step, reward, clip fraction, code fraction (first and last 5 steps). */
function summary(rows: readonly MetricRow[]): string {
  if (rows.length === 0) return '(no steps)';
  const f = (x: number | null) => (x === null ? '-' : x.toFixed(4));
  const shown = rows.length <= 10 ? rows : [...rows.slice(0, 5), null, ...rows.slice(-5)];
  const body = shown.map((m) => (m === null ? '  ...' : `  ${String(m.step).padStart(6)}  ${f(m.rewardMean).padStart(8)}  ${f(m.clipFrac).padStart(8)}  ${f(m.codeFrac).padStart(8)}`));
  return [`    step    reward  clipFrac  codeFrac`, ...body].join('\n');
}
