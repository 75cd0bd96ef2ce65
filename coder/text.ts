// Stage 1: normalise without moving offsets, then split into paragraphs and
// sentences. Every later stage works on the shadow copy but reports offsets
// into the original, which is why the shadow must keep the same length.

/** Characters replaced one-for-one in the shadow copy. */
const SHADOW_MAP: Record<string, string> = {
  "\u2018": "'",
  "\u2019": "'",
  "\u201a": "'",
  "\u201b": "'",
  "\u2032": "'",
  "\u0060": "'",
  "\u00b4": "'",
  "\u201c": '"',
  "\u201d": '"',
  "\u201e": '"',
  "\u201f": '"',
  "\u00ab": '"',
  "\u00bb": '"',
  "\u2033": '"',
  "\u00a0": " ",
  "\u2007": " ",
  "\u202f": " ",
  "\u2009": " ",
  "\u200a": " ",
  "\u2002": " ",
  "\u2003": " ",
  "\t": " ",
  "\r": "\n",
  "\u2028": "\n",
  "\u2029": "\n",
  "\u2010": "-",
  "\u2011": "-",
  "\u2012": "-",
  "\u2013": "-",
  "\u2014": "-",
  "\u2015": "-",
  "\u2212": "-",
  "\u2026": ".",
};

/** A character that may need mapping (not printable ASCII, or a backtick): found natively. */
const MAYBE_MAPPED = /[^\x20-\x5f\x61-\x7e\n]/;

/** Same length as `text`; quotes, dashes and spaces mapped to plain ASCII forms. */
export function normaliseShadow(text: string): string {
  // Most texts are plain ASCII throughout and come back unchanged; the loop starts at the first candidate.
  const first = text.search(MAYBE_MAPPED);
  if (first < 0) return text;
  let out: string[] | undefined;
  let last = 0;
  for (let i = first; i < text.length; i++) {
    const code = text.charCodeAt(i);
    // Plain printable ASCII needs no mapping: the common case stays a scan.
    if (code >= 0x20 && code < 0x7f && code !== 0x60) continue;
    if (code === 0x0a) continue;
    const ch = text[i]!;
    let mapped = SHADOW_MAP[ch];
    // Control characters would otherwise glue words together or split them oddly.
    if (mapped === undefined && code < 0x20) mapped = " ";
    if (mapped === undefined) continue;
    out ??= [];
    out.push(text.slice(last, i), mapped);
    last = i + 1;
  }
  if (!out) return text;
  out.push(text.slice(last));
  return out.join("");
}

export interface Span {
  start: number;
  end: number;
}

/** Paragraphs are split on newlines first: publishers put one paragraph per line. */
export function splitParagraphs(shadow: string): Span[] {
  const spans: Span[] = [];
  let start = 0;
  // indexOf finds each newline natively instead of a loop reading one character at a time.
  while (start <= shadow.length) {
    let i = shadow.indexOf("\n", start);
    if (i < 0) i = shadow.length;
    let s = start;
    let e = i;
    while (s < e && shadow.charCodeAt(s) === 32) s++;
    while (e > s && shadow.charCodeAt(e - 1) === 32) e--;
    if (e > s) spans.push({ start: s, end: e });
    start = i + 1;
  }
  return spans;
}

// "MOSCOW - ", "BEIJING, June 19 (Reuters) - ", "OHRID, North Macedonia, March 18 - ",
// "DUBAI/BEIJING, March 10 - ". Matched only against the first 160 characters of a paragraph.
const DATELINE =
  /^[A-Z][A-Z.'’ ]{1,40}(?:\/[A-Z][A-Z.'’ ]{1,40})*(?:, [A-Z][A-Za-z.' ]{1,30}?)?(?:, [A-Z][a-z]{2,8}\.? \d{1,2})?(?: \([^)]{1,40}\))? -{1,2} /;

/** What DATELINE's first two characters need: an upper-case letter, then one of [A-Z.'’ ]. */
function isDatelineStart(shadow: string, at: number): boolean {
  const first = shadow.charCodeAt(at);
  const second = shadow.charCodeAt(at + 1);
  return (
    first >= 65 &&
    first <= 90 &&
    ((second >= 65 && second <= 90) || second === 46 || second === 39 || second === 0x2019 || second === 32)
  );
}

/** Length of the dateline at the start of a paragraph, or 0. */
export function datelineLength(shadow: string, paragraph: Span): number {
  // Most paragraphs fail on their first two characters ("The ..."): skip the slice and the regex.
  if (paragraph.end - paragraph.start < 2 || !isDatelineStart(shadow, paragraph.start)) return 0;
  const head = shadow.slice(paragraph.start, Math.min(paragraph.end, paragraph.start + 160));
  const m = DATELINE.exec(head);
  return m ? m[0].length : 0;
}
