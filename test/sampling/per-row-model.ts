// Test-only CausalLM whose KV cache can drop rows (RowSelectableCache): it wraps a real model
// and keeps one single-row cache per batch row, running each row on its own. It lets the
// tests check generate()'s removal of finished rows before lib/models' cache offers it.
import * as tf from '@tensorflow/tfjs';
import type { CachedOutput, CausalLM, ForwardOptions, KVCache } from '../../lib/models';
import type { RowSelectableCache } from '../../lib/sampling';

class PerRowCache implements RowSelectableCache {
  constructor(public rows: KVCache[], readonly maxLen: number) {}
  get batch(): number {
    return this.rows.length;
  }
  get length(): number {
    return this.rows[0]?.length ?? 0;
  }
  get keyMask(): ReadonlyArray<readonly number[]> {
    return this.rows.map((c) => c.keyMask[0]);
  }
  get nextPosition(): readonly number[] {
    return this.rows.map((c) => c.nextPosition[0]);
  }
  selectRows(keep: readonly number[]): void {
    const kept = new Set(keep);
    this.rows.forEach((c, i) => {
      if (!kept.has(i)) c.dispose();
    });
    this.rows = keep.map((i) => this.rows[i]);
  }
  dispose(): void {
    for (const c of this.rows) c.dispose();
    this.rows = [];
  }
}

/** `inner` with a row-selectable cache; `rowsRun` counts the row-forwards done (the work). */
export function perRowModel(inner: CausalLM): CausalLM & { rowsRun: number } {
  const wrapped = {
    ...inner,
    rowsRun: 0,
    initCache: (batch: number, maxLen: number): KVCache => new PerRowCache(Array.from({ length: batch }, () => inner.initCache(1, maxLen)), maxLen),
    forwardCached: (ids: tf.Tensor2D, cache: KVCache, opts: ForwardOptions = {}): CachedOutput => {
      if (!(cache instanceof PerRowCache)) throw new Error('perRowModel: not its cache');
      const [b, t] = ids.shape;
      if (b !== cache.batch) throw new Error(`perRowModel: ${b} rows of ids for a cache of ${cache.batch}`);
      const logits = cache.rows.map((c, i) => {
        wrapped.rowsRun++;
        const rowIds = tf.slice(ids, [i, 0], [1, t]);
        const rowMask = opts.attentionMask === undefined ? undefined : tf.slice(opts.attentionMask, [i, 0], [1, t]);
        const out = inner.forwardCached(rowIds, c, { attentionMask: rowMask });
        tf.dispose([rowIds, rowMask ?? []].flat());
        return out.logits;
      });
      const all = tf.concat(logits, 0) as tf.Tensor3D; // b × [1,t,V] → [b,t,V]
      tf.dispose(logits);
      return { logits: all, cache };
    },
  };
  return wrapped;
}
