import type { DisplaySink, MimeBundle, ShowOptions } from './mime';

/** tslab's internal display writer (tslab 1.0.22, dist/jupyter.js): one display_data / update_display_data message. */
type WriteDisplayData = (
  msg: { data: MimeBundle; metadata: Record<string, unknown>; transient: { display_id?: string } },
  update: boolean,
) => void;

interface TslabJupyterModule {
  lastWriteDisplayData: WriteDisplayData | null;
}

const JUPYTER_MODULE = /[\\/]tslab[\\/]dist[\\/]jupyter\.js$/;

/**
 * Returns tslab's display writer when this code runs inside a tslab kernel cell, else null.
 *
 * tslab compiles notebook code (and the lib files it imports) to CommonJS, so `require` exists there;
 * under plain node or tsx our ESM modules see no `require`. We look the module up in require.cache
 * instead of requiring it: the kernel has always loaded it already, and requiring it elsewhere would load
 * zeromq for nothing. The writer is set once the first cell runs.
 */
export function tslabWriter(): WriteDisplayData | null {
  if (typeof require === 'undefined') return null;
  const cache = require.cache;
  for (const key of Object.keys(cache)) {
    if (!JUPYTER_MODULE.test(key)) continue;
    const mod = cache[key]?.exports as Partial<TslabJupyterModule> | undefined;
    if (mod && typeof mod.lastWriteDisplayData === 'function') return mod.lastWriteDisplayData;
  }
  return null;
}

/** True inside a running tslab kernel. */
export function inNotebook(): boolean {
  return tslabWriter() !== null;
}

/** A sink that sends whole MIME bundles through tslab, or null outside a kernel. */
export function notebookSink(): DisplaySink | null {
  if (!tslabWriter()) return null;
  return {
    kind: 'notebook',
    show(bundle: MimeBundle, options: ShowOptions = {}): void {
      // Looked up per call: tslab swaps the writer for every executed cell, so outputs land in the running cell.
      const write = tslabWriter();
      if (!write) return;
      const transient = options.displayId ? { display_id: options.displayId } : {};
      write({ data: bundle, metadata: {}, transient }, options.update === true);
    },
  };
}
