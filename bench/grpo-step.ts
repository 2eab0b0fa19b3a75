// Seconds per GRPO step on a causal LM and its split (sampling, scoring, update = old log-probs +
// optimizer steps): a d128 / 4-layer organism GPT, 16 prompts × 8 samples × 64 new tokens, the
// authors' 8 minibatches, one epoch. The model is freshly initialised and EOS is switched off, so
// every completion runs the full 64 tokens (8,192 completion tokens per step).
import { initBackend, type BackendName } from '../lib/tensor';
import { createGpt } from '../lib/models';
import {
  buildRewards, OPTIMIZERS, createToyTask, grpoStep, resolveTrainConfig, TOY_DEFAULTS, updatesPerStep,
  toyTokenizer, type TrainState, type TrainTask,
} from '../lib/grpo';

export interface GrpoStepBenchRow {
  backend: BackendName;
  /** Median seconds per rollout batch and its parts. */
  stepS: number;
  sampleS: number;
  scoreS: number;
  updateS: number;
  /** Completion tokens per step (mean). */
  tokens: number;
}

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

export async function run(log: (line: string) => void = console.log, backends: BackendName[] = ['wasm'], reps = 3): Promise<GrpoStepBenchRow[]> {
  const rows: GrpoStepBenchRow[] = [];
  for (const backend of backends) {
    await initBackend({ backend });
    const cfg = resolveTrainConfig({
      runDir: 'unused', seed: 1, steps: reps + 1, reward: 'math', verifierDeadlineMs: 100,
      algo: { groupSize: 8, promptsPerRollout: 16, minibatches: 8, microBatchSize: 4 },
      sampling: { maxNewTokens: 64 }, task: { warmStartSteps: 0 },
    });
    const toy = createToyTask({ ...TOY_DEFAULTS, warmStartSteps: 0 });
    const task: TrainTask = {
      ...toy,
      eosIds: [], // no EOS: every completion runs the full 64 new tokens

      initialModel: (seed) => createGpt({ vocabSize: toyTokenizer().vocabSize, dModel: 128, nLayers: 4, nHeads: 4, contextLength: 80, seed }),
    };
    const model = task.initialModel(1);
    const params = model.parameters();
    const names = Object.keys(params);
    const state: TrainState = {
      model, reference: null, step: 0, optStep: 0,
      optimizer: OPTIMIZERS.adam(names.map((n) => params[n]), cfg.algo, names),
    };
    const ctx = { cfg, task, rewards: buildRewards(cfg.reward, cfg.verifierMode, 100) };
    const total = cfg.steps * updatesPerStep(cfg);
    const t: { step: number; sample: number; score: number; update: number; tokens: number }[] = [];
    for (let i = 0; i <= reps; i++) {
      const t0 = performance.now();
      const r = await grpoStep(state, ctx, total);
      const x = r.rollouts[0];
      if (i > 0) t.push({ step: (performance.now() - t0) / 1000, sample: x.timeSampleS, score: x.timeScoreS, update: x.timeUpdateS, tokens: x.responseLengthMean * x.responses });
      log(`${backend} step ${i}${i === 0 ? ' (warm-up)' : ''}: ${((performance.now() - t0) / 1000).toFixed(2)} s = sample ${x.timeSampleS.toFixed(2)} + score ${x.timeScoreS.toFixed(2)} + update ${x.timeUpdateS.toFixed(2)}; ${(x.responseLengthMean * x.responses).toFixed(0)} completion tokens`);
    }
    state.optimizer.dispose();
    model.dispose();
    const row: GrpoStepBenchRow = {
      backend, stepS: median(t.map((x) => x.step)), sampleS: median(t.map((x) => x.sample)),
      scoreS: median(t.map((x) => x.score)), updateS: median(t.map((x) => x.update)), tokens: median(t.map((x) => x.tokens)),
    };
    rows.push(row);
    log(`${backend} GRPO step, d128 L4, 16 prompts × 8 × 64 new tokens, 8 minibatches: median ${row.stepS.toFixed(2)} s `
      + `(sampling ${row.sampleS.toFixed(2)}, scoring ${row.scoreS.toFixed(3)}, update ${row.updateS.toFixed(2)})`);
  }
  return rows;
}
