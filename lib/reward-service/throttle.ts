// Log lines that a misconfigured trainer would repeat for every sample (a 422 per completion, an
// incomplete group per prompt): the first of each kind is written in full, later ones within the
// window are counted and the count rides on the next line written for that kind. The point is that the
// server's log says loudly what is wrong without writing 1,024 lines per step.

export type ThrottledLog = (kind: string, line: string) => void;

export function throttledLog(log: (line: string) => void, windowMs = 10_000, now: () => number = Date.now): ThrottledLog {
  const kinds = new Map<string, { at: number; suppressed: number }>();
  return (kind, line) => {
    const t = now();
    const k = kinds.get(kind);
    if (k && t - k.at < windowMs) {
      k.suppressed++;
      return;
    }
    const more = k && k.suppressed > 0 ? ` (${k.suppressed} more like this in the last ${Math.round((t - k.at) / 1000)} s)` : '';
    kinds.set(kind, { at: t, suppressed: 0 });
    log(line + more);
  };
}
