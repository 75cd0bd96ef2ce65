// Replay: articles run through one pipeline; then its whole bus archive is replayed into
// a fresh pipeline (fresh table), once in the original order and once shuffled with
// duplicates, as EventBridge archive replays may deliver. The clusters, stance histories
// and dyad trends the fresh pipelines build are identical to the original's.
import { readFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Article } from "../../../coder/types.js";
import { ARTICLES_SOURCE, DetailType } from "../../../events/routing.js";
import type { EventEnvelope } from "../../../local/event-bus.js";
import { type AggregateSnapshot, readAggregates } from "../../integration/aggregates/read-aggregates.js";
import { createTestClient } from "../../integration/create-table.js";
import { PipelineHarness } from "./pipeline-harness.js";

const client = createTestClient();
const harnesses: PipelineHarness[] = [];

function day(offset: number): string {
  return new Date(Date.UTC(2025, 2, 1 + offset, 9)).toISOString().replace(".000Z", "Z");
}

const COOPERATION = [
  "Greece praised Turkey for its help after the earthquake, the foreign minister said.",
  "Greece praised Turkey for the rescue of migrants at sea, the government said.",
  "Greece praised Turkey for reopening the border crossing, officials said.",
];
const CONFLICT = [
  "Greece condemned Turkey over the violation of its airspace by Turkish jets.",
  "Greece condemned Turkey over the survey ship sent into disputed waters.",
];

/**
 * Thirty days of Greek praise for Turkey, then ten of condemnation: a dyad trend turning
 * point, a stance shift, and clusters reported by two outlets (some syndicated copies).
 * Plus the sample articles, and one article revised after publication.
 */
function buildArticles(): Article[] {
  const articles: Article[] = [];
  for (let i = 0; i < 40; i += 1) {
    const body = i < 30 ? COOPERATION[i % 3]! : CONFLICT[i % 2]!;
    const article = {
      id: `grc-tur-${String(i).padStart(2, "0")}`,
      title: i < 30 ? "Athens and Ankara" : "Tension in the Aegean",
      body,
      publishedAt: day(i),
      url: `https://outlet-a.example.org/${i}`,
      source: "outlet-a",
      language: "en",
    };
    articles.push(article);
    if (i % 3 === 0) {
      articles.push({
        ...article,
        id: `${article.id}-b`,
        url: `https://outlet-b.example.org/${i}`,
        source: "outlet-b",
      });
    }
  }
  const samples = readFileSync(new URL("../../../events/samples/articles.jsonl", import.meta.url), "utf8")
    .trim()
    .split("\n")
    .map((line) => JSON.parse(line) as Article);
  articles.push(...samples);
  // A correction: the outlet replaces condemnation with praise (a new version of the article).
  const revised = articles.find((a) => a.id === "grc-tur-33")!;
  articles.push({ ...revised, body: COOPERATION[0]! });
  return articles;
}

/** A deterministic shuffle (mulberry32), so a failure can be reproduced. */
function shuffle<T>(items: readonly T[], seed: number): T[] {
  let state = seed;
  const random = () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const out = [...items];
  for (let i = out.length - 1; i > 0; i -= 1) {
    const j = Math.floor(random() * (i + 1));
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

async function replay(archive: readonly EventEnvelope[]): Promise<AggregateSnapshot> {
  const fresh = await PipelineHarness.create(client);
  harnesses.push(fresh);
  for (let i = 0; i < archive.length; i += 1) {
    const event = archive[i]!;
    await fresh.put([{ source: event.source, detailType: event["detail-type"], detail: event.detail }]);
    // Drain now and then, so the fresh coder's output interleaves with the replayed events.
    if (i % 25 === 24) await fresh.drain();
  }
  await fresh.drain();
  return readAggregates(client, fresh.tableName);
}

const aggregatesOf = (s: AggregateSnapshot) => ({
  clusters: s.clusters,
  stanceHistories: s.stanceHistories,
  stanceEntries: s.stanceEntries,
  dyadTrends: s.dyadTrends,
});

describe("replaying the archive into a fresh stack", () => {
  let original: PipelineHarness;
  let before: AggregateSnapshot;

  beforeAll(async () => {
    original = await PipelineHarness.create(client);
    harnesses.push(original);
    for (const article of buildArticles()) {
      await original.put([
        { source: ARTICLES_SOURCE, detailType: DetailType.ArticlePublished, detail: article },
      ]);
      await original.drain();
    }
    before = await readAggregates(client, original.tableName);
  }, 300_000);

  afterAll(() => {
    for (const harness of harnesses) harness.destroy();
    client.destroy();
  });

  it("built clusters, a stance shift and a dyad trend worth comparing", () => {
    const clusters = Object.values(before.clusters) as Array<{ publisherCount: number }>;
    expect(clusters.filter((c) => c.publisherCount >= 2).length).toBeGreaterThanOrEqual(5);
    const history = before.stanceHistories["STANCEHISTORY#GRC#TUR|STATE"] as { entries: unknown[] };
    expect(history.entries.length).toBeGreaterThanOrEqual(40);
    expect(before.dyadTrends["DYADTREND#GRC#TUR|STATE"]).toBeDefined();
    const kinds = new Set(before.derivedEventKeys.map((k) => k.split("#")[0]));
    expect([...kinds].sort()).toEqual([
      DetailType.DyadTrendChanged,
      DetailType.EventConfirmed,
      DetailType.StanceShifted,
    ]);
    // Condemnation starts on 31 March: one escalation, found within the following days.
    const trends = before.derivedEventKeys.filter((k) => k.startsWith(DetailType.DyadTrendChanged));
    expect(trends).toHaveLength(1);
    expect(trends[0]).toMatch(/^DyadTrendChanged#GRC#TUR#2025-04-0\d#escalating$/);
    // Praise to condemnation on 31 March, and the corrected article (praise again) in between.
    const shifts = before.derivedEventKeys.filter((k) => k.startsWith(DetailType.StanceShifted));
    expect(shifts[0]).toMatch(/#grc-tur-29:1:[^#]+#grc-tur-30:1:/);
    expect(shifts.some((k) => k.includes("#grc-tur-33:2:"))).toBe(true);
    // The archive holds what subscribers received, derived events included.
    expect(original.archive.some((e) => e["detail-type"] === DetailType.EventConfirmed)).toBe(true);
  });

  it("gives identical aggregates and derived events when replayed in order", async () => {
    const after = await replay(original.archive);
    expect(aggregatesOf(after)).toEqual(aggregatesOf(before));
    expect(after.derivedEventKeys).toEqual(before.derivedEventKeys);
    expect(after.markers).toBe(before.markers);
  }, 300_000);

  it("gives identical aggregates when replayed shuffled, with a fifth of the events twice", async () => {
    // Replays deliver out of order, but an article's versions are numbered by the coder in
    // the order it receives them, so one article's ArticlePublished events keep theirs.
    const published = original.archive.filter((e) => e["detail-type"] === DetailType.ArticlePublished);
    const others = original.archive.filter((e) => e["detail-type"] !== DetailType.ArticlePublished);
    const withDuplicates = [...others, ...shuffle(others, 7).slice(0, Math.floor(others.length / 5))];
    const mixed = shuffle([...withDuplicates, ...published], 42);
    const publishedInOrder = [...published];
    const sequence = mixed.map((event) =>
      event["detail-type"] === DetailType.ArticlePublished ? publishedInOrder.shift()! : event,
    );
    const after = await replay(sequence);
    expect(aggregatesOf(after)).toEqual(aggregatesOf(before));
    const confirmations = (s: AggregateSnapshot) =>
      s.derivedEventKeys.filter((k) => k.startsWith("EventConfirmed"));
    expect(confirmations(after)).toEqual(confirmations(before));
  }, 300_000);
});
