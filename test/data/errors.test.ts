// Bad input gives a DataError naming the file, the record (index and line) and the field.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DataError } from '../../lib/util';
import { loadBenchmark, loadDeepScaleRLevel, loadMajorityVoteLabels, loadVerifierCorpus, readProblemFile } from '../../lib/data';

function withDir(fn: (dir: string) => void): void {
  const dir = mkdtempSync(join(tmpdir(), 'rlvr-errors-'));
  try {
    fn(dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function write(dir: string, rel: string, text: string): string {
  const p = join(dir, rel);
  mkdirSync(join(p, '..'), { recursive: true });
  writeFileSync(p, text);
  return p;
}

const rec = (o: Record<string, unknown>) => JSON.stringify({ prompt: 'p', answer: 'a', source: 's', id: '0', ...o }, null, 4);

test('missing benchmark file: DataError names the path looked at and suggests rlvr data pull', () => {
  withDir((dir) => {
    assert.throws(
      () => loadBenchmark('amc', { dataDir: dir }),
      (e: unknown) =>
        e instanceof DataError && e.location.file === join(dir, 'rethink_rlvr/AMC-TTT/test.json') && /looked in: .*AMC-TTT\/test\.json \(option\)/.test(e.message) && e.message.includes('rlvr data pull'),
    );
  });
});

test('a record with a missing field: file, record index, line and field (pretty-printed file)', () => {
  withDir((dir) => {
    const good = rec({});
    const bad = JSON.stringify({ prompt: 'p', source: 's', id: 1 }, null, 4);
    const file = write(dir, 'rethink_rlvr/MATH-TTT/test.json', `[\n${good},\n${good},\n${bad}\n]`);
    // The third record's "{" sits after 1 line of "[" and two 6-line records.
    const expectedLine = 1 + 6 + 6 + 1;
    assert.throws(
      () => loadBenchmark('math500', { dataDir: dir }),
      (e: unknown) =>
        e instanceof DataError &&
        e.location.file === file &&
        e.location.field === 'answer' &&
        e.location.line === expectedLine &&
        e.message.includes('record 2') &&
        e.message.includes('missing'),
    );
  });
});

test('a mistyped field in a one-line file: record index, no misleading line', () => {
  withDir((dir) => {
    const recs = [{ prompt: 'p', answer: 'a', source: 's', id: '0' }, { prompt: 'p', answer: 'a', source: 's', id: { x: 1 } }];
    const file = write(dir, 'rethink_rlvr/DeepScaleR_Difficulty_Level_3/test.json', JSON.stringify(recs));
    assert.throws(
      () => loadDeepScaleRLevel(3, 'test', { dataDir: dir }),
      (e: unknown) =>
        e instanceof DataError && e.location.file === file && e.location.field === 'id' && e.location.line === undefined && /record 1: expected a string or a number, found an object/.test(e.message),
    );
    write(dir, 'rethink_rlvr/DeepScaleR_mv_labeled_qwen2.5_7b/test.json', JSON.stringify([{ prompt: 'p', answer: 42, source: 's', id: 0 }]));
    assert.throws(() => loadMajorityVoteLabels('qwen2.5_7b', { dataDir: dir }), /record 0: expected a string, found number 42/);
  });
});

test('braces and brackets inside strings do not confuse the record line finder', () => {
  withDir((dir) => {
    const tricky = JSON.stringify({ prompt: 'a } ] , [ { "x" \\', answer: 'b', source: 's', id: 0 }, null, 2);
    const file = write(dir, 'x.json', `[\n${tricky},\n  "not an object"\n]`);
    assert.throws(
      () => readProblemFile(file),
      (e: unknown) => e instanceof DataError && e.location.line === 2 + tricky.split('\n').length && e.message.includes('record 1: expected an object, found string'),
    );
  });
});

test('malformed JSON: file and line of the syntax error; non-array: file', () => {
  withDir((dir) => {
    const file = write(dir, 'rethink_rlvr/AIME-TTT/test.json', `[\n${rec({})},\n{ "prompt": "p" "answer": "a" }\n]`);
    assert.throws(
      () => loadBenchmark('aime2024', { dataDir: dir }),
      (e: unknown) => e instanceof DataError && e.location.file === file && e.location.line === 8 && /invalid JSON/.test(e.message),
    );
    write(dir, 'rethink_rlvr/AIME2025-TTT/test.json', '{"prompt": "p"}');
    assert.throws(() => loadBenchmark('aime2025', { dataDir: dir }), /AIME2025-TTT\/test\.json: expected a JSON array/);
  });
});

test('verifier corpus: a bad line names file, line and field', () => {
  withDir((dir) => {
    const ok = { id: 'dev-0', pred: '1', gold: '1', label: true, ref_ttrl: true, ref_qwen: null, ref_mathverify: true, ref_hendrycks: true, ref_timeouts: ['qwen'], label_source: 'hand', source: 's', kind: 'real-pred', notes: '' };
    const file = write(dir, 'verifier/dev.jsonl', [ok, { ...ok, label: 'yes' }].map((o) => JSON.stringify(o)).join('\n'));
    assert.throws(
      () => loadVerifierCorpus({ dataDir: dir }),
      (e: unknown) => e instanceof DataError && e.location.file === file && e.location.line === 2 && e.location.field === 'label',
    );
    write(dir, 'verifier/dev.jsonl', JSON.stringify({ ...ok, response: 'r' }));
    assert.throws(() => loadVerifierCorpus({ dataDir: dir }), /line 1 field "pred": the item has both "response" and "pred"/);
    const { pred: _omit, ...noAnswer } = ok;
    write(dir, 'verifier/dev.jsonl', JSON.stringify(noAnswer));
    assert.throws(() => loadVerifierCorpus({ dataDir: dir }), /line 1 field "response": missing/);
    write(dir, 'verifier/dev.jsonl', JSON.stringify({ ...ok, kind: 'other' }));
    assert.throws(() => loadVerifierCorpus({ dataDir: dir }), /field "kind": unknown kind "other"/);
    write(dir, 'verifier/dev.jsonl', JSON.stringify(ok));
    const [item] = loadVerifierCorpus({ dataDir: dir });
    assert.equal(item.ref_qwen, null);
    assert.deepEqual(item.ref_timeouts, ['qwen']);
    assert.equal('response' in item, false);
  });
});
