// readResultsProvenance: the one reader of a results folder's provenance.json (report and notebooks),
// checked field by field so a wrong file is named with its field.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readResultsProvenance, RESULT_FILES } from '../../lib/grid';

test('the committed full grid: a clean commit, and complete counts every collected run', () => {
  const dir = join('data', 'results', 'full');
  const p = readResultsProvenance(dir);
  assert.match(p.commit ?? '', /^[0-9a-f]{40}$/);
  assert.equal(p.dirty, false);
  assert.ok(!Number.isNaN(Date.parse(p.created)), p.created);
  const runs = readFileSync(join(dir, RESULT_FILES.cells), 'utf8').trim().split('\n').length;
  assert.deepEqual([p.complete, p.missing], [runs, 0]);
});

test('a wrong provenance.json is an error naming the file and the field; a missing one says how to write it', () => {
  const dir = mkdtempSync(join(tmpdir(), 'rlvr-results-prov-'));
  const file = join(dir, RESULT_FILES.provenance);
  const good = { commit: null, dirty: null, created: '2026-12-03T00:00:00.000Z', complete: 3, missing: 1 };
  try {
    assert.throws(() => readResultsProvenance(dir), (e: Error) => e.message === `${file}: missing: the provenance of the results; run \`rlvr grid collect\` to write it`);
    writeFileSync(file, JSON.stringify(good));
    assert.deepEqual(readResultsProvenance(dir), good, 'null commit and dirty (outside a checkout) are valid');
    const cases: [Record<string, unknown>, string][] = [
      [{ ...good, commit: 5 }, 'field "commit": expected a commit sha or null, received 5'],
      [{ ...good, dirty: 'no' }, 'field "dirty": expected true, false or null, received "no"'],
      [{ ...good, created: undefined }, 'field "created": expected an ISO time, received undefined'],
      [{ ...good, complete: 2.5 }, 'field "complete": expected a count of runs, received 2.5'],
      [{ ...good, missing: -1 }, 'field "missing": expected a count of runs, received -1'],
    ];
    for (const [value, message] of cases) {
      writeFileSync(file, JSON.stringify(value));
      assert.throws(() => readResultsProvenance(dir), (e: Error) => e.message === `${file} ${message}`, message);
    }
    writeFileSync(file, '[1]');
    assert.throws(() => readResultsProvenance(dir), /provenance\.json: expected an object \{ commit, dirty, created, complete, missing \}/);
    writeFileSync(file, '{"commit":');
    assert.throws(() => readResultsProvenance(dir), /provenance\.json: not valid JSON/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
