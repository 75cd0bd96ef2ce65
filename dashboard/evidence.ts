// The sentence around an evidence span, so a reader sees the claim in context with the
// span itself marked. Pure (no DOM), so it is tested without a browser.

export interface EvidenceContext {
  before: string;
  span: string;
  after: string;
}

const SENTENCE_END = /[.!?\n]/;
/** Context kept on each side of the span when a sentence runs long. */
const MAX_CONTEXT = 240;

/** Splits `text` into the sentence before the span, the span, and the rest of its sentence. */
export function findEvidenceContext(text: string, start: number, end: number): EvidenceContext {
  const safeStart = Math.max(0, Math.min(start, text.length));
  const safeEnd = Math.max(safeStart, Math.min(end, text.length));
  let from = safeStart;
  while (from > 0 && !SENTENCE_END.test(text[from - 1] ?? "") && safeStart - from < MAX_CONTEXT) from -= 1;
  let to = safeEnd;
  while (to < text.length && !SENTENCE_END.test(text[to] ?? "") && to - safeEnd < MAX_CONTEXT) to += 1;
  if (to < text.length && text[to] !== "\n") to += 1;
  return {
    before: text.slice(from, safeStart).trimStart(),
    span: text.slice(safeStart, safeEnd),
    after: text.slice(safeEnd, to).trimEnd(),
  };
}

/** A Goldstein score (−10 … +10) as a colour: red for conflict, grey for neutral, green for cooperation. */
export function colourForGoldstein(score: number): string {
  const t = Math.max(-1, Math.min(1, score / 10));
  const grey = [158, 158, 158];
  const end = t < 0 ? [215, 48, 31] : [26, 152, 80];
  const weight = Math.abs(t);
  const mix = grey.map((g, i) => Math.round(g + (end[i]! - g) * weight));
  return `rgb(${mix[0]}, ${mix[1]}, ${mix[2]})`;
}

/** Edge width in pixels for a dyad's event count: grows with the square root, capped. */
export function widthForCount(count: number): number {
  return Math.min(14, 1.5 + 2 * Math.sqrt(Math.max(0, count)));
}
