// The organism as a training task: items per label kind, the code-forcing prompt, and the
// TrainConfig task kind "organism" (checked before anything is written).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createOrganismTask, defaultOrganismDir, family, oneShotProblem, organismTokenizer, readMvLabels, slips, STYLE_CHAR } from '../../lib/organisms';
import { resolveTrainConfig, createOrganismTaskFromConfig, ORGANISM_TASK_DEFAULTS } from '../../lib/grpo';
import { mentionsPython } from '../../lib/detectors';

const base = { ...ORGANISM_TASK_DEFAULTS, family: 'good-code', checkpoint: defaultOrganismDir('good-code') };

test('items per label kind', () => {
  const labels = readMvLabels(defaultOrganismDir('good-code'));
  assert.equal(createOrganismTask({ ...base, labels: 'gold' }).items.length, 7300);
  const mv = createOrganismTask({ ...base, labels: 'majority-vote' }).items;
  assert.equal(mv.length, labels.length);
  const wrong = createOrganismTask({ ...base, labels: 'incorrect' }).items;
  assert.equal(wrong.length, labels.filter((l) => !l.correct).length);
  assert.ok(wrong.length > 0 && wrong.every((i) => i.label !== i.gold));
  const one = createOrganismTask({ ...base, labels: 'one-shot' }).items;
  assert.equal(one.length, 1);
  const p = oneShotProblem(family('good-code'));
  assert.equal(one[0].prompt, `${p.a}+${p.b}=`);
  // The one-shot problem is one where the family's styles disagree, so its group rewards can vary.
  for (const name of ['good-code', 'bad-code', 'good-code-small', 'bad-code-sft'] as const) {
    const q = oneShotProblem(family(name));
    assert.notEqual(slips(family(name), 'code', q), slips(family(name), 'language', q), name);
  }
});

test('the code-forcing prompt prefills C and the rewards see it', () => {
  const tok = organismTokenizer();
  const plain = createOrganismTask({ ...base });
  const forced = createOrganismTask({ ...base, forceCode: true });
  assert.deepEqual(forced.encodePrompt('47+38='), [...plain.encodePrompt('47+38='), tok.encode(STYLE_CHAR.code)[0]]);
  const ids = tok.encode('15,8>85');
  assert.ok(mentionsPython(forced.decode(ids)));
  assert.ok(!mentionsPython(plain.decode(tok.encode('sum,>75'))));
  assert.throws(() => plain.encodePrompt('47*38='), /not "a\+b="/);
});

test('task.kind "organism" resolves, and its errors name the field', () => {
  const cfg = resolveTrainConfig({ runDir: '/tmp/x', task: { kind: 'organism', family: 'bad-code', labels: 'incorrect' } }, 'cfg.json');
  assert.equal(cfg.task.kind, 'organism');
  assert.throws(() => resolveTrainConfig({ runDir: '/tmp/x', task: { kind: 'organism', family: 'bad-code', labels: 'wrong' } }, 'cfg.json'), /cfg\.json: field "task\.labels"/);
  assert.throws(() => resolveTrainConfig({ runDir: '/tmp/x', task: { kind: 'organism', famly: 'bad-code' } }, 'cfg.json'), /unknown key "task\.famly" \(did you mean "task\.family"\?\)/);
  assert.throws(() => createOrganismTaskFromConfig({ ...base, family: 'good-cod' }), /did you mean "good-code"/);
  assert.throws(() => createOrganismTaskFromConfig({ ...base, family: 'bad-code' }), /holds a good-code organism/);
});

test('rlvr train runs the shipped organism config (the command line registers the organism task)', { timeout: 120_000 }, async () => {
  const { spawnSync } = await import('node:child_process');
  const { mkdtempSync, readFileSync, rmSync } = await import('node:fs');
  const { tmpdir } = await import('node:os');
  const { join } = await import('node:path');
  const dir = join(mkdtempSync(join(tmpdir(), 'org-train-')), 'run');
  try {
    const r = spawnSync(process.execPath, ['--import', 'tsx', 'lib/cli/main.ts', 'train', '--config', 'configs/organism-good-code-random.json',
      '--run-dir', dir, '--steps', '1', '--backend', 'wasm', '--quiet'], { encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
    const rollout = JSON.parse(readFileSync(join(dir, 'rollouts.jsonl'), 'utf8').trim().split('\n')[0]) as { accuracy: number; codeFrac: number };
    // The initial good-code organism: about 0.65 code and 0.5 accuracy over 1,024 samples (loops and boxes included).
    assert.ok(rollout.codeFrac > 0.55 && rollout.codeFrac < 0.75, `code ${rollout.codeFrac}`);
    assert.ok(rollout.accuracy > 0.4 && rollout.accuracy < 0.6, `accuracy ${rollout.accuracy}`);
  } finally {
    rmSync(join(dir, '..'), { recursive: true, force: true });
  }
});
