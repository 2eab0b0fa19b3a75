// Committed notebooks name the project kernel and carry no outputs (outputs come from running them).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { KERNEL_NAME, NOTEBOOK_DIR, joinText, notebookFiles, readNotebook } from './notebook-files';

for (const file of notebookFiles()) {
  test(`${file} uses the ${KERNEL_NAME} kernel and is committed without outputs`, () => {
    const nb = readNotebook(join(NOTEBOOK_DIR, file));
    assert.equal(nb.metadata.kernelspec?.name, KERNEL_NAME, `${file}: metadata.kernelspec.name`);
    assert.equal(nb.metadata.kernelspec?.language, 'typescript', `${file}: metadata.kernelspec.language`);
    nb.cells.forEach((cell, i) => {
      if (cell.cell_type !== 'code') return;
      const where = `${file} cell ${i} (${joinText(cell.source).split('\n')[0]})`;
      assert.deepEqual(cell.outputs ?? [], [], `${where} has stored outputs; clear them before committing`);
      assert.equal(cell.execution_count ?? null, null, `${where} has an execution count; clear outputs before committing`);
    });
  });
}
