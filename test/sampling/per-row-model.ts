// Test-only CausalLM wrappers: perRowModel keeps one single-row cache per batch row and runs
// each row on its own (it counts the row-forwards, i.e. the work); fixedRowsModel hides
// selectRows, as a foreign model's cache may lack it, so generate must keep finished rows.
import * as tf from '@tensorflow/tfjs';
import type { CachedForwardOptions, CachedOutput, CausalLM, KVCache } from '../../lib/models';
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
    forwardCached: (ids: tf.Tensor2D, cache: KVCache, opts: CachedForwardOptions = {}): CachedOutput => {
      if (!(cache instanceof PerRowCache)) throw new Error('perRowModel: not its cache');
      const [b, t] = ids.shape;
      if (b !== cache.batch) throw new Error(`perRowModel: ${b} rows of ids for a cache of ${cache.batch}`);
      const logits = cache.rows.map((c, i) => {
        wrapped.rowsRun++;
        const rowIds = tf.slice(ids, [i, 0], [1, t]);
        const rowMask = opts.attentionMask === undefined ? undefined : tf.slice(opts.attentionMask, [i, 0], [1, t]);
        const out = inner.forwardCached(rowIds, c, { attentionMask: rowMask, logits: opts.logits });
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

/** A cache from a foreign CausalLM that cannot drop rows: it hides the inner cache's selectRows. */
class FixedRowsCache {
  constructor(readonly inner: KVCache) {}
  get batch(): number {
    return this.inner.batch;
  }
  get maxLen(): number {
    return this.inner.maxLen;
  }
  get length(): number {
    return this.inner.length;
  }
  get keyMask(): ReadonlyArray<readonly number[]> {
    return this.inner.keyMask;
  }
  get nextPosition(): readonly number[] {
    return this.inner.nextPosition;
  }
  dispose(): void {
    this.inner.dispose();
  }
}

/** `inner` behind a cache without selectRows (as a CausalLM from elsewhere may have): generate keeps finished rows. */
export function fixedRowsModel(inner: CausalLM): CausalLM {
  return {
    ...inner,
    initCache: (batch, maxLen, opts) => new FixedRowsCache(inner.initCache(batch, maxLen, opts)) as unknown as KVCache,
    forwardCached: (ids, cache, opts) => {
      if (!(cache instanceof FixedRowsCache)) throw new Error('fixedRowsModel: not its cache');
      return { ...inner.forwardCached(ids, cache.inner, opts), cache };
    },
  };
}
