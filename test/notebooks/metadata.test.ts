// Committed notebooks name the project kernel. (Their outputs, which come from a full run, are checked by
// committed-outputs.test.ts.)
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { KERNEL_NAME, NOTEBOOK_DIR, notebookFiles, readNotebook } from './notebook-files';

for (const file of notebookFiles()) {
  test(`${file} uses the ${KERNEL_NAME} kernel`, () => {
    const nb = readNotebook(join(NOTEBOOK_DIR, file));
    assert.equal(nb.metadata.kernelspec?.name, KERNEL_NAME, `${file}: metadata.kernelspec.name`);
    assert.equal(nb.metadata.kernelspec?.language, 'typescript', `${file}: metadata.kernelspec.language`);
  });
}
