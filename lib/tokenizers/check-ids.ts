// Shared id validation: a bad id must fail loudly, naming where it sits, instead of
// decoding to an empty or undefined piece.

/** Throws unless every id is an integer in [0, vocabSize). */
export function checkIds(where: string, ids: readonly number[], vocabSize: number): void {
  for (let i = 0; i < ids.length; i++) {
    const id = ids[i];
    if (!Number.isInteger(id) || id < 0 || id >= vocabSize) {
      throw new Error(`${where}: ids[${i}] is ${id}, outside the vocabulary [0, ${vocabSize})`);
    }
  }
}
