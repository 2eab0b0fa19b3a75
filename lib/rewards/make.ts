// makeReward: a reward name (spec §3.1 grammar) -> one RewardFn. Compounds evaluate every part on
// the same group and combine per completion.
import { parseRewardName, type RewardAst } from './name';
import { REWARDS, REWARD_DESCRIPTIONS, REWARD_INPUTS, UNSUPPORTED_REWARDS, type RewardInputs } from './registry';
import type { RewardFn, RewardGroup, RewardOptions } from './types';
import { pick } from '../util';
import { DEFAULT_DEADLINE_MS } from '../verifier';


/** Builds the reward named `name`; throws for unknown or unsupported names (the error lists the known ones). */
export function makeReward(name: string, opts: RewardOptions = {}): RewardFn {
  const mode = opts.verifierMode ?? 'strict';
  if (mode !== 'strict' && mode !== 'authors') throw new Error(`makeReward: verifierMode must be 'strict' or 'authors', received ${String(mode)}`);
  const deadlineMs = opts.deadlineMs ?? DEFAULT_DEADLINE_MS;
  if (!(deadlineMs > 0)) throw new Error(`makeReward: deadlineMs must be a positive number, received ${deadlineMs}`);
  const build = (ast: RewardAst): RewardFn => {
    switch (ast.kind) {
      case 'and': {
        const parts = ast.parts.map(build);
        // 1.0 only if every part is truthy (the authors' all()), else 0.0.
        return (g) => parts.map((p) => p(g)).reduce((acc, r) => acc.map((a, i) => (a !== 0 && r[i] !== 0 ? 1 : 0)));
      }
      case 'inverse': {
        const inner = build(ast.inner);
        return (g) => inner(g).map((r) => 1 - r);
      }
      case 'unsupported':
        throw new Error(`reward "${ast.name}" cannot be built: ${UNSUPPORTED_REWARDS[ast.name]}`);
      case 'reward': {
        const base = pick(REWARDS, ast.name, 'reward');
        const ctx = { mode, r1Style: ast.r1Style, rate: ast.rate ?? 0.5, deadlineMs };
        return (g: RewardGroup) => base(g, ctx);
      }
    }
  };
  return build(parseRewardName(name));
}

/** What a (possibly compound) reward reads: a compound needs the whole group or a label if any part does.
 * Throws for an unknown name, like makeReward. */
export function rewardInputs(name: string): RewardInputs {
  const walk = (ast: RewardAst): RewardInputs => {
    switch (ast.kind) {
      case 'and': return ast.parts.map(walk).reduce((a, b) => ({ wholeGroup: a.wholeGroup || b.wholeGroup, label: a.label || b.label }));
      case 'inverse': return walk(ast.inner);
      case 'unsupported': return { wholeGroup: false, label: false };
      case 'reward': return REWARD_INPUTS[ast.name];
    }
  };
  return walk(parseRewardName(name));
}

/** Plain-text meaning of a (possibly compound) reward name. */
export function describeReward(name: string): string {
  const text = (ast: RewardAst): string => {
    switch (ast.kind) {
      case 'and': return ast.parts.map((p) => `(${text(p)})`).join(' AND ');
      case 'inverse': return `NOT (${text(ast.inner)})`;
      case 'unsupported': return `${ast.name}: ${UNSUPPORTED_REWARDS[ast.name]}`;
      case 'reward': {
        const r1 = ast.r1Style ? ', R1 style: only the text after the last <answer>' : '';
        const what = ast.name === 'random' ? `random (p = ${ast.rate ?? 0.5}): ${REWARD_DESCRIPTIONS.random}` : `${ast.name}: ${REWARD_DESCRIPTIONS[ast.name]}`;
        return what + r1;
      }
    }
  };
  return `1 iff ${text(parseRewardName(name))}`;
}
