/**
 * A Jupyter MIME bundle: MIME type -> payload. Text types carry strings, image types carry base64 strings,
 * JSON types (application/vnd.plotly.v1+json) carry the object itself so renderers can read it.
 */
export type MimeBundle = Record<string, string | object>;

export interface ShowOptions {
  /** Display id: a later `show` with the same id and `update: true` replaces this output in place. */
  displayId?: string;
  update?: boolean;
}

/**
 * Where display calls go. `notebook` sends MIME bundles to the tslab kernel; `terminal` prints the
 * bundle's text/plain part. Every display function takes an optional sink, so tests can record output.
 */
export interface DisplaySink {
  readonly kind: 'notebook' | 'terminal';
  show(bundle: MimeBundle, options?: ShowOptions): void;
}

let displayCounter = 0;
/** A display id unique within this process (no randomness needed: ids only have to differ per kernel). */
export function newDisplayId(prefix = 'rlvr'): string {
  displayCounter += 1;
  return `${prefix}-${process.pid}-${displayCounter}`;
}

/** Escapes text for HTML element content and attribute values. */
export function escapeHtml(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}
