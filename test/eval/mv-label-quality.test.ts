import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { mvLabelQuality, type AnswerEquivalence } from '../../lib/eval';
import { MV_MODELS, loadMajorityVoteLabels, loadDeepScaleR } from '../../lib/data';

/** A data dir with five tiny level files and one MV slice whose outcome is known by construction. */
function syntheticDataDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'rlvr-mvq-'));
  const put = (folder: string, file: string, recs: object[]) => {
    mkdirSync(join(dir, 'rethink_rlvr', folder), { recursive: true });
    writeFileSync(join(dir, 'rethink_rlvr', folder, file), JSON.stringify(recs));
  };
  const rec = (prompt: string, answer: string, id: number) => ({ prompt, answer, source: 'deepscaler_difficulty', id });
  for (let level = 1; level <= 5; level++) for (const f of ['train.json', 'test.json']) put(`DeepScaleR_Difficulty_Level_${level}`, f, []);
  put('DeepScaleR_Difficulty_Level_1', 'train.json', [rec('P1', '1/2', 0), rec('P2', '3', 1)]);
  put('DeepScaleR_Difficulty_Level_2', 'test.json', [rec('P3', 'x', 0), rec('P5', '7', 1)]);
  put('DeepScaleR_Difficulty_Level_3', 'train.json', [rec('P2', '4', 0), rec('P1', '1/2', 1)]); // P2 conflicts; P1 agrees
  const mv = (prompt: string, answer: string, id: number) => ({ prompt, answer, source: 'deepscaler_mv_labeled_qwen2.5_7b', id });
  put('DeepScaleR_mv_labeled_qwen2.5_7b', 'test.json', [mv('P1', '0.5', 0), mv('P2', '3', 64), mv('P3', '', 128), mv('P4', '5', 192), mv('P5', '7', 256)]);
  return dir;
}

test('counts on a synthetic slice: empty, matched, gold conflicts, agreement per mode, levels', () => {
  const dir = syntheticDataDir();
  try {
    const calls: string[] = [];
    // strict: numeric equality of simple fractions/decimals; authors: plain string equality.
    const num = (s: string) => (s.includes('/') ? Number(s.split('/')[0]) / Number(s.split('/')[1]) : s === '' ? NaN : Number(s));
    const equivalent: AnswerEquivalence = (pred, gold, mode) => {
      calls.push(`${mode}:${pred}|${gold}`);
      return mode === 'strict' ? num(pred) === num(gold) : pred === gold;
    };
    const [r] = mvLabelQuality({ dataDir: dir, models: ['qwen2.5_7b'], equivalent });
    assert.equal(r.model, 'qwen2.5_7b');
    assert.equal(r.family, 'qwen');
    assert.equal(r.slice, 'all');
    assert.equal(r.n, 5);
    assert.deepEqual([r.emptyRate.k, r.emptyRate.n], [1, 5]);
    assert.equal(r.matched, 4, 'P4 is not in any level file');
    assert.equal(r.goldConflicts, 1, 'P2 has golds 3 and 4');
    assert.deepEqual([r.agreeStrict.k, r.agreeStrict.n], [2, 3], 'P1 (0.5 = 1/2) and P5 agree; P3 (empty) does not');
    assert.deepEqual([r.agreeAuthors.k, r.agreeAuthors.n], [1, 3], 'only P5 is string-equal');
    assert.deepEqual(r.levels, { 1: 2, 2: 2 });
    assert.deepEqual(calls.sort(), ['authors:0.5|1/2', 'authors:7|7', 'authors:|x', 'strict:0.5|1/2', 'strict:7|7', 'strict:|x']);
    assert.ok(r.agreeStrict.low < 2 / 3 && r.agreeStrict.high > 2 / 3);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('real slices with the verifier: all 100 matched, documented empty labels, agreement sane', () => {
  const all = mvLabelQuality();
  assert.deepEqual(all.map((r) => r.model), MV_MODELS.map((m) => m.key));
  const by = Object.fromEntries(all.map((r) => [r.model, r]));
  for (const r of all) {
    assert.equal(r.n, 100, r.model);
    assert.equal(r.matched, 100, `${r.model}: every MV prompt is in the level files`);
    assert.equal(r.agreeStrict.n, 100 - r.goldConflicts);
  }
  assert.equal(by.olmo_2_1124_7b.emptyRate.k, 24);
  assert.equal(by.olmo_2_1124_7b_sft.emptyRate.k, 33);
  assert.equal(by['qwen2.5_math_7b'].emptyRate.k, 0);

  // Identical non-empty strings must count as agreeing, so agreement is at least the exact-match count.
  const gold = new Map<string, Set<string>>();
  for (const split of ['train', 'test'] as const) for (const d of loadDeepScaleR({ split })) (gold.get(d.prompt) ?? gold.set(d.prompt, new Set()).get(d.prompt)!).add(d.answer);
  for (const r of all) {
    const exact = loadMajorityVoteLabels(r.model).filter((m) => {
      const g = gold.get(m.prompt);
      return m.answer !== '' && g !== undefined && g.size === 1 && g.has(m.answer);
    }).length;
    assert.ok(r.agreeStrict.k >= exact, `${r.model}: strict ${r.agreeStrict.k} < exact ${exact}`);
    assert.ok(r.agreeAuthors.k >= exact, `${r.model}: authors ${r.agreeAuthors.k} < exact ${exact}`);
  }
  // README ordering: Qwen2.5-Math-7B's labels are mostly right, OLMo2-7B's almost never.
  assert.ok(by['qwen2.5_math_7b'].agreeStrict.rate > 0.8);
  assert.ok(by.olmo_2_1124_7b.agreeStrict.rate < 0.1);
});

test('incorrect slices: the authors grader judged these labels wrong, so authors-mode agreement is near 0', () => {
  const incorrect = mvLabelQuality({ incorrect: true });
  for (const r of incorrect) {
    assert.equal(r.slice, 'incorrect');
    assert.ok(r.agreeAuthors.k <= 2, `${r.model}: ${r.agreeAuthors.k} of ${r.agreeAuthors.n}`);
  }
  assert.equal(incorrect.find((r) => r.model === 'olmo_2_1124_7b_sft')!.emptyRate.k, 43);
  assert.equal(incorrect.find((r) => r.model === 'qwen2.5_math_7b')!.emptyRate.k, 4);
});
