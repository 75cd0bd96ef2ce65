import { describe, expect, it } from "vitest";
import { splitSentences } from "../../../coder/sentences.js";
import { datelineLength, normaliseShadow, splitParagraphs } from "../../../coder/text.js";
import { tokenize } from "../../../coder/tokens.js";

function sentences(text: string): string[] {
  const shadow = normaliseShadow(text);
  const out: string[] = [];
  for (const p of splitParagraphs(shadow)) {
    const skip = datelineLength(shadow, p);
    const tokens = tokenize(shadow, p.start + skip, p.end);
    for (const [a, b] of splitSentences(tokens)) out.push(text.slice(tokens[a]!.start, tokens[b - 1]!.end));
  }
  return out;
}

describe("normaliseShadow", () => {
  it("keeps the length and maps curly quotes, dashes and no-break spaces", () => {
    const text = "“Ready,” he said\u00a0— ‘yes’ «non»";
    const shadow = normaliseShadow(text);
    expect(shadow.length).toBe(text.length);
    expect(shadow).toBe('"Ready," he said - \'yes\' "non"');
  });
  it("turns control characters into spaces", () => {
    expect(normaliseShadow("a\u0000b\u0007c")).toBe("a b c");
  });
});

describe("sentences", () => {
  it("does not split on abbreviations, initials or dotted country codes", () => {
    expect(sentences("U.S. President Joe Biden met Lt. Gen. Smith on Jan. 5. Mr. Smith left.")).toEqual([
      "U.S. President Joe Biden met Lt. Gen. Smith on Jan. 5.",
      "Mr. Smith left.",
    ]);
  });
  it("ends a sentence after a dotted abbreviation when a new sentence clearly starts", () => {
    expect(sentences("The envoy flew to the U.S. The talks begin today.")).toEqual([
      "The envoy flew to the U.S.",
      "The talks begin today.",
    ]);
  });
  it("splits paragraphs on newlines and keeps closing quotes with their sentence", () => {
    expect(sentences('He said: "We will go." Then he left.\nNew paragraph here')).toEqual([
      'He said: "We will go."',
      "Then he left.",
      "New paragraph here",
    ]);
  });
  it("strips datelines in their usual forms", () => {
    expect(sentences("MOSCOW - Talks began.")).toEqual(["Talks began."]);
    expect(sentences("BEIJING, June 19 (Reuters) - Talks began.")).toEqual(["Talks began."]);
    expect(sentences("OHRID, North Macedonia, March 18 - Talks began.")).toEqual(["Talks began."]);
    expect(sentences("DUBAI/BEIJING, March 10 - Talks began.")).toEqual(["Talks began."]);
  });
  it("keeps decimals and thousands together", () => {
    expect(sentences("Uranium at 83.7% purity. About 1,200 died.")).toEqual([
      "Uranium at 83.7% purity.",
      "About 1,200 died.",
    ]);
  });
});

describe("tokenize", () => {
  it("splits possessives and negations but keeps inner apostrophes and dotted abbreviations", () => {
    const toks = tokenize(normaliseShadow("China’s U.N. envoy didn't visit Shi'ite Côte d'Ivoire"));
    expect(toks.map((t) => t.text)).toEqual([
      "China",
      "'s",
      "U.N.",
      "envoy",
      "did",
      "n't",
      "visit",
      "Shi'ite",
      "Côte",
      "d'Ivoire",
    ]);
  });
  it("gives offsets into the original text", () => {
    const text = "Ein Satz – 東京 und 🙂 mehr";
    for (const t of tokenize(normaliseShadow(text)))
      expect(text.slice(t.start, t.end).length).toBe(t.end - t.start);
  });
  it("interns a word once, however it was cut out of the text", () => {
    // A plain word and the same word cut out by another path ("did" of "didn't", a dotted
    // abbreviation, a clitic, a number with a comma) must find the same entry, or one word
    // would be interned twice.
    const toks = tokenize(
      normaliseShadow("did didn't U.S. U.S. 1,200 1,200 Shi'ite Shi'ite China's Russia's"),
    );
    const word = (i: number) => toks[i]!.word;
    expect(toks.map((t) => t.text)).toEqual([
      "did",
      "did",
      "n't",
      "U.S.",
      "U.S.",
      "1,200",
      "1,200",
      "Shi'ite",
      "Shi'ite",
      "China",
      "'s",
      "Russia",
      "'s",
    ]);
    expect(word(0)).toBeDefined();
    expect(word(1)).toBe(word(0));
    expect(word(4)).toBe(word(3));
    expect(word(6)).toBe(word(5));
    expect(word(8)).toBe(word(7));
    expect(word(12)).toBe(word(10));
    expect(word(9)).not.toBe(word(11));
  });
  it("splits hyphenated compounds so each part can be an actor", () => {
    expect(tokenize("a joint US-Ukrainian plan").map((t) => t.text)).toEqual([
      "a",
      "joint",
      "US",
      "-",
      "Ukrainian",
      "plan",
    ]);
  });
});
