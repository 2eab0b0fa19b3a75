// The words that make a sentence state a final answer, in the languages models drift into (English, Chinese,
// Spanish, French, German, Portuguese, Italian, Russian, Japanese, Korean). Each list is one regex; every
// pattern is a plain alternation (no nested quantifiers), so matching stays linear.

/** "the answer is", "Answer:", and the same in other languages: a statement of the answer follows. */
export const ANSWER_INTRO =
  /answer\s+is\b|answer\s*:|答案\s*(?:是|为|為|:|：)|最终答案|答え\s*(?:は|:|：)|解答\s*(?:は|:|：)|respuesta\s+(?:es\b|correcta\s+es\b)|respuesta\s*:|réponse\s+(?:est\b|finale\s+est\b)|réponse\s*:|antwort\s+(?:ist|lautet)\b|antwort\s*:|resposta\s+(?:é|e\b)|resposta\s*:|risposta\s+(?:è|e\b)|risposta\s*:|ответ\s*(?::|—|-|равен\b)|정답은|답은/gi;

/** A sentence that opens (or continues) with one of these draws a conclusion. */
const MARKER =
  /\b(?:therefore|thus|hence|so|consequently|finally|overall|altogether|in\s+total|in\s+conclusion|this\s+means|which\s+means|putting\s+(?:it\s+all|everything)\s+together|por\s+lo\s+tanto|por\s+tanto|así\s+que|entonces|donc|ainsi|par\s+conséquent|also|somit|daher|folglich|portanto|assim|logo|então|quindi|dunque|pertanto|perciò|итак|таким\s+образом|следовательно|значит|поэтому)\b|因此|所以|因而|于是|综上|故|よって|したがって|ゆえに|따라서|그러므로/i;

/** Words that tie a subject to the value that follows ("is", "equals", "es", "ist", "是", ...). */
const COPULA =
  /(?:^|[\s,])(?:is|are|was|were|equals?|equal\s+to|gives|yields|comes\s+to|evaluates\s+to|becomes|totals?|es|son|da|resulta|est|sont|vaut|égale?|ist|sind|beträgt|ergibt|gleich|é|são|dá|è|sono|vale|risulta|uguale|равно|равен|равна|составляет|будет)(?=[\s:]|$)|=|是|为|為|等于|等於|得|は|이다|은|는/i;

/** A sentence that only considers, assumes or asks about a value does not commit to it. */
const HEDGE =
  /^\s*(?:let|suppose|assume|assuming|if|consider|could|would|should|is|are|can|do|does|to\s|we\s+(?:need|still|must|want|will|have\s+to|can|should)|now\s+we|next|first)\b|\b(?:whether|need\s+to|have\s+to|would\s+have|assume|suppose|might|maybe|perhaps)\b|\?|？/i;

export function hasMarker(text: string): boolean {
  return MARKER.test(text);
}

export function hasCopula(text: string): boolean {
  return COPULA.test(text);
}

export function isHedged(sentence: string): boolean {
  return HEDGE.test(sentence);
}
