// Exactly once in effect, under faults: 1,000 articles through the coder's queue and
// handler, the real store on DynamoDB Local, the table stream and the emitter, while a
// proxy throttles a fifth of every DynamoDB and DynamoDB Streams call. Every article must
// be stored once and every derived event put on the bus once; nothing may reach the DLQ.
import { describe, expect, it } from "vitest";
import { createShortArticle, expectedEventKeys } from "../../support/articles.js";
import { runFaultyPipeline } from "../../support/faulty-pipeline.js";

function countBy<T>(values: readonly T[]): Map<T, number> {
  const counts = new Map<T, number>();
  for (const value of values) counts.set(value, (counts.get(value) ?? 0) + 1);
  return counts;
}

describe("the pipeline under injected DynamoDB faults", () => {
  it("stores 1,000 articles once and emits each derived event once with 20% of calls throttled", {
    timeout: 180_000,
  }, async () => {
    const articles = Array.from({ length: 1_000 }, (_, i) => createShortArticle(`throttle-${i}`));
    const outcome = await runFaultyPipeline(articles, {
      faults: [
        { kind: "provisioned-throughput-exceeded", share: 0.1 },
        // Half of the rest, so another 10% of all calls.
        { kind: "throttling", share: 1 / 9 },
      ],
    });

    // The faults really happened, on both the coder's and the stream's calls.
    const { stats } = outcome.proxy;
    const injectedShare = outcome.proxy.injectedCount() / stats.calls;
    expect(injectedShare).toBeGreaterThan(0.15);
    expect(injectedShare).toBeLessThan(0.25);
    expect(stats.byOperation.TransactWriteItems).toBeGreaterThan(1_000);
    expect(stats.byOperation.GetRecords).toBeGreaterThan(0);

    // Throttling is absorbed where it happens, not by queue redelivery (in AWS a redelivery
    // waits out the coder queue's visibility timeout, six minutes): no record failed.
    expect(outcome.coderRecordsFailed).toBe(0);
    expect(outcome.deadLetters.map((d) => d.reason)).toEqual([]);
    expect(outcome.streamFailures).toEqual([]);

    // Stored once: one META and one version 1 per article, and exactly its events and stances.
    const byType = countBy(outcome.items.map((item) => String(item.type)));
    expect(byType.get("ArticleMeta")).toBe(1_000);
    expect(byType.get("ArticleVersion")).toBe(1_000);
    expect(byType.get("Event")).toBe(1_000);
    expect(byType.get("Stance")).toBe(1_000);
    const metas = outcome.items.filter((item) => item.type === "ArticleMeta");
    expect(new Set(metas.map((m) => m.articleId)).size).toBe(1_000);
    expect(metas.every((m) => m.version === 1)).toBe(true);

    // Emitted once: the bus accepted each expected key exactly once, and nothing else.
    const expected = articles.flatMap((article) => expectedEventKeys(article)).sort();
    const repeated = [...countBy(outcome.acceptedEventKeys)].filter(([, n]) => n > 1);
    expect(repeated).toEqual([]);
    expect([...outcome.acceptedEventKeys].sort()).toEqual(expected);
  });

  it("stores and emits once when writes are applied but their answers are lost, and transactions are cancelled", {
    timeout: 120_000,
  }, async () => {
    const articles = Array.from({ length: 200 }, (_, i) => createShortArticle(`lost-${i}`));
    const outcome = await runFaultyPipeline(articles, {
      faults: [
        // The engine commits, the client hears 500 and sends the same transaction again.
        { kind: "lost-response", share: 0.15, operations: ["TransactWriteItems", "GetRecords"] },
        { kind: "transaction-throttled", share: 0.1 },
        { kind: "internal-error", share: 0.05 },
      ],
    });
    const { injected } = outcome.proxy.stats;
    expect(injected["lost-response"]).toBeGreaterThan(0);
    expect(injected["transaction-throttled"]).toBeGreaterThan(0);
    expect(injected["internal-error"]).toBeGreaterThan(0);

    expect(outcome.deadLetters.map((d) => d.reason)).toEqual([]);
    expect(outcome.streamFailures).toEqual([]);
    const byType = countBy(outcome.items.map((item) => String(item.type)));
    expect(byType.get("ArticleMeta")).toBe(200);
    expect(byType.get("ArticleVersion")).toBe(200);
    expect(outcome.items.filter((item) => item.type === "ArticleMeta").every((m) => m.version === 1)).toBe(
      true,
    );
    const repeated = [...countBy(outcome.acceptedEventKeys)].filter(([, n]) => n > 1);
    expect(repeated).toEqual([]);
    expect([...outcome.acceptedEventKeys].sort()).toEqual(
      articles.flatMap((article) => expectedEventKeys(article)).sort(),
    );
  });
});
