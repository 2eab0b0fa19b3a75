// The authors' task-name grammar (spec §3.1), parsed into a typed tree:
//   name   := part ('_AND_' part)*                  1 only if every part is truthy
//   part   := 'inverse_' part                        1 - r
//           | leaf '_r1_style'                       R1 flag for extraction and format
//           | leaf
//   leaf   := 'random' FLOAT | base-name             random<p>, e.g. random0.5, random0
// A `_r1_style` suffix on the whole name sets the flag on every part (spec §3.1: "append
// `_r1_style` to the reward name"), so `box_only_format_AND_inverse_contain_python_wo_backticks_r1_style`
// reads the box in R1 style too; a suffix inside one part sets it on that part only. The flag
// lives on the leaves, so the tree says exactly which parts read R1 style.
import { closestName } from '../util';
import { REWARDS, UNSUPPORTED_REWARDS, type RewardName, type UnsupportedRewardName } from './registry';

export type RewardAst =
  | { kind: 'and'; parts: RewardAst[] }
  | { kind: 'inverse'; inner: RewardAst }
  | { kind: 'reward'; name: RewardName; r1Style: boolean; rate?: number }
  | { kind: 'unsupported'; name: UnsupportedRewardName; r1Style: boolean };

const AND = '_AND_';
const INVERSE = 'inverse_';
const R1 = '_r1_style';
const RANDOM_RATE = /^random((?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?)$/;
const DEFAULT_RANDOM_RATE = 0.5;

/** Parses a reward name; throws an error naming the bad part and listing the known names. */
export function parseRewardName(name: string): RewardAst {
  if (typeof name !== 'string' || name === '') throw new Error(`reward name is empty; known: ${knownNames()}`);
  const allR1 = name.includes(AND) && name.endsWith(R1);
  const parts = (allR1 ? name.slice(0, -R1.length) : name).split(AND);
  if (parts.length > 1) return { kind: 'and', parts: parts.map((p) => parsePart(p, name, allR1)) };
  return parsePart(name, name, false);
}

function parsePart(part: string, whole: string, inheritedR1: boolean): RewardAst {
  if (part === '') throw new Error(`reward "${whole}": empty part around "${AND}"`);
  if (part.startsWith(INVERSE)) return { kind: 'inverse', inner: parsePart(part.slice(INVERSE.length), whole, inheritedR1) };
  const ownR1 = part.endsWith(R1);
  const r1Style = ownR1 || inheritedR1;
  const base = ownR1 ? part.slice(0, -R1.length) : part;
  if (Object.prototype.hasOwnProperty.call(REWARDS, base)) {
    const leaf: RewardAst = { kind: 'reward', name: base as RewardName, r1Style };
    return base === 'random' ? { ...leaf, rate: DEFAULT_RANDOM_RATE } : leaf;
  }
  const m = RANDOM_RATE.exec(base);
  if (m) {
    const rate = Number(m[1]);
    if (!(rate >= 0 && rate <= 1)) throw new Error(`reward "${whole}": random rate must be in [0, 1], received ${m[1]}`);
    return { kind: 'reward', name: 'random', r1Style, rate };
  }
  if (Object.prototype.hasOwnProperty.call(UNSUPPORTED_REWARDS, base)) return { kind: 'unsupported', name: base as UnsupportedRewardName, r1Style };
  const close = closestName(base, [...Object.keys(REWARDS), ...Object.keys(UNSUPPORTED_REWARDS)]);
  const where = base === whole ? '' : ` in "${whole}"`;
  throw new Error(`reward "${base}"${where} is not registered${close ? ` (did you mean "${close}"?)` : ''}; known: ${knownNames()}`);
}

function knownNames(): string {
  return `${Object.keys(REWARDS).sort().join(', ')}, random<p> (e.g. random0.5); combine with A${AND}B, prefix ${INVERSE}, suffix ${R1}`;
}

/** Writes a tree back as a name (parse(format(t)) equals t). */
export function formatRewardAst(ast: RewardAst): string {
  switch (ast.kind) {
    case 'and': return ast.parts.map(formatRewardAst).join(AND);
    case 'inverse': return INVERSE + formatRewardAst(ast.inner);
    case 'unsupported': return ast.name + (ast.r1Style ? R1 : '');
    case 'reward': {
      const base = ast.name === 'random' && ast.rate !== undefined && ast.rate !== DEFAULT_RANDOM_RATE ? `random${ast.rate}` : ast.name;
      return base + (ast.r1Style ? R1 : '');
    }
  }
}
