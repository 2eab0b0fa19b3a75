// A DisplaySink that records what it is shown, for the display helper tests.
import type { DisplaySink, MimeBundle, ShowOptions } from '../../lib/notebook/index';

export interface Shown {
  bundle: MimeBundle;
  options: ShowOptions;
}

export function recordingSink(kind: 'notebook' | 'terminal' = 'notebook'): DisplaySink & { shown: Shown[] } {
  const shown: Shown[] = [];
  return { kind, shown, show: (bundle, options = {}) => void shown.push({ bundle, options }) };
}
