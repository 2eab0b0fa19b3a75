#!/usr/bin/env node
// `rlvr` launcher: loads the TypeScript sources through tsx, so no build step is needed.
import { register } from 'tsx/esm/api';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { dirname, join } from 'node:path';

register();
const root = dirname(dirname(fileURLToPath(import.meta.url)));
const { main, exitQuietlyOnClosedPipe } = await import(pathToFileURL(join(root, 'lib/cli/main.ts')).href);
exitQuietlyOnClosedPipe();
process.exitCode = await main(process.argv.slice(2));
