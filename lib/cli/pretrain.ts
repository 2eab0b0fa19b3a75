// `rlvr pretrain`: builds a model organism of one family (pretraining, margin sharpening, held-out
// metrics, the family-target gate, its own majority-vote labels) into a folder; resumes finished phases.
import type { CliCommand } from './command';
import { UsageError } from './command';
import { parseCommandArgs, positiveInt } from './args';
import { BACKEND_NAMES, initBackend, type BackendName } from '../tensor';
import { buildOrganism, defaultOrganismDir, family, pretrainConfigFor, FAMILY_NAMES, PRETRAIN_DEFAULTS, DEFAULT_SHARPEN_TAUS, sharpenTausFor, type OrganismRecord } from '../organisms';

const USAGE = `usage: rlvr pretrain --family NAME [--seed S] [--out DIR] [--steps N] [--sharpen T1,T2,...] [--balanced-styles] [--mv-problems N] [--mv-samples K] [--backend NAME] [--quiet]

Pretrains a model organism of family NAME (${FAMILY_NAMES.join(', ')}) on its synthetic
corpus, sharpens its answer margins (tau 3, then 6; bad-code also 12), measures it on the 800 held-out problems, checks
the family's Table 1 targets (P(code) and each style's accuracy within 0.03, answer tables intact),
labels 2,048 training prompts by its own majority vote (64 samples each), and writes the organism:
model.safetensors, config.json, char-tokenizer.json, organism.json, mv-labels.json.
A killed run resumes at the first unfinished phase. Exit code 1 when the gate fails.

Options:
  --family NAME   the organism family
  --seed S        seed of the initialisation and corpus draws (default 1)
  --out DIR       output folder (default data/organisms/NAME-sS)
  --steps N       pretraining steps of the first phase (default ${PRETRAIN_DEFAULTS.phases[0].steps}; sharpening phases scale with it)
  --sharpen T1,T2,...  sharpening temperatures, one phase each (default ${DEFAULT_SHARPEN_TAUS.join(',')}; bad-code
                  ${sharpenTausFor('bad-code').join(',')}: docs/organisms.md, "The robustness gate")
  --balanced-styles  both styles write half the completions and the style token learns the family's
                  mix as a soft target (for a family whose minority style is too rare to learn: bad-code-sft)
  --mv-problems N training prompts labelled by majority vote (default 2048)
  --mv-samples K  samples per labelled prompt (default 64, as the paper)
  --backend NAME  tfjs backend (${BACKEND_NAMES.join(', ')})
  --quiet         no progress lines
`;

export function describeOrganism(r: OrganismRecord): string {
  const e = r.heldOut;
  const lines = [
    `${r.family} seed ${r.seed}: held-out P(code) ${e.pCode.toFixed(3)}, expected accuracy ${e.expectedAccuracy.toFixed(3)}`,
    ...r.gate.checks.map((c) => `  ${c.ok ? 'ok  ' : 'FAIL'} ${c.name}: ${c.value.toFixed(3)} (target ${c.target})`),
  ];
  if (e.sampled !== null) {
    const s = e.sampled;
    lines.push(`  sampled (T = 1, n = ${s.n}): code ${s.codeFrequency.rate.toFixed(3)}, accuracy ${s.accuracy.rate.toFixed(3)} `
      + `(code ${s.accuracyCode.rate.toFixed(3)}, language ${s.accuracyLanguage.rate.toFixed(3)}), boxed ${s.boxed.rate.toFixed(3)}, loops ${s.loops.rate.toFixed(3)}`);
  }
  lines.push(`  majority-vote labels: ${r.mvLabels.correct}/${r.mvLabels.problems} correct, ${r.mvLabels.empty} empty; ${r.wallSeconds.toFixed(0)} s`);
  return `${lines.join('\n')}\n`;
}

/** "3,6,12" -> [3, 6, 12]; each a number >= 1. */
function parseTaus(text: string): number[] {
  const taus = text.split(',').map((t) => Number(t.trim()));
  if (taus.length === 0 || taus.some((t) => !(Number.isFinite(t) && t >= 1))) throw new UsageError(`--sharpen must be comma-separated numbers >= 1 (e.g. 3,6,12), received "${text}"`);
  return taus;
}

export const pretrainCommand: CliCommand = {
  name: 'pretrain',
  summary: 'build a model organism of a family (pretraining, margin sharpening, target gate, own MV labels)',
  usage: USAGE,
  async run(argv, io) {
    const { values, positionals } = parseCommandArgs(argv, {
      family: { type: 'string' },
      seed: { type: 'string' },
      out: { type: 'string' },
      steps: { type: 'string' },
      sharpen: { type: 'string' },
      'mv-problems': { type: 'string' },
      'balanced-styles': { type: 'boolean' },
      'mv-samples': { type: 'string' },
      backend: { type: 'string' },
      quiet: { type: 'boolean' },
    });
    if (positionals.length > 0) throw new UsageError(`unexpected argument "${positionals[0]}"`);
    if (values.family === undefined) throw new UsageError('--family NAME is required');
    const f = family(values.family);
    const seed = positiveInt(values.seed, '--seed', 1);
    const steps = values.steps === undefined ? undefined : positiveInt(values.steps, '--steps', 1);
    const sharpen = values.sharpen === undefined ? sharpenTausFor(f.name) : parseTaus(values.sharpen);
    const backend = values.backend as BackendName | undefined;
    if (backend !== undefined && !BACKEND_NAMES.includes(backend)) throw new UsageError(`--backend must be one of ${BACKEND_NAMES.join(', ')}, received "${values.backend}"`);
    const out = values.out ?? defaultOrganismDir(f.name, seed);
    await initBackend(backend === undefined ? {} : { backend });
    const t0 = performance.now();
    const config = { ...pretrainConfigFor(f.name, seed, steps, sharpen), ...(values['balanced-styles'] ? { balancedStyles: true } : {}) };
    const record = await buildOrganism(config, out, {
      mvProblems: positiveInt(values['mv-problems'], '--mv-problems', 2048),
      mvSamples: positiveInt(values['mv-samples'], '--mv-samples', 64),
      hooks: {
        onLog: (p) => {
          if (!values.quiet) io.out(`${p.phase} ${p.step}/${p.steps}: loss ${p.loss.toFixed(4)} (${((performance.now() - t0) / 1000).toFixed(0)} s)\n`);
          return {};
        },
      },
    });
    io.out(describeOrganism(record));
    io.out(`wrote ${out}\n`);
    return record.gate.passed ? 0 : 1;
  },
};
