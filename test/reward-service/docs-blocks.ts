// The configurations docs/reward-service.md marks `<!-- tested: NAME -->`: the tests run them as written.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

export const DOCS = readFileSync(join(process.cwd(), 'docs', 'reward-service.md'), 'utf8');

/** The fenced block right after `<!-- tested: NAME -->`. */
export function documented(name: string): string {
  const m = new RegExp(`<!-- tested: ${name} -->\\n\`\`\`[a-z]*\\n([\\s\\S]*?)\\n\`\`\``).exec(DOCS);
  if (!m) throw new Error(`docs/reward-service.md has no block marked <!-- tested: ${name} -->`);
  return m[1];
}
