// Registries are const objects of named variants; `pick` is the one lookup path and
// its error lists the known names (see notes/style.md §3.1).

/** Looks `name` up in `registry`; throws an error naming `what` and every known name if absent. */
export function pick<R extends Record<string, unknown>>(registry: R, name: string, what: string): R[keyof R] {
  if (Object.prototype.hasOwnProperty.call(registry, name)) return registry[name as keyof R];
  const known = Object.keys(registry).sort().join(', ');
  const close = closestName(name, Object.keys(registry));
  throw new Error(`${what} "${name}" is not registered${close ? ` (did you mean "${close}"?)` : ''}; known: ${known}`);
}

/** The known name with the smallest edit distance to `name`, if it is close enough to be a likely typo. */
export function closestName(name: string, known: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestD = Infinity;
  for (const k of known) {
    const d = editDistance(name.toLowerCase(), k.toLowerCase());
    if (d < bestD) { bestD = d; best = k; }
  }
  return best !== undefined && bestD <= Math.max(2, Math.floor(name.length / 3)) ? best : undefined;
}

function editDistance(a: string, b: string): number {
  const prev = new Array<number>(b.length + 1);
  for (let j = 0; j <= b.length; j++) prev[j] = j;
  for (let i = 1; i <= a.length; i++) {
    let diag = prev[0];
    prev[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const tmp = prev[j];
      prev[j] = Math.min(prev[j] + 1, prev[j - 1] + 1, diag + (a[i - 1] === b[j - 1] ? 0 : 1));
      diag = tmp;
    }
  }
  return prev[b.length];
}
