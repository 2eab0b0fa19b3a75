// `rlvr reward`: score JSON-lines completions with a paper reward (spec §3) and write each line
// back with `reward` added. Lines that share a prompt (or a `group` field) form one group, which
// `ttt` needs; each group gets its own rng, forked from --seed by the group's first-seen index.
import type { CliCommand } from './command';
import { UsageError } from './command';
import { parseCommandArgs } from './args';
import { createRng, DataError, readJsonl, writeFileAtomic, type JsonlRecord } from '../util';
import { describeReward, makeReward } from '../rewards';
import type { VerifierMode } from '../verifier';

const USAGE = `usage: rlvr reward --reward NAME FILE.jsonl [--seed N] [--mode strict|authors] [--deadline-ms MS] [--out FILE]

Scores each line's completion with a reward of the paper (as the authors' code/ttrl/verifier/
implements it) and writes the line back with "reward" added (to --out, else to stdout; a summary
goes to stderr).

Each line needs:
  completion (or response)  the model output
  label (or gold)           the label, a string; may be ""; "label" wins when it is a string
  prompt, group             optional; lines with the same group (else the same prompt and label)
                            form one group, scored together (ttt votes within its group); a
                            group must share one label

Options:
  --reward NAME     a reward name in the authors' grammar, e.g. math, box_only_format, random0.5,
                    contain_python_wo_backticks, math_AND_inverse_contain_python_wo_backticks,
                    math_r1_style, ttt, no_repetition
  --seed N          integer seed of the random rewards (default 0)
  --mode M          verifier mode of math/ttt: strict (default) or authors (paper fidelity)
  --deadline-ms MS  verifier budget per math verification (default 2000)
  --out FILE        write the scored lines here (atomically) instead of stdout
`;

interface Line {
  rec: JsonlRecord;
  completion: string;
  label: string;
  prompt: string;
}

export const rewardCommand: CliCommand = {
  name: 'reward',
  summary: 'score JSONL completions with a paper reward (math, box_only_format, random0.5, ttt, ...)',
  usage: USAGE,
  async run(argv, io) {
    const { values, positionals } = parseCommandArgs(argv, {
      reward: { type: 'string' },
      seed: { type: 'string' },
      mode: { type: 'string' },
      'deadline-ms': { type: 'string' },
      out: { type: 'string' },
    });
    if (!values.reward) throw new UsageError('--reward NAME is required');
    if (positionals.length !== 1) throw new UsageError(`expected one FILE.jsonl, received ${positionals.length}`);
    const seed = values.seed === undefined ? 0 : Number(values.seed);
    if (!Number.isInteger(seed)) throw new UsageError(`--seed must be an integer, received "${values.seed}"`);
    const mode = (values.mode ?? 'strict') as VerifierMode;
    if (mode !== 'strict' && mode !== 'authors') throw new UsageError(`--mode must be strict or authors, received "${values.mode}"`);
    const deadline = values['deadline-ms'] === undefined ? undefined : Number(values['deadline-ms']);
    if (deadline !== undefined && !(deadline > 0)) throw new UsageError(`--deadline-ms must be a positive number, received "${values['deadline-ms']}"`);
    let reward;
    try {
      reward = makeReward(values.reward, { verifierMode: mode, deadlineMs: deadline });
    } catch (e) {
      throw new UsageError(`--reward: ${(e as Error).message}`);
    }

    const file = positionals[0];
    const lines = readJsonl(file).map((rec) => readLine(rec, file));
    const groups = new Map<string, Line[]>(); // first-seen order
    for (const l of lines) {
      const g = l.rec.value.group;
      // Same prompt with different labels (duplicate prompts exist in DeepScaleR) are different groups.
      const key = g !== undefined ? `group:${JSON.stringify(g)}` : l.rec.value.prompt !== undefined ? `prompt:${JSON.stringify([l.prompt, l.label])}` : `line:${l.rec.line}`;
      const members = groups.get(key);
      if (members) members.push(l);
      else groups.set(key, [l]);
    }
    const rewards = new Map<Line, number>();
    const root = createRng(seed);
    let index = 0;
    for (const members of groups.values()) {
      const odd = members.find((m) => m.label !== members[0].label);
      if (odd) {
        throw new DataError({ file, line: odd.rec.line, field: 'label' }, `lines of one group must share a label; line ${members[0].rec.line} of group ${JSON.stringify(odd.rec.value.group)} has ${JSON.stringify(members[0].label)}`);
      }
      const r = reward({ prompt: members[0].prompt, label: members[0].label, completions: members.map((m) => m.completion), rng: root.fork(index++) });
      members.forEach((m, i) => rewards.set(m, r[i]));
    }

    const text = lines.map((l) => JSON.stringify({ ...l.rec.value, reward: rewards.get(l) })).join('\n') + (lines.length ? '\n' : '');
    const total = [...rewards.values()].reduce((a, b) => a + b, 0);
    const summary = `${values.reward} (${mode}): ${lines.length} lines in ${groups.size} groups, mean reward ${lines.length ? (total / lines.length).toFixed(4) : 'n/a'}\n  ${describeReward(values.reward)}\n`;
    if (values.out) {
      writeFileAtomic(values.out, text);
      io.out(summary + `  wrote ${values.out}\n`);
    } else {
      io.out(text);
      io.err(summary);
    }
    return 0;
  },
};

function readLine(rec: JsonlRecord, file: string): Line {
  const v = rec.value;
  const completionField = v.completion !== undefined ? 'completion' : 'response';
  const completion = v[completionField];
  if (typeof completion !== 'string') {
    throw new DataError({ file, line: rec.line, field: completionField }, completion === undefined ? 'missing; each line needs "completion" or "response"' : `expected a string, received ${typeof completion}`);
  }
  const labelField = typeof v.label === 'string' || v.gold === undefined ? 'label' : 'gold';
  const label = v[labelField];
  if (typeof label !== 'string') {
    throw new DataError({ file, line: rec.line, field: labelField }, label === undefined ? 'missing; each line needs "label" or "gold" (a string, may be "")' : `expected a string, received ${typeof label}`);
  }
  const prompt = v.prompt === undefined ? '' : v.prompt;
  if (typeof prompt !== 'string') throw new DataError({ file, line: rec.line, field: 'prompt' }, `expected a string, received ${typeof prompt}`);
  return { rec, completion, label, prompt };
}
