// Python's Counter(...).most_common() order: by count, descending; ties keep first-seen order
// (spec §3.10, §3.13).

export interface VoteCount {
  answer: string;
  count: number;
}

/** Vote counts in most_common() order; `skipEmpty` drops '' votes first (the MV relabel step does, TTRL does not). */
export function countVotes(votes: readonly string[], opts: { skipEmpty: boolean }): VoteCount[] {
  const counts = new Map<string, number>(); // Map keeps insertion (first-seen) order
  for (const v of votes) {
    if (opts.skipEmpty && v === '') continue;
    counts.set(v, (counts.get(v) ?? 0) + 1);
  }
  // Array.prototype.sort is stable, so equal counts stay in first-seen order.
  return [...counts].map(([answer, count]) => ({ answer, count })).sort((a, b) => b.count - a.count);
}
