// A streaming check of a JSON body's shape, run on each chunk as it arrives, before JSON.parse sees the
// whole text. JSON.parse has no depth or size limit and cannot be interrupted: 10 MB of nested arrays
// takes seconds and blocks every other request (/health included). The protocol needs depth 3 (object,
// array, string) and a few values per completion, so a body past either limit is refused as soon as the
// limit is crossed; the rest of the upload is drained without being scanned or stored.
//
// The scan is byte-wise on UTF-8: every structural character is ASCII and no byte of a multi-byte
// sequence is below 0x80, so no decoding is needed. Inside strings it jumps from quote to quote with
// Buffer.indexOf, so a body of long completions costs little more than a memchr.

/** Nesting levels a body may have (the protocol needs 3). */
export const DEFAULT_MAX_JSON_DEPTH = 64;
/** Array elements plus object members (counted as opening brackets plus commas); a 16,384-completion
 * request has about 50,000. JSON.parse of the worst body under this limit takes ~30 ms. */
export const DEFAULT_MAX_JSON_VALUES = 262_144;

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const OPEN_ARRAY = 0x5b;
const OPEN_OBJECT = 0x7b;
const CLOSE_ARRAY = 0x5d;
const CLOSE_OBJECT = 0x7d;
const COMMA = 0x2c;

export interface JsonLimits {
  maxDepth: number;
  maxValues: number;
}

/** Feed it the body's chunks in order; `push` returns a message once a limit is crossed (and from then on). */
export class JsonShapeGuard {
  private depth = 0;
  private values = 0;
  private inString = false;
  /** Inside a string, the previous byte was an unpaired backslash (carried across chunks). */
  private escaped = false;
  private failure: string | undefined;

  constructor(private readonly limits: JsonLimits) {}

  push(chunk: Uint8Array): string | undefined {
    if (this.failure !== undefined) return this.failure;
    const buf = Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
    let i = 0;
    const n = buf.length;
    while (i < n) {
      if (this.inString) {
        i = this.skipString(buf, i);
        continue;
      }
      const b = buf[i++];
      if (b === QUOTE) this.inString = true;
      else if (b === OPEN_ARRAY || b === OPEN_OBJECT) {
        this.depth++;
        this.values++;
        if (this.depth > this.limits.maxDepth) return this.fail(`body nests deeper than ${this.limits.maxDepth} levels (the protocol needs 3)`);
      } else if (b === CLOSE_ARRAY || b === CLOSE_OBJECT) this.depth--;
      else if (b === COMMA) this.values++;
      if (this.values > this.limits.maxValues) return this.fail(`body has more than ${this.limits.maxValues} array elements and object members`);
    }
    return undefined;
  }

  /** From `i` inside a string: returns the index after its closing quote, or n if the chunk ends first. */
  private skipString(buf: Buffer, i: number): number {
    const n = buf.length;
    if (this.escaped) {
      this.escaped = false;
      i++; // the escaped byte (a quote or backslash here is not special)
      if (i >= n) return n;
    }
    for (;;) {
      const q = buf.indexOf(QUOTE, i);
      const end = q === -1 ? n : q;
      // Backslashes right before `end` (or the chunk's end): an odd run escapes what follows.
      let run = 0;
      while (end - run - 1 >= i && buf[end - run - 1] === BACKSLASH) run++;
      if (q === -1) {
        this.escaped = run % 2 === 1;
        return n;
      }
      if (run % 2 === 0) {
        this.inString = false;
        return q + 1;
      }
      i = q + 1; // an escaped quote: the string goes on
      if (i >= n) return n;
    }
  }

  private fail(message: string): string {
    this.failure = message;
    return message;
  }
}
