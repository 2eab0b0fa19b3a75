// Committed notebooks carry the outputs of a full run (README, Notebooks): every code cell has outputs, none is an
// error or stderr text, the stamp the notebook wrote while executing matches its current code and the library files
// it imports (recomputed here from the file, nothing is executed), it is within the size budget, no output inlines
// plotly.js, and no volatile metadata makes each run a diff. `npm run notebooks NAME` brings a notebook up to date.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { committedNotebookProblems } from '../../lib/notebook/committed';
import { NOTEBOOK_DIR, notebookFiles } from './notebook-files';

for (const file of notebookFiles()) {
  test(`${file} is committed with the current outputs of a full run`, () => {
    const problems = committedNotebookProblems(join(NOTEBOOK_DIR, file));
    const name = file.replace(/\.ipynb$/, '');
    assert.deepEqual(
      problems,
      [],
      `${file}:\n- ${problems.join('\n- ')}\nRun \`npm run notebooks ${name}\` (full preset, in place) and commit the result.`,
    );
  });
}
