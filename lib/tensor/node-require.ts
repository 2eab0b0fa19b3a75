// A `require` that works in every way this library is loaded: tsx/ESM (no global
// require), tslab's CommonJS compile, and plain CJS. No import.meta (tslab rejects it).
import { createRequire } from 'node:module';

/** Node's require, resolving from the running script (CJS) or the working directory (ESM). */
export const nodeRequire: NodeJS.Require =
  typeof require !== 'undefined' ? require : createRequire(process.cwd() + '/');

/** Imports an optional package; returns why not when it is missing or fails to load. */
export async function importOptional(name: string): Promise<{ module: unknown } | { why: string }> {
  try {
    // A variable specifier keeps TypeScript from needing the package's types.
    const specifier: string = name;
    return { module: await import(specifier) };
  } catch (err) {
    const code = (err as { code?: unknown }).code;
    const missing = code === 'ERR_MODULE_NOT_FOUND' || code === 'MODULE_NOT_FOUND';
    // Only when the package itself is missing, not one of its own dependencies.
    if (missing && String((err as Error).message).includes(`'${name}'`)) {
      return { why: `optional package '${name}' is not installed` };
    }
    return { why: `'${name}' failed to load: ${(err as Error).message}` };
  }
}
