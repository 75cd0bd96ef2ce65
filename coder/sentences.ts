// Stage 1b: sentences over tokens, with abbreviation handling. Working on
// tokens (not characters) keeps "U.S." and "83.7" whole for free.
import { MONTH_ABBREVIATIONS } from "./dates.js";
import type { Token } from "./tokens.js";

const ABBREVIATIONS = new Set([
  "mr",
  "mrs",
  "ms",
  "dr",
  "lt",
  "gen",
  "col",
  "sgt",
  "capt",
  "maj",
  "gov",
  "sen",
  "rep",
  "st",
  ...MONTH_ABBREVIATIONS,
  "no",
  "vs",
  "inc",
  "co",
  "corp",
  "ltd",
  "jr",
  "sr",
  "prof",
  "rev",
  "adm",
  "cmdr",
  "brig",
  "mt",
  "ft",
  "approx",
  "dept",
  "est",
  "fig",
  "cf",
]);

// After "U.S." a capitalised word usually continues the noun phrase ("U.S. President");
// only these words reliably start a new sentence there.
const SENTENCE_STARTERS = new Set([
  "the",
  "he",
  "she",
  "it",
  "they",
  "we",
  "i",
  "but",
  "in",
  "a",
  "an",
  "this",
  "that",
  "these",
  "those",
  "on",
  "its",
  "their",
  "his",
  "her",
  "after",
  "before",
  "meanwhile",
  "however",
  "earlier",
  "later",
  "there",
]);

const TERMINATORS = new Set([".", "!", "?"]);
// Text without punctuation would otherwise be one endless sentence, and clause
// analysis is linear only per sentence of bounded length.
const SOFT_LIMIT = 120;
const HARD_LIMIT = 200;
const CLOSERS = new Set(['"', "'", ")", "]"]);

/** Whether the token's text ends with a dot: read from its interned word, whose object is at hand. */
function endsWithDot(t: Token): boolean {
  return t.word !== undefined ? t.word.endsWithDot : t.text.charCodeAt(t.text.length - 1) === 46;
}

/** Split a run of tokens into sentences; returns [startIndex, endIndex) pairs. */
export function splitSentences(tokens: Token[]): Array<[number, number]> {
  const out: Array<[number, number]> = [];
  let start = 0;
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i]!;
    let boundary = false;
    let endIdx = i + 1;
    // Terminators are always punctuation tokens: words skip the set lookup.
    if (t.kind === "punct" && TERMINATORS.has(t.text)) {
      // Absorb closing quotes and brackets into the sentence they close.
      while (endIdx < tokens.length && CLOSERS.has(tokens[endIdx]!.text)) endIdx++;
      const next = tokens[endIdx];
      const prev = tokens[i - 1];
      const abbrev =
        t.text === "." &&
        prev !== undefined &&
        prev.end === t.start &&
        (ABBREVIATIONS.has(prev.lower) || (prev.text.length === 1 && prev.cap));
      if (next === undefined) boundary = true;
      else if (!abbrev && (next.cap || next.kind === "number" || next.text === '"' || next.text === "'"))
        boundary = true;
      else if (abbrev && next.cap && SENTENCE_STARTERS.has(next.lower) && !(prev!.text.length === 1))
        boundary = true;
    } else if (t.kind === "word" && endsWithDot(t) && t.text.length > 2) {
      // A dotted abbreviation can end a sentence ("... to the U.S. The talks ...").
      const next = tokens[i + 1];
      if (next === undefined) boundary = true;
      else if (next.cap && SENTENCE_STARTERS.has(next.lower)) boundary = true;
    }
    const length = endIdx - start;
    if (!boundary && (length >= HARD_LIMIT || (length >= SOFT_LIMIT && (t.text === "," || t.text === ";"))))
      boundary = true;
    if (boundary) {
      out.push([start, endIdx]);
      start = endIdx;
      i = endIdx - 1;
    }
  }
  if (start < tokens.length) out.push([start, tokens.length]);
  return out;
}
