// Properties that must hold for any input: the coder never throws, every
// evidence span points into the article and quotes it exactly, and ids are a
// function of the content.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { codeArticle, createCoder } from "../../coder/index.js";
import { ruleFiles } from "../../coder/rules/index.js";
import type { Article, CodedArticle } from "../../coder/types.js";
import { inventedDictionaries } from "../fixtures/invented-dictionaries.js";

const invented = createCoder(inventedDictionaries, ruleFiles);

// Words the coder reacts to, so random text often forms real events.
const vocabulary = [
  "Avalon",
  "Borduria",
  "Syldavia",
  "Camelot",
  "Kral",
  "Morrow",
  "League of Nine",
  "China",
  "Russia",
  "U.S.",
  "Ukrainian",
  "President",
  "foreign minister",
  "met",
  "said",
  "will",
  "not",
  "never",
  "if",
  "condemned",
  "sanctions on",
  "rejected",
  "urged",
  "the",
  "and",
  "to",
  "by",
  "was",
  "he",
  "they",
  "it",
  "talks with",
  "visited",
  "accused",
  "threatened",
  ",",
  ".",
  '"',
  "“",
  "”",
  "'s",
  "-",
  "\n",
  "on Tuesday",
  "last month",
];

const textLike = fc.oneof(
  fc.string({ maxLength: 400 }),
  fc.string({ unit: "grapheme", maxLength: 200 }),
  fc.array(fc.constantFrom(...vocabulary), { maxLength: 80 }).map((ws) => ws.join(" ")),
);

const articleArb = fc.record({
  id: fc.string({ minLength: 1, maxLength: 20 }),
  title: textLike,
  body: textLike,
  publishedAt: fc
    .date({
      min: new Date("1990-01-01T00:00:00Z"),
      max: new Date("2030-12-31T00:00:00Z"),
      noInvalidDate: true,
    })
    .map((d) => d.toISOString()),
  url: fc.constant("https://example.org/a"),
  source: fc.constant("test"),
});

function checkSpans(article: Article, coded: CodedArticle): void {
  const spans = [...coded.events.map((e) => e.evidence), ...coded.stances.flatMap((s) => s.evidence)];
  for (const ev of spans) {
    const field = article[ev.field];
    expect(ev.start).toBeGreaterThanOrEqual(0);
    expect(ev.end).toBeLessThanOrEqual(field.length);
    expect(ev.start).toBeLessThan(ev.end);
    expect(ev.text).toBe(field.slice(ev.start, ev.end));
  }
  for (const e of coded.events) {
    expect(e.confidence).toBeGreaterThanOrEqual(0);
    expect(e.confidence).toBeLessThanOrEqual(1);
    expect(e.cameo.root).toBe(e.cameo.code.slice(0, 2));
    expect(e.date).toMatch(/^\d{4}-\d{2}-\d{2}$/);
  }
}

describe("coder properties", () => {
  it("never throws and keeps every evidence span exact (invented dictionaries)", () => {
    fc.assert(
      fc.property(articleArb, (article) => {
        checkSpans(article, invented.codeArticle(article));
      }),
      { numRuns: 400 },
    );
  });

  it("never throws and keeps every evidence span exact (real dictionaries)", () => {
    fc.assert(
      fc.property(articleArb, (article) => {
        checkSpans(article, codeArticle(article));
      }),
      { numRuns: 200 },
    );
  });

  it("gives the same ids for the same content", () => {
    fc.assert(
      fc.property(articleArb, (article) => {
        const a = invented.codeArticle(article);
        const b = invented.codeArticle({ ...article });
        expect(a.events.map((e) => e.id)).toEqual(b.events.map((e) => e.id));
        expect(a.stances.map((s) => s.id)).toEqual(b.stances.map((s) => s.id));
      }),
      { numRuns: 100 },
    );
  });

  it("codes a real-looking sentence into events with ids that depend on the article id", () => {
    const base: Article = {
      id: "a1",
      title: "",
      body: "Avalonian President Ada Morrow met Bordurian Foreign Minister Boris Kral on Monday.",
      publishedAt: "2024-05-10T00:00:00Z",
      url: "u",
      source: "s",
    };
    const one = invented.codeArticle(base);
    const other = invented.codeArticle({ ...base, id: "a2" });
    expect(one.events.length).toBeGreaterThan(0);
    expect(one.events[0]!.id).not.toBe(other.events[0]!.id);
  });

  it("copes with huge bodies, HTML, control characters and no punctuation", () => {
    const big = "Avalon condemned Borduria and urged Syldavia to talk ".repeat(5000);
    const inputs = [
      big,
      "<p>Avalon <b>met</b> Borduria</p>",
      "\u0000\u0001\u202e Avalon met Borduria",
      "a".repeat(100_000),
      "",
    ];
    for (const body of inputs) {
      const article: Article = {
        id: "x",
        title: body.slice(0, 50),
        body,
        publishedAt: "2024-01-01T00:00:00Z",
        url: "u",
        source: "s",
      };
      checkSpans(article, invented.codeArticle(article));
    }
  });
});
