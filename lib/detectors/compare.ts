// Agreement between the paper's code-reasoning detector (contains "python", spec §6.1) and the
// structural classifier (code reasoning = strategy !== 'natural_language'). Plain records out,
// for notebook tables.
import { mentionsPython } from './python-mention';
import { classifyReasoning, type ReasoningStrategy } from './reasoning';

export interface DetectorDisagreement {
  /** Position of the text in the input. */
  index: number;
  /** The paper's verdict: the text mentions "python". */
  paper: boolean;
  strategy: ReasoningStrategy;
  imaginedOutput: boolean;
  /** The start of the text, whitespace collapsed. */
  excerpt: string;
}

export interface ConfusionCell {
  paper: 'code' | 'language';
  classifier: 'code' | 'language';
  count: number;
}

export interface DetectorComparison {
  n: number;
  agree: number;
  /** agree / n (NaN for no texts). */
  agreementRate: number;
  /** Cohen's kappa: agreement corrected for chance (NaN when undefined). */
  kappa: number;
  /** Code-reasoning rate under each detector. */
  paperCodeRate: number;
  classifierCodeRate: number;
  /** 2x2 table as four records: paper (rows) against classifier (columns). */
  confusion: ConfusionCell[];
  /** Counts per classifier strategy, split by the paper's verdict. */
  byStrategy: { strategy: ReasoningStrategy; paperCode: number; paperLanguage: number }[];
  disagreements: DetectorDisagreement[];
}

/** Compares the paper's detector with classifyReasoning on each text. */
export function compareDetectors(texts: readonly string[], opts: { excerptChars?: number } = {}): DetectorComparison {
  const excerptChars = opts.excerptChars ?? 160;
  const cells = { cc: 0, cl: 0, lc: 0, ll: 0 }; // paper x classifier
  const strategies: ReasoningStrategy[] = ['code_block', 'code_lines', 'natural_language'];
  const byStrategy = strategies.map((strategy) => ({ strategy, paperCode: 0, paperLanguage: 0 }));
  const disagreements: DetectorDisagreement[] = [];
  texts.forEach((text, index) => {
    const paper = mentionsPython(text);
    const c = classifyReasoning(text);
    const classifier = c.strategy !== 'natural_language';
    cells[`${paper ? 'c' : 'l'}${classifier ? 'c' : 'l'}` as keyof typeof cells]++;
    const row = byStrategy[strategies.indexOf(c.strategy)];
    if (paper) row.paperCode++;
    else row.paperLanguage++;
    if (paper !== classifier) {
      disagreements.push({ index, paper, strategy: c.strategy, imaginedOutput: c.imaginedOutput, excerpt: excerpt(text, excerptChars) });
    }
  });
  const n = texts.length;
  const agree = cells.cc + cells.ll;
  const pPaper = (cells.cc + cells.cl) / n;
  const pClass = (cells.cc + cells.lc) / n;
  const expected = pPaper * pClass + (1 - pPaper) * (1 - pClass);
  const observed = agree / n;
  return {
    n,
    agree,
    agreementRate: observed,
    kappa: expected === 1 ? NaN : (observed - expected) / (1 - expected),
    paperCodeRate: pPaper,
    classifierCodeRate: pClass,
    confusion: [
      { paper: 'code', classifier: 'code', count: cells.cc },
      { paper: 'code', classifier: 'language', count: cells.cl },
      { paper: 'language', classifier: 'code', count: cells.lc },
      { paper: 'language', classifier: 'language', count: cells.ll },
    ],
    byStrategy,
    disagreements,
  };
}

function excerpt(text: string, chars: number): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length <= chars ? flat : flat.slice(0, chars) + '…';
}
