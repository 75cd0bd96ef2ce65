import { describe, expect, it } from "vitest";
import { buildCorpus, createRandom, loadSourceArticles } from "../../../bench/corpus.js";

const countWords = (text: string) => text.split(/\s+/).filter(Boolean).length;

describe("createRandom", () => {
  it("repeats its sequence for a seed and differs between seeds", () => {
    const a = createRandom(42);
    const b = createRandom(42);
    const c = createRandom(43);
    const first = Array.from({ length: 5 }, a);
    expect(Array.from({ length: 5 }, b)).toEqual(first);
    expect(Array.from({ length: 5 }, c)).not.toEqual(first);
    for (const x of first) {
      expect(x).toBeGreaterThanOrEqual(0);
      expect(x).toBeLessThan(1);
    }
  });
});

describe("buildCorpus", () => {
  it("builds the same corpus on every run for the same seed", () => {
    const one = buildCorpus(50);
    const two = buildCorpus(50);
    expect(two.articles).toEqual(one.articles);
    expect(two.words).toBe(one.words);
    expect(two.bytes).toBe(one.bytes);
    expect(buildCorpus(50, 7).articles.map((a) => a.body)).not.toEqual(one.articles.map((a) => a.body));
  });

  it("makes news-length articles (400–600 words of body, whole paragraphs) with distinct ids", () => {
    const corpus = buildCorpus(200);
    expect(corpus.articles).toHaveLength(200);
    expect(new Set(corpus.articles.map((a) => a.id)).size).toBe(200);
    const paragraphs = new Set(
      loadSourceArticles().articles.flatMap((a) => a.body.split("\n").map((p) => p.trim())),
    );
    for (const article of corpus.articles) {
      // The last paragraph may carry a body past 600 words; the target length is drawn from 400–600.
      expect(countWords(article.body)).toBeGreaterThanOrEqual(400);
      for (const paragraph of article.body.split("\n")) expect(paragraphs.has(paragraph)).toBe(true);
    }
    const average = corpus.articles.reduce((sum, a) => sum + countWords(a.body), 0) / corpus.articles.length;
    expect(average).toBeGreaterThan(400);
    expect(average).toBeLessThan(700);
  });

  it("counts the words and bytes it reports", () => {
    const corpus = buildCorpus(20);
    const words = corpus.articles.reduce((sum, a) => sum + countWords(a.title) + countWords(a.body), 0);
    const bytes = corpus.articles.reduce(
      (sum, a) => sum + Buffer.byteLength(a.title) + Buffer.byteLength(a.body),
      0,
    );
    expect(corpus.words).toBe(words);
    expect(corpus.bytes).toBe(bytes);
    expect(corpus.description).toContain("20 articles");
  });
});
