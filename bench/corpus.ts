// Builds the benchmark corpus: at least N news-length articles made from the
// sample and dev articles. Each article is assembled from whole paragraphs of
// the source articles (a seeded shuffle, so every run measures the same text)
// until it reaches 400–600 words, the length of an average news article.
// Paragraphs keep their sentences intact so the coder sees realistic text.
import { existsSync, readFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import type { Article } from "../coder/types.js";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");

/** Mulberry32: a small seeded PRNG, so the corpus is identical across runs. */
export function createRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function readJsonl(path: string): Article[] {
  return readFileSync(path, "utf8")
    .split("\n")
    .filter((line) => line.trim())
    .map((line) => JSON.parse(line) as Article);
}

/** The articles the corpus is made from: ours, plus the shared dev set when it sits beside the checkout. */
export function loadSourceArticles(): { articles: Article[]; sources: string[] } {
  const sources: string[] = [];
  const articles: Article[] = [];
  for (const path of [
    join(root, "events/samples/articles.jsonl"),
    join(root, "../shared/eval/dev/articles.jsonl"),
  ]) {
    if (existsSync(path)) {
      articles.push(...readJsonl(path));
      sources.push(path.startsWith(root) ? path.slice(root.length + 1) : "../shared/eval/dev/articles.jsonl");
    }
  }
  if (articles.length === 0) throw new Error("no source articles found for the benchmark corpus");
  return { articles, sources };
}

const countWords = (text: string) => text.split(/\s+/).filter(Boolean).length;

export interface Corpus {
  articles: Article[];
  words: number;
  bytes: number;
  description: string;
}

export function buildCorpus(size = 2_000, seed = 20_251_127): Corpus {
  const { articles: sources, sources: files } = loadSourceArticles();
  const random = createRandom(seed);
  const paragraphs = sources.flatMap((a) =>
    a.body
      .split("\n")
      .map((p) => p.trim())
      .filter((p) => countWords(p) >= 5),
  );
  const articles: Article[] = [];
  let words = 0;
  let bytes = 0;
  for (let i = 0; i < size; i++) {
    const base = sources[i % sources.length]!;
    const target = 400 + Math.floor(random() * 201);
    const parts: string[] = [];
    let n = 0;
    while (n < target) {
      const p = paragraphs[Math.floor(random() * paragraphs.length)]!;
      parts.push(p);
      n += countWords(p);
    }
    const body = parts.join("\n");
    const article: Article = {
      ...base,
      id: `bench-${String(i).padStart(5, "0")}`,
      body,
    };
    articles.push(article);
    words += countWords(article.title) + n;
    bytes += Buffer.byteLength(article.title) + Buffer.byteLength(body);
  }
  return {
    articles,
    words,
    bytes,
    description: `${size} articles of 400–600 words, each assembled from whole paragraphs drawn with a seeded shuffle (seed ${seed}) from ${sources.length} source articles (${files.join(", ")}), titles and dates kept from the source article.`,
  };
}
