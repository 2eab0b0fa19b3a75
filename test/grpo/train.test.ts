// The GRPO loop on a tiny causal LM (lib/grpo train): ratio exactly 1 on the first minibatch,
// every metric field logged, the on-policy control, run-directory files, and config checks.
import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { fromArrow } from 'arquero';
import { initBackend } from '../../lib/tensor';
import { main } from '../../lib/cli/main';
import { METRIC_COLUMNS } from '../../lib/import';
import {
  metricRows, OPTIMIZERS, readRecords, resolveGrpoConfig, resolveTrainConfig, resumeTraining, train, truncateRecords,
  type RolloutRecord, type StepRecord,
} from '../../lib/grpo';

before(async () => {
  await initBackend({ backend: 'wasm' });
});

const tmp = (): string => mkdtempSync(join(tmpdir(), 'rlvr-train-'));

/** A tiny run: d32 L1, 4 prompts × 4 samples, 4 minibatches, short warm-start. */
function tinyConfig(runDir: string, extra: Record<string, unknown> = {}, algo: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    runDir, seed: 7, steps: 2, checkpointEvery: 1, samplesPerRollout: 3,
    algo: { groupSize: 4, promptsPerRollout: 4, minibatches: 4, microBatchSize: 2, whitenGlobally: true, optimizer: 'adam', lr: 0.003, ...algo },
    task: { warmStartSteps: 20 },
    sampling: { maxNewTokens: 10 },
    ...extra,
  };
}

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? filesUnder(join(dir, e.name)).map((f) => join(e.name, f)) : [e.name]));
}

const STEP_FIELDS: (keyof StepRecord)[] = [
  'step', 'optStep', 'epoch', 'minibatch', 'clipFracLow', 'clipFracHigh', 'clipFracLowFirstToken', 'clipFracHighFirstToken',
  'clipFracDual', 'approxKl', 'ratioMean', 'ratioMin', 'ratioMax', 'ratioMaxAbsDev', 'entropy', 'policyLoss', 'loss', 'gradNorm', 'lr',
  'rows', 'rowsKept',
];
const ROLLOUT_FIELDS: (keyof RolloutRecord)[] = [
  'step', 'rollout', 'dataPosition', 'rewardMean', 'rewardStd', 'zeroStdFrac', 'keptFrac', 'advMean', 'advStd', 'advMin', 'advMax',
  'whitenMu', 'whitenSigma', 'advMeanFinal', 'advStdFinal', 'advMinFinal', 'advMaxFinal', 'accuracy', 'codeFrac',
  'responseLengthMean', 'responseLengthMax', 'truncatedFrac', 'timeSampleS', 'timeScoreS', 'timeUpdateS',
];

test('a real LM step: ratio exactly 1 on the first minibatch, every metric logged, files in place', async () => {
  const dir = tmp();
  try {
    const seen: number[] = [];
    const res = await train(tinyConfig(dir, { reward: 'math_AND_box_only_format' }, { klCoef: 0.05, entropyCoef: 0.01, epochs: 2 }), {
      onMetrics: (r) => seen.push(r.steps.length),
      progress: { update: (done) => seen.push(-done) },
    });
    res.model.dispose();
    assert.deepEqual(seen, [8, -1, 8, -2]); // 4 minibatches × 2 epochs per rollout batch; progress after each
    const steps = readRecords<StepRecord>(join(dir, 'steps.jsonl'));
    const rollouts = readRecords<RolloutRecord>(join(dir, 'rollouts.jsonl'));
    assert.equal(steps.length, 16);
    assert.equal(rollouts.length, 2);
    assert.deepEqual(steps.map((s) => s.optStep), [...Array(16).keys()]);
    for (const s of steps) {
      for (const f of [...STEP_FIELDS, 'klLoss'] as const) assert.equal(typeof s[f], 'number', `step field ${f}`);
      if (s.epoch === 0 && s.minibatch === 0) {
        assert.equal(s.ratioMaxAbsDev, 0, `step ${s.step}: old log-probs come from the same weights and rows`);
        assert.equal(s.approxKl, 0);
        assert.equal(s.clipFracLow + s.clipFracHigh, 0);
      }
    }
    assert.ok(steps.some((s) => s.ratioMaxAbsDev > 0), 'later minibatches see moved weights');
    assert.equal(steps[0].klLoss, 0, 'the reference is the initial policy');
    assert.ok(steps.slice(1).some((s) => s.klLoss !== 0), 'KL to the reference grows once the policy moves');
    assert.ok(steps.every((s) => s.gradNorm > 0 && s.entropy > 0 && s.lr === 0.003));
    for (const r of rollouts) {
      for (const f of ROLLOUT_FIELDS) assert.ok(f in r, `rollout field ${f}`);
      for (const c of ['math', 'box_only_format']) {
        assert.equal(typeof r[`reward/${c}/mean`], 'number', `component ${c}`);
        assert.equal(typeof r[`reward/${c}/std`], 'number');
      }
      assert.ok(r.rewardMean <= r['reward/box_only_format/mean'] + 1e-12, 'an AND is at most each part');
      assert.equal(typeof r.whitenMu, 'number');
      assert.equal(r.responses, 16);
      assert.ok(r.responseLengthMax <= 10 && r.responseLengthMean > 0);
    }
    const samples = readRecords<{ step: number; completion: string; advantage: number; components: Record<string, number> }>(join(dir, 'samples.jsonl'));
    assert.equal(samples.length, 6);
    assert.deepEqual(Object.keys(samples[0].components), ['math', 'box_only_format']);
    // Arrow exports read back with arquero, one row per log line.
    assert.equal(fromArrow(readFileSync(join(dir, 'steps.arrow'))).numRows(), 16);
    assert.equal(fromArrow(readFileSync(join(dir, 'rollouts.arrow'))).numRows(), 2);
    // metrics.arrow: one row per rollout step in lib/import's shared schema.
    const metrics = fromArrow(readFileSync(join(dir, 'metrics.arrow')));
    assert.deepEqual(metrics.columnNames(), [...METRIC_COLUMNS]);
    const rows = metrics.objects() as Record<string, unknown>[];
    assert.deepEqual(rows.map((r) => [r.source, r.step]), [['rlvr', 0], ['rlvr', 1]]);
    rows.forEach((row, k) => {
      const own = steps.filter((s) => s.step === k);
      assert.equal(row.rewardMean, rollouts[k].rewardMean);
      assert.equal(row.codeFrac, rollouts[k].codeFrac);
      assert.ok(Math.abs((row.clipFrac as number) - own.reduce((a, s) => a + s.clipFracLow + s.clipFracHigh, 0) / own.length) < 1e-12);
      assert.ok(Math.abs((row.kl as number) - own.reduce((a, s) => a + (s.klLoss as number), 0) / own.length) < 1e-12);
    });
    const files = filesUnder(dir);
    for (const f of ['config.json', 'reference/model.safetensors', 'checkpoints/latest.json', 'checkpoints/step-000002/model.safetensors',
      'checkpoints/step-000002/optimizer.safetensors', 'checkpoints/step-000002/state.json']) assert.ok(files.includes(f), f);
    assert.deepEqual(files.filter((f) => f.includes('.tmp')), [], 'atomic writes leave no temp files');
    const state = JSON.parse(readFileSync(join(dir, 'checkpoints/step-000002/state.json'), 'utf8'));
    assert.deepEqual([state.step, state.optStep, state.dataPosition, state.optimizer.t], [2, 16, 8, 16]);
    const cfg = JSON.parse(readFileSync(join(dir, 'config.json'), 'utf8'));
    assert.equal(cfg.algo.klCoef, 0.05);
    assert.equal(cfg.algo.adamBeta2, 0.95, 'the resolved config holds every algo field');
    await assert.rejects(train(tinyConfig(dir)), /already holds a run/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('freshRolloutsPerMinibatch: same number of updates, every one on-policy', async () => {
  const dir = tmp();
  try {
    const res = await train(tinyConfig(dir, { freshRolloutsPerMinibatch: true, reward: 'random0.5', keepCheckpoints: 1 }));
    res.model.dispose();
    const steps = readRecords<StepRecord>(join(dir, 'steps.jsonl'));
    const rollouts = readRecords<RolloutRecord>(join(dir, 'rollouts.jsonl'));
    assert.equal(steps.length, 2 * 4);
    assert.equal(res.optStep, 8);
    assert.ok(steps.every((s) => s.ratioMaxAbsDev === 0 && s.rows === 4), 'each update uses its own fresh 1 prompt × 4 samples');
    assert.deepEqual(rollouts.map((r) => [r.step, r.rollout, r.responses]), [[0, 0, 4], [0, 1, 4], [0, 2, 4], [0, 3, 4], [1, 0, 4], [1, 1, 4], [1, 2, 4], [1, 3, 4]]);
    const [m0] = metricRows(rollouts, steps);
    assert.ok(Math.abs((m0.rewardMean as number) - rollouts.slice(0, 4).reduce((a, r) => a + r.rewardMean, 0) / 4) < 1e-12, 'one row pools the step\'s fresh rollouts');
    assert.equal(m0.kl, null, 'no KL term, no kl column value');
    assert.ok(steps.every((s) => !('klLoss' in s)));
    assert.deepEqual(readdirSync(join(dir, 'checkpoints')).sort(), ['latest.json', 'step-000002'], 'keepCheckpoints 1 keeps the newest only');
    assert.throws(() => resolveTrainConfig(tinyConfig(dir, { freshRolloutsPerMinibatch: true }, { promptsPerRollout: 2, minibatches: 4, groupSize: 8 })), /multiple of algo.minibatches/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('resolveTrainConfig: unknown keys name the closest, bad values name the field', async () => {
  assert.throws(() => resolveTrainConfig({ runDir: 'x', stpes: 3 }), /unknown key "stpes" \(did you mean "steps"\?\)/);
  assert.throws(() => resolveTrainConfig({ runDir: 'x', task: { maxOperant: 3 } }), /"task.maxOperand"/);
  assert.throws(() => resolveTrainConfig({ runDir: 'x', algo: { lrr: 1 } }), /algo: .*unknown key "lrr"/);
  assert.throws(() => resolveTrainConfig({ runDir: 'x', sampling: { temperature: 0 } }), /greedy/);
  assert.throws(() => resolveTrainConfig({ runDir: 'x', steps: 0 }), /field "steps" must be an integer >= 1/);
  const c = resolveTrainConfig({ runDir: 'x', preset: 'dr-grpo' });
  assert.equal(c.algo.aggregation, 'seq-mean-token-sum-norm');
  assert.ok(Object.isFrozen(c));
});

test('JSONL logs: a torn last line is dropped, records past a step are cut', async () => {
  const dir = tmp();
  try {
    const f = join(dir, 'log.jsonl');
    writeFileSync(f, '{"step":0}\n{"step":1}\n{"step":2}\n{"step":3,"x":');
    assert.deepEqual(readRecords(f), [{ step: 0 }, { step: 1 }, { step: 2 }]);
    truncateRecords(f, 2);
    assert.equal(readFileSync(f, 'utf8'), '{"step":0}\n{"step":1}\n');
    writeFileSync(f, '{"step":0}\nnot json\n{"step":1}\n');
    assert.throws(() => readRecords(f), /log.jsonl line 2: not valid JSON/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('optimisers export and import their state: a restored copy continues exactly', async () => {
  const cfg = resolveGrpoConfig('authors', { weightDecay: 0.1 });
  for (const name of ['adam', 'sgd'] as const) {
    const b = tf.variable(tf.tensor1d([0.5, -1, 2]));
    const c = tf.variable(tf.tensor1d([0.5, -1, 2]));
    const mine = OPTIMIZERS[name]([b], cfg, ['w']);
    const grads = [[0.1, -0.2, 0.3], [-0.5, 0.1, 0.0], [0.2, 0.2, -0.1]];
    for (const [i, g] of grads.entries()) {
      const t = tf.tensor1d(g);
      mine.apply([t], 0.01);
      if (i === 1) {
        // A fresh optimiser given the exported state continues from here exactly.
        c.assign(b);
        const copy = OPTIMIZERS[name]([c], cfg, ['w']);
        copy.importState(await mine.exportState());
        const t2 = tf.tensor1d(grads[2]);
        copy.apply([t2], 0.01);
        copy.dispose();
        t2.dispose();
      }
      t.dispose();
    }
    assert.deepEqual(Array.from(c.dataSync()), Array.from(b.dataSync()), `${name} restored state`);
    if (name === 'adam') {
      // Without the imported moments the next update differs, so the state really is carried.
      const d = tf.variable(tf.tensor1d([0.5, -1, 2]));
      const fresh = OPTIMIZERS.adam([d], cfg, ['w']);
      fresh.apply([tf.tensor1d(grads[0])], 0.01);
      assert.notDeepEqual(Array.from(d.dataSync()), Array.from(b.dataSync()));
      fresh.dispose();
      d.dispose();
    }
    assert.throws(() => mine.importState({ name: name === 'adam' ? 'sgd' : 'adam', t: 0, slots: {} }), /optimizer state is for/);
    const saved = await mine.exportState();
    if (name === 'adam') assert.throws(() => OPTIMIZERS.adam([c], cfg, ['other']).importState(saved), /no slot "m\/other"/);
    mine.dispose();
    tf.dispose([b, c]);
  }
});

test('rlvr train: usage errors name the problem', async () => {
  const run = async (argv: string[]): Promise<{ code: number; err: string }> => {
    let err = '';
    const code = await main(argv, { out: () => {}, err: (t) => { err += t; } });
    return { code, err };
  };
  assert.match((await run(['train'])).err, /exactly one of --config FILE or --resume RUN_DIR/);
  assert.equal((await run(['train', '--config', 'a.json', '--resume', 'b'])).code, 2);
  assert.match((await run(['train', '--resume', 'x', '--steps', '3'])).err, /a resumed run keeps its config/);
  const missing = await run(['train', '--config', join(tmpdir(), 'no-such-config.json')]);
  assert.equal(missing.code, 1);
  assert.match(missing.err, /no-such-config.json: cannot read/);
  const dir = tmp();
  try {
    const bad = await run(['train', '--resume', dir]);
    assert.match(bad.err, /config.json: cannot read/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('rlvr train: a bad reward name is refused before anything is written, naming the file and field; the fixed config then runs in the same runDir', async () => {
  const root = tmp();
  try {
    const runDir = join(root, 'run');
    const cfgFile = join(root, 'cfg.json');
    let out = '';
    let err = '';
    const io = { out: (t: string) => { out += t; }, err: (t: string) => { err += t; } };
    writeFileSync(cfgFile, JSON.stringify(tinyConfig(runDir, { steps: 1, reward: 'mathh' })));
    assert.equal(await main(['train', '--config', cfgFile, '--backend', 'wasm'], io), 1);
    assert.match(err, new RegExp(`${cfgFile.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: field "reward": reward "mathh" is not registered \\(did you mean "math"\\?\\)`));
    assert.deepEqual(readdirSync(root), ['cfg.json'], 'no run folder, no reference checkpoint');
    // A part of a compound name, and a name the grammar knows but this library cannot build, are refused the same way.
    assert.throws(() => resolveTrainConfig({ runDir, reward: 'math_AND_random2' }, 'c.json'), /c\.json: field "reward": reward "math_AND_random2": random rate must be in \[0, 1\]/);
    writeFileSync(cfgFile, JSON.stringify(tinyConfig(runDir, { steps: 1, reward: 'math' })));
    err = '';
    assert.equal(await main(['train', '--config', cfgFile, '--backend', 'wasm'], io), 0, err);
    assert.match(out, /^rollout batch 1\/1, optimizer steps 4\/4: reward /m, 'progress names rollout batches and optimizer steps');
    assert.match(out, /done: 1\/1 rollout batches, 4 optimizer steps/);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});

test('resumeTraining: a run stopped before its first checkpoint starts again from step 0 and ends as an uninterrupted run', async () => {
  const root = tmp();
  try {
    const cfg = (dir: string) => tinyConfig(dir, { steps: 3, checkpointEvery: 0, reward: 'math_AND_random0.7' }, { klCoef: 0.02 });
    (await train(cfg(join(root, 'full')))).model.dispose();
    const cut = join(root, 'cut');
    (await train(cfg(cut), { maxStepsThisCall: 1 })).model.dispose();
    assert.equal(readdirSync(cut).includes('checkpoints'), false, 'stopped before any checkpoint');
    assert.equal(readRecords(join(cut, 'rollouts.jsonl')).length, 1, 'with one rollout batch logged');
    rmSync(join(cut, 'reference'), { recursive: true }); // as if killed while the reference was being written
    const resumed = await resumeTraining(cut);
    resumed.model.dispose();
    assert.equal(resumed.step, 3);
    assert.deepEqual(readFileSync(join(cut, 'steps.jsonl'), 'utf8'), readFileSync(join(root, 'full', 'steps.jsonl'), 'utf8'));
    for (const f of ['reference/model.safetensors', 'checkpoints/step-000003/model.safetensors', 'checkpoints/step-000003/optimizer.safetensors']) {
      assert.ok(readFileSync(join(cut, f)).equals(readFileSync(join(root, 'full', f))), `${f} identical`);
    }
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});
