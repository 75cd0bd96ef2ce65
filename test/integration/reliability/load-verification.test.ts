// The load script's checks must catch what they promise to catch: a lost article, a
// duplicate on the bus, a second stored version, a dead letter. Each case starts from a
// clean run and breaks one thing.
import { describe, expect, it } from "vitest";
import {
  type ArchivedEvent,
  buildArticles,
  percentile,
  type RunEvidence,
  type StoredView,
  verifyRun,
} from "../../../scripts/load.js";

const ids = ["load-a", "load-b", "load-c"];

function cleanRun(): RunEvidence & { archive: ArchivedEvent[]; stored: Map<string, StoredView | null> } {
  const archive: ArchivedEvent[] = [];
  const stored = new Map<string, StoredView | null>();
  for (const id of ids) {
    const eventIds = [`ev-${id}-1`, `ev-${id}-2`];
    const stanceIds = [`st-${id}-1`];
    archive.push({ "detail-type": "ArticlePublished", detail: { id } });
    for (const eventId of eventIds) {
      archive.push({
        "detail-type": "DiplomaticEventCoded",
        detail: {
          articleId: id,
          version: 1,
          eventKey: `DiplomaticEventCoded#${id}#1#${eventId}`,
          event: { id: eventId },
        },
      });
    }
    for (const stanceId of stanceIds) {
      archive.push({
        "detail-type": "StanceRecorded",
        detail: {
          articleId: id,
          version: 1,
          eventKey: `StanceRecorded#${id}#1#${stanceId}`,
          stance: { id: stanceId },
        },
      });
    }
    archive.push({
      "detail-type": "ArticleCoded",
      detail: { articleId: id, version: 1, eventKey: `ArticleCoded#${id}#1`, eventIds, stanceIds },
    });
    stored.set(id, {
      article: { id, version: 1 },
      events: eventIds.map((e) => ({ id: e })),
      stances: stanceIds.map((s) => ({ id: s })),
    });
  }
  // Another run's events in the same archive are not this run's business.
  archive.push({ "detail-type": "ArticleCoded", detail: { articleId: "other-run", version: 3 } });
  return { articleIds: ids, archive, stored, deadLetters: 0, streamFailedRecords: 0 };
}

describe("the load script's verification", () => {
  it("passes a clean run and counts it", () => {
    const result = verifyRun(cleanRun());
    expect(result.problems).toEqual([]);
    expect(result.ok).toBe(true);
    expect(result.counts).toEqual({
      articles: 3,
      published: 3,
      articleCoded: 3,
      diplomaticEventCoded: 6,
      stanceRecorded: 3,
      storedEvents: 6,
      storedStances: 3,
    });
  });

  it("detects a lost article: never coded, never stored", () => {
    const run = cleanRun();
    run.archive = run.archive.filter((e) => e.detail.articleId !== "load-b");
    run.stored.set("load-b", null);
    const result = verifyRun(run);
    expect(result.ok).toBe(false);
    expect(result.problems).toEqual([
      "articles without ArticleCoded (1): load-b",
      "articles not stored (GET /articles/{id} answered 404) (1): load-b",
    ]);
  });

  it("detects a derived event delivered twice", () => {
    const run = cleanRun();
    const duplicate = run.archive.find((e) => e["detail-type"] === "DiplomaticEventCoded")!;
    run.archive.push(structuredClone(duplicate));
    const result = verifyRun(run);
    expect(result.ok).toBe(false);
    expect(result.problems).toEqual([
      `DiplomaticEventCoded delivered more than once (1): ${duplicate.detail.eventKey} ×2`,
    ]);
  });

  it("detects a second ArticleCoded, a published duplicate and a second stored version", () => {
    const run = cleanRun();
    run.archive.push({ "detail-type": "ArticlePublished", detail: { id: "load-c" } });
    run.archive.push(structuredClone(run.archive.find((e) => e["detail-type"] === "ArticleCoded")!));
    run.stored.set("load-c", { ...run.stored.get("load-c")!, article: { id: "load-c", version: 2 } });
    const result = verifyRun(run);
    expect(result.problems).toEqual([
      "articles published more than once (1): load-c ×2",
      "articles with more than one ArticleCoded (1): load-a ×2",
      "articles stored more than once (a second version or repeated items) (1): load-c (version 2)",
    ]);
  });

  it("detects a missing event, an event nobody listed, and stored items that differ", () => {
    const run = cleanRun();
    run.archive = run.archive.filter((e) => e.detail.eventKey !== "StanceRecorded#load-a#1#st-load-a-1");
    run.archive.push({
      "detail-type": "DiplomaticEventCoded",
      detail: {
        articleId: "load-b",
        version: 1,
        eventKey: "DiplomaticEventCoded#load-b#1#ev-x",
        event: { id: "ev-x" },
      },
    });
    run.stored.set("load-c", { ...run.stored.get("load-c")!, events: [{ id: "ev-load-c-1" }] });
    const result = verifyRun(run);
    expect(result.problems).toEqual([
      "articles whose stored events or stances differ from their ArticleCoded (1): load-c",
      "events or stances listed in ArticleCoded but never announced (1): load-a/st-load-a-1",
      "events or stances announced but not listed in ArticleCoded (1): load-b/ev-x",
    ]);
  });

  it("detects dead letters and stream records given up", () => {
    const run = { ...cleanRun(), deadLetters: 2, streamFailedRecords: 5 };
    expect(verifyRun(run).problems).toEqual([
      "the coder's dead-letter queue holds 2 messages",
      "the stream poller gave up on 5 records",
    ]);
  });

  it("builds distinct articles from the samples and reads percentiles by nearest rank", () => {
    const sample = {
      id: "s",
      title: "T",
      body: "B",
      publishedAt: "2025-04-01T12:00:00Z",
      url: "https://example.org/s",
      source: "x",
    };
    const built = buildArticles([sample, { ...sample, title: "U" }], 5, "run1");
    expect(new Set(built.map((a) => a.id)).size).toBe(5);
    expect(new Set(built.map((a) => `${a.title}|${a.body}`)).size).toBe(5);
    expect(built.map((a) => a.title)).toEqual(["T (1)", "U (2)", "T (3)", "U (4)", "T (5)"]);
    expect(percentile([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 50)).toBe(5);
    expect(percentile([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 90)).toBe(9);
    expect(percentile([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 99)).toBe(10);
  });
});
