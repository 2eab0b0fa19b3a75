import { createRequire } from 'node:module';
import { join } from 'node:path';

/**
 * A CommonJS `require` for optional or heavy packages that we load lazily (playwright-core, plotly's
 * bundle path). Inside tslab our files are CommonJS and `require` resolves from the file's own folder;
 * under plain node / tsx they are ESM (no `require`, and no `import.meta` allowed in lib), so we resolve
 * from the working directory, which is the project root for scripts and tests.
 */
export function projectRequire(): NodeJS.Require {
  return typeof require !== 'undefined' ? require : createRequire(join(process.cwd(), 'noop.js'));
}
