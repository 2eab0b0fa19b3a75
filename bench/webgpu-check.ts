// The WebGPU backend's correctness, checked against cpu in one process (bench/gpu-check.sh runs
// it on the device machine; it needs the optional `webgpu` and tfjs-backend-webgpu packages and
// a GPU adapter). A small GPT is built and saved on cpu, reloaded on WebGPU, and compared:
// logits and next-token log-probs (relative error), greedy generations (identical tokens),
// seeded sampling (the same seed twice gives the same tokens), one optimizer step, and a
// 2-step GRPO run on the toy task with a checkpoint (every asynchronous read path).
// Prints one PASS/FAIL line per check; exits 1 if any fails.
//   node --import tsx bench/webgpu-check.ts [backend]   (default webgpu; any other name checks that backend the same way)
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { initBackend, type BackendName } from '../lib/tensor';
import { createGpt, loadCheckpoint, saveCheckpoint, type CausalLM } from '../lib/models';
import { generate } from '../lib/sampling';
import { OPTIMIZERS, optimizerStepAsync, train } from '../lib/grpo';
import { finishProcess } from '../lib/util';

const PROMPTS = [[1, 5, 9, 2], [3, 3], [7, 1, 4, 4, 8, 2]];

interface Outputs {
  logits: Float32Array;
  logProbs: Float32Array;
  greedy: number[][];
  sampled: number[][];
}

async function outputs(m: CausalLM): Promise<Outputs> {
  const ids = tf.tensor2d([[1, 5, 9, 2, 6, 6, 0, 3], [4, 4, 4, 2, 8, 1, 1, 9]], [2, 8], 'int32');
  const y = m.forward(ids);
  const lp = m.tokenLogProbs(ids, null);
  const logits = (await y.data()) as Float32Array;
  const logProbs = (await lp.data()) as Float32Array;
  tf.dispose([ids, y, lp]);
  const greedy = (await generate(m, PROMPTS, { maxNewTokens: 12, temperature: 0 })).sequences.map((g) => g.tokens);
  const sampled = (await generate(m, PROMPTS, { maxNewTokens: 12, temperature: 1, seed: 7 })).sequences.map((g) => g.tokens);
  return { logits, logProbs, greedy, sampled };
}

function relErr(a: Float32Array, b: Float32Array): number {
  let num = 0, den = 0;
  for (let i = 0; i < a.length; i++) { num = Math.max(num, Math.abs(a[i] - b[i])); den = Math.max(den, Math.abs(b[i])); }
  return num / den;
}

async function main(target: BackendName): Promise<number> {
  let failed = 0;
  const check = (name: string, ok: boolean, detail: string): void => {
    if (!ok) failed++;
    console.log(`${ok ? 'PASS' : 'FAIL'} ${name}: ${detail}`);
  };
  const dir = mkdtempSync(join(tmpdir(), 'webgpu-check-'));
  try {
    await initBackend({ backend: 'cpu' });
    const src = createGpt({ vocabSize: 32, dModel: 64, nLayers: 2, nHeads: 4, contextLength: 64, seed: 3, initStd: 0.3 });
    const want = await outputs(src);
    await saveCheckpoint(src, join(dir, 'gpt'));
    src.dispose();

    const report = await initBackend({ backend: target });
    console.log(`backend ${report.chosen}`);
    const m = loadCheckpoint(join(dir, 'gpt'));
    const got = await outputs(m);
    const le = relErr(got.logits, want.logits);
    check('logits vs cpu', le < 1e-4, `max abs diff / max |logit| = ${le.toExponential(2)}`);
    const pe = relErr(got.logProbs, want.logProbs);
    check('next-token log-probs vs cpu', pe < 1e-4, `relative error ${pe.toExponential(2)}`);
    check('greedy generations vs cpu', JSON.stringify(got.greedy) === JSON.stringify(want.greedy), JSON.stringify(got.greedy));
    const again = (await generate(m, PROMPTS, { maxNewTokens: 12, temperature: 1, seed: 7 })).sequences.map((g) => g.tokens);
    check('seeded sampling repeats', JSON.stringify(again) === JSON.stringify(got.sampled), `${JSON.stringify(got.sampled) === JSON.stringify(want.sampled) ? 'also equal to cpu' : 'differs from cpu (float rounding can flip a draw)'}`);

    const vars = Object.values(m.parameters());
    const opt = OPTIMIZERS.adam(vars, { adamBeta1: 0.9, adamBeta2: 0.999, adamEps: 1e-8, weightDecay: 0 });
    const ids = tf.tensor2d([[1, 5, 9, 2, 6, 6, 0, 3]], [1, 8], 'int32');
    const metrics = await optimizerStepAsync(opt, vars, () => {
      const loss = tf.neg(tf.mean(m.tokenLogProbs(ids, null))) as tf.Scalar;
      return { loss, metrics: { loss } };
    }, { lr: 1e-3, maxGradNorm: 1 });
    check('optimizer step', Number.isFinite(metrics.loss) && metrics.gradNorm > 0, `loss ${metrics.loss.toFixed(4)}, grad norm ${metrics.gradNorm.toFixed(4)}`);
    tf.dispose(ids);
    opt.dispose();
    m.dispose();

    const t0 = performance.now();
    const run = await train({
      runDir: join(dir, 'run'), seed: 1, steps: 2, preset: 'authors', reward: 'math', checkpointEvery: 1,
      algo: { groupSize: 4, promptsPerRollout: 4, minibatches: 2, optimizer: 'adam', lr: 1e-3 },
      task: { kind: 'toy', op: 'copy', warmStartSteps: 20 },
      sampling: { maxNewTokens: 8, temperature: 1 },
    });
    const ok = run.step === 2 && run.lastRollouts.length > 0 && Number.isFinite(run.lastRollouts[0].rewardMean);
    check('GRPO toy run, 2 steps with checkpoints', ok, `step ${run.step}, reward ${run.lastRollouts[0]?.rewardMean}, ${((performance.now() - t0) / 1000).toFixed(1)} s`);
    run.model.dispose();
  } catch (err) {
    failed++;
    console.log(`FAIL (threw) ${(err as Error).stack ?? err}`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  return failed === 0 ? 0 : 1;
}

main((process.argv[2] ?? 'webgpu') as BackendName).then(finishProcess);
