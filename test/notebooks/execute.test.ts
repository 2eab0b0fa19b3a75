// Executes every notebooks/*.ipynb headlessly with the project's kernel (env/jupyter, RLVR_NOTEBOOK_PRESET=smoke)
// and fails on any error output or stderr text, quoting the cell. Needs `jupyter nbconvert` (Debian:
// apt-get install jupyter-nbconvert python3-nbclient) and, for PNG plots, chromium.
// The executed copy goes to a temporary folder: the committed notebook, with the outputs of its full run, is read
// and never written (checked byte for byte). The copy's stamp must say smoke and carry the hashes the
// committed-outputs test computes from the file.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { computeStamp, storedStamps } from '../../lib/notebook/index';
import { NOTEBOOK_DIR, PROJECT_JUPYTER, joinText, notebookFiles, readNotebook, type Notebook } from './notebook-files';
import { findJupyter, runCapturingStderr } from '../../lib/notebook/jupyter';

const fileHash = (path: string): string => createHash('sha256').update(readFileSync(path)).digest('hex');

function excerpt(text: string, max = 1500): string {
  return text.length > max ? `${text.slice(0, max)}\n… (${text.length - max} more characters)` : text;
}

/**
 * Every error output and stderr stream, each quoted with its cell index and source. tslab reports compile and
 * runtime errors as stderr text, and sends no execute_input, so stored execution counts stay empty.
 */
function notebookProblems(nb: Notebook): string[] {
  const problems: string[] = [];
  nb.cells.forEach((cell, i) => {
    if (cell.cell_type !== 'code') return;
    const source = joinText(cell.source);
    const quote = (what: string, text: string) =>
      `cell ${i} ${what}:\n--- source ---\n${excerpt(source, 600)}\n--- stored ---\n${excerpt(text)}`;
    for (const out of cell.outputs ?? []) {
      if (out.output_type === 'error') {
        problems.push(quote('raised an error', `${out.ename}: ${out.evalue}\n${(out.traceback ?? []).join('\n')}`));
      } else if (out.output_type === 'stream' && out.name === 'stderr') {
        problems.push(quote('wrote to stderr', joinText(out.text)));
      }
    }
  });
  return problems;
}

/** nbclient's messages when the kernel process never came up (not when a cell failed). */
const KERNEL_START_FAILURE = /Kernel didn't respond in \d+ seconds|Kernel died before replying to kernel_info/;

const jupyter = findJupyter();
const files = notebookFiles();

test('there are notebooks to execute', () => {
  assert.ok(files.length > 0, `no .ipynb files in ${NOTEBOOK_DIR}`);
});

for (const file of files) {
  test(`notebook ${file} runs top to bottom under the smoke preset without errors or stderr`, async (t) => {
    assert.ok(jupyter, 'jupyter is not on PATH; install it: apt-get install jupyter-nbconvert python3-nbclient');
    const out = mkdtempSync(join(tmpdir(), 'rlvr-nb-'));
    const committed = join(NOTEBOOK_DIR, file);
    const before = fileHash(committed);
    try {
      const env = { ...process.env, JUPYTER_PATH: PROJECT_JUPYTER, RLVR_NOTEBOOK_PRESET: 'smoke' };
      const start = Date.now();
      // --allow-errors keeps executing and writes the notebook, so the failure can quote the stored outputs;
      // a loaded machine can take over nbclient's default 60 s to start a tslab kernel.
      const args = ['nbconvert', '--to', 'notebook', '--execute', '--allow-errors',
        '--ExecutePreprocessor.timeout=300', '--ExecutePreprocessor.startup_timeout=120', '--output-dir', out, '--output', file, join(NOTEBOOK_DIR, file)];
      let r = await runCapturingStderr(jupyter, args, NOTEBOOK_DIR, env);
      // A kernel that never started (tslab's zeromq socket busy at start-up on a loaded machine) is retried once;
      // any failure after the kernel is up is the notebook's and fails the test.
      if (r.code !== 0 && KERNEL_START_FAILURE.test(r.stderr)) {
        t.diagnostic(`${file}: the kernel did not start (${r.stderr.match(KERNEL_START_FAILURE)?.[0]}); retrying once`);
        r = await runCapturingStderr(jupyter, args, NOTEBOOK_DIR, env);
      }
      t.diagnostic(`${file}: ${((Date.now() - start) / 1000).toFixed(1)} s`);
      assert.equal(r.code, 0, `jupyter nbconvert failed on ${file} (exit ${r.code}):\n${excerpt(r.stderr, 3000)}`);
      const problems = notebookProblems(readNotebook(join(out, file)));
      assert.deepEqual(problems, [], `${file}:\n\n${problems.join('\n\n')}`);
      assert.equal(fileHash(committed), before, `executing ${file} changed the committed notebook`);
      const stamps = storedStamps(join(out, file));
      assert.equal(stamps.length, 1, `${file}: one stampNotebook call in its first code cell (README, Notebooks)`);
      const expected = computeStamp(committed, 'smoke');
      assert.deepEqual({ ...stamps[0], files: undefined }, { ...expected, files: undefined }, `${file}: the stamp the kernel wrote`);
      assert.deepEqual(stamps[0].files, expected.files);
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  });
}
