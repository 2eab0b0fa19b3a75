import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main } from '../../lib/cli/main';
import { METRIC_COLUMNS } from '../../lib/import';

const F = (name: string) => join('test', 'import', 'fixtures', name);

test('rlvr import: several files of one run, summary and JSONL tables with the schema columns', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'rlvr-import-'));
  try {
    const out: string[] = [];
    const io = { out: (s: string) => { out.push(s); }, err: (s: string) => { out.push(s); } };
    const metrics = join(dir, 'm.jsonl');
    const code = await main(['import', '--engine', 'verl', F('verl-metrics.jsonl'), F('verl-rollouts-2.jsonl'), '--grade', 'strict', '--metrics-out', metrics], io);
    assert.equal(code, 0, out.join(''));
    assert.match(out.join(''), /verl: 2 file\(s\), 2 step\(s\), 3 rollout\(s\), 3 with correctness \(accuracy 0\.6667\)/);
    const rows = readFileSync(metrics, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    assert.equal(rows.length, 2);
    assert.deepEqual(Object.keys(rows[0]).sort(), [...METRIC_COLUMNS].sort());
    assert.equal(rows[1].rewardMean, 0.3125); // the logged mean wins over the rollout-derived one
    assert.equal(rows[1].codeFrac, 1 / 3);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('rlvr import: usage errors exit 2; a bad file exits 1 naming the line', async () => {
  const errs: string[] = [];
  const io = { out: () => {}, err: (s: string) => { errs.push(s); } };
  assert.equal(await main(['import', F('trl-log-history.jsonl')], io), 2);
  assert.match(errs.join(''), /--engine must be one of openrlhf, verl, trl/);
  assert.equal(await main(['import', '--engine', 'trl'], io), 2);
  assert.equal(await main(['import', '--engine', 'trl', '--grade', 'fuzzy', F('trl-log-history.jsonl')], io), 2);
  assert.equal(await main(['import', '--engine', 'verl', F('openrlhf-metrics.jsonl')], io), 1);
  assert.match(errs.join(''), /openrlhf-metrics\.jsonl line 1 field "step": missing/);
});
