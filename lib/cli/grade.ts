// `rlvr grade`: grade a JSON-lines file of responses (or extracted answers) against gold answers.
import { parseCommandArgs } from './args';
import { UsageError, type CliCommand } from './command';
import { pct, textTable } from './text-table';
import { DataError, readJsonl, writeFileAtomic } from '../util';
import { DEFAULT_DEADLINE_MS, tallyByKind, verify, type LabelTally, type VerifierMode } from '../verifier';

const USAGE = `usage: rlvr grade FILE.jsonl [--mode strict|authors] [--out FILE] [--r1-style] [--deadline-ms N]

  Grades every line of FILE.jsonl: a JSON object with "response" (a full model output) or "pred" (an
  already-extracted answer) plus "gold". Writes the lines back, to --out or stdout, with "correct" and
  "extracted" added. When lines carry a boolean "label", prints accuracy, false positives and false
  negatives by "kind" to stderr.

  --mode         strict (default: true mathematical equivalence) or authors (the paper's \`math\` reward)
  --out          write the graded lines to this file instead of stdout
  --r1-style     authors mode: extract from the text after the last <answer> (the _r1_style task suffix)
  --deadline-ms  wall-clock safety net per line in ms (default ${DEFAULT_DEADLINE_MS}; size and depth caps bound the work)
`;

const MODES: readonly VerifierMode[] = ['strict', 'authors'];

export const gradeCommand: CliCommand = {
  name: 'grade',
  summary: 'grade a JSONL file of responses against gold answers (strict or authors mode)',
  usage: USAGE,
  async run(argv, io) {
    const { values, positionals } = parseCommandArgs(argv, {
      mode: { type: 'string', default: 'strict' },
      out: { type: 'string' },
      'r1-style': { type: 'boolean' },
      'deadline-ms': { type: 'string' },
    });
    if (positionals.length !== 1) throw new UsageError(positionals.length === 0 ? 'missing FILE.jsonl' : `expected one file, received ${positionals.length}`);
    const mode = values.mode as string;
    if (!(MODES as readonly string[]).includes(mode)) throw new UsageError(`--mode must be strict or authors, received "${mode}"`);
    const deadlineMs = values['deadline-ms'] === undefined ? undefined : Number(values['deadline-ms']);
    if (deadlineMs !== undefined && !(deadlineMs > 0)) throw new UsageError(`--deadline-ms must be a positive number, received "${values['deadline-ms']}"`);

    const file = positionals[0];
    const records = readJsonl(file);
    const lines: string[] = [];
    const labelled: { kind: string; label: boolean; verdict: boolean }[] = [];
    for (const rec of records) {
      const v = rec.value;
      const text = typeof v.response === 'string' ? v.response : v.pred;
      if (typeof text !== 'string') throw new DataError({ file, line: rec.line, field: 'response' }, 'needs a string "response" or "pred"');
      if (typeof v.gold !== 'string') throw new DataError({ file, line: rec.line, field: 'gold' }, v.gold === undefined ? 'missing' : `expected a string, received ${typeof v.gold}`);
      if (v.label !== undefined && typeof v.label !== 'boolean') throw new DataError({ file, line: rec.line, field: 'label' }, 'expected true or false');
      const verdict = verify(text, v.gold, {
        mode: mode as VerifierMode,
        isPred: typeof v.response !== 'string',
        r1Style: values['r1-style'] === true,
        deadlineMs,
      });
      lines.push(JSON.stringify({ ...v, correct: verdict.correct, extracted: verdict.extracted }));
      if (typeof v.label === 'boolean') labelled.push({ kind: typeof v.kind === 'string' ? v.kind : '(no kind)', label: v.label, verdict: verdict.correct });
    }
    const body = lines.length === 0 ? '' : lines.join('\n') + '\n';
    if (values.out !== undefined) writeFileAtomic(values.out, body);
    else io.out(body);
    if (labelled.length > 0) io.err(summaryTable(mode, labelled.length, records.length, tallyByKind(labelled)));
    else io.err(`rlvr grade: ${records.length} lines graded (${mode}); ${lines.length === 0 ? 0 : lines.filter((l) => l.includes('"correct":true')).length} correct\n`);
    return 0;
  },
};

function summaryTable(mode: string, labelled: number, total: number, rows: LabelTally[]): string {
  const body = rows.map((r) => [r.kind, String(r.n), pct(r.accuracy), String(r.falsePositives), String(r.falseNegatives)]);
  return `rlvr grade (${mode}): ${labelled} of ${total} lines labelled\n${textTable(['kind', 'n', 'accuracy', 'FP', 'FN'], body)}`;
}
