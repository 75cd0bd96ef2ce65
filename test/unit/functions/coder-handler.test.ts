import { beforeEach, describe, expect, it } from "vitest";
import type { Article } from "../../../coder/types.js";
import { type CoderHandler, createCoderHandler } from "../../../functions/coder/create-coder-handler.js";
import { computeContentHash } from "../../../functions/core/content-hash.js";
import { createCountingCoder } from "../../fakes/fake-coder.js";
import { InMemoryArticleStore } from "../../fakes/in-memory-article-store.js";
import { createTestObservability, type TestObservability } from "../../fakes/observability.js";
import { buildArticlePublishedEnvelope, buildSqsEvent, readSampleArticle } from "./lambda-events.js";

const article: Article = {
  ...readSampleArticle("seed-china-fm"),
  body: "China met Russia in Moscow.\nFrance and Japan held talks.\nNothing else happened.",
};

const message = (a: unknown) => JSON.stringify(buildArticlePublishedEnvelope(a));

describe("coder handler (SQS → code → store)", () => {
  let store: InMemoryArticleStore;
  let coder: ReturnType<typeof createCountingCoder>;
  let observability: TestObservability;
  let handler: CoderHandler;

  beforeEach(() => {
    store = new InMemoryArticleStore();
    coder = createCountingCoder();
    observability = createTestObservability();
    handler = createCoderHandler({
      store,
      codeArticle: coder.codeArticle,
      clock: { now: () => new Date("2025-04-01T12:00:10Z") },
      coderVersion: "test-coder@1",
      logger: observability.logger,
      metrics: observability.metrics,
    });
  });

  it("codes an article and stores it with its events and stances", async () => {
    const response = await handler(buildSqsEvent([message(article)]));
    expect(response.batchItemFailures).toEqual([]);
    const view = await store.getCodedArticle(article.id);
    expect(view?.article).toMatchObject({
      id: article.id,
      title: article.title,
      version: 1,
      contentHash: computeContentHash(article),
      codedAt: "2025-04-01T12:00:10.000Z",
      coderVersion: "test-coder@1",
    });
    expect(view?.events.map((e) => [e.source.entity, e.target?.entity])).toEqual([
      ["CHN", "RUS"],
      ["FRA", "JPN"],
    ]);
    expect(view?.stances).toHaveLength(2);
    expect(observability.recordedMetrics.get("EventsCoded")).toBe(2);
  });

  it("reports a poison message in batchItemFailures without failing the rest of the batch", async () => {
    const other = { ...article, id: "other-001" };
    const response = await handler(
      buildSqsEvent([
        message(article),
        "this is not json",
        message({ ...other, publishedAt: "yesterday" }),
        JSON.stringify({ ...buildArticlePublishedEnvelope(other), source: "someone.else" }),
        message(other),
      ]),
    );
    expect(response.batchItemFailures).toEqual([
      { itemIdentifier: "message-2" },
      { itemIdentifier: "message-3" },
      { itemIdentifier: "message-4" },
    ]);
    expect(await store.getCodedArticle(article.id)).not.toBeNull();
    expect(await store.getCodedArticle(other.id)).not.toBeNull();
    expect(observability.recordedMetrics.get("PoisonMessages")).toBe(3);
  });

  it("stores a duplicate delivery once and does not code it again", async () => {
    await handler(buildSqsEvent([message(article)]));
    const itemsAfterFirst = new Map(store.items);
    const response = await handler(buildSqsEvent([message(article), message(article)]));
    expect(response.batchItemFailures).toEqual([]);
    expect(coder.calls).toEqual([article.id]);
    expect(store.items).toEqual(itemsAfterFirst);
    expect((await store.getCodedArticle(article.id))?.article.version).toBe(1);
    expect(observability.recordedMetrics.get("ArticlesSkippedAsDuplicate")).toBe(2);
  });

  it("treats a racing duplicate that stored first as success", async () => {
    // Another delivery of the same content commits between our read and our write.
    store.beforeCommit = () => {
      store.beforeCommit = undefined;
      void store.saveVersion(
        {
          article,
          version: 1,
          contentHash: computeContentHash(article),
          events: [],
          stances: [],
          codedAt: "2025-04-01T12:00:09.000Z",
          coderVersion: "test-coder@1",
        },
        null,
      );
    };
    const response = await handler(buildSqsEvent([message(article)]));
    expect(response.batchItemFailures).toEqual([]);
    expect((await store.getCodedArticle(article.id))?.article.codedAt).toBe("2025-04-01T12:00:09.000Z");
  });

  it("makes a new version when the content changes, replacing the old version's events", async () => {
    await handler(buildSqsEvent([message(article)]));
    const before = await store.getCodedArticle(article.id);
    const revised = { ...article, body: "Ukraine and Brazil signed a deal." };
    await handler(buildSqsEvent([message(revised)]));
    const after = await store.getCodedArticle(article.id);
    expect(after?.article).toMatchObject({ version: 2, supersedes: 1, body: revised.body });
    expect(after?.events.map((e) => [e.source.entity, e.target?.entity])).toEqual([["UKR", "BRA"]]);
    const storedEventIds = [...store.items.values()].filter((i) => i.type === "Event").map((i) => i.sk);
    expect(storedEventIds).toHaveLength(1);
    expect(before?.events.map((e) => e.id)).not.toContain(after?.events[0]?.id);
  });

  it("stores after a different content of the same article commits first, as the next version, without coding again", async () => {
    const racing = { ...article, body: "a different text" };
    store.beforeCommit = () => {
      store.beforeCommit = undefined;
      void store.saveVersion(
        {
          article: racing,
          version: 1,
          contentHash: computeContentHash(racing),
          events: [],
          stances: [],
          codedAt: "2025-04-01T12:00:09.000Z",
          coderVersion: "test-coder@1",
        },
        null,
      );
    };
    const response = await handler(buildSqsEvent([message(article)]));
    expect(response.batchItemFailures).toEqual([]);
    expect(coder.calls).toEqual([article.id]);
    const view = await store.getCodedArticle(article.id);
    expect(view?.article).toMatchObject({ version: 2, supersedes: 1, body: article.body });
  });

  it("fails only the record that keeps losing races, so the queue retries it later", async () => {
    let n = 0;
    store.beforeCommit = () => {
      n += 1;
      const other = { ...article, body: `a different text ${n}` };
      const previous = store.items.get(`ARTICLE#${article.id}|META`);
      const hook = store.beforeCommit;
      store.beforeCommit = undefined;
      void store.saveVersion(
        {
          article: other,
          version: ((previous?.version as number | undefined) ?? 0) + 1,
          contentHash: computeContentHash(other),
          events: [],
          stances: [],
          codedAt: "2025-04-01T12:00:09.000Z",
          coderVersion: "test-coder@1",
        },
        previous
          ? {
              articleId: article.id,
              version: previous.version as number,
              contentHash: previous.contentHash as string,
            }
          : null,
      );
      store.beforeCommit = hook;
    };
    const other = { ...article, id: "other-002" };
    const response = await handler(buildSqsEvent([message(article), message(other)]));
    expect(response.batchItemFailures).toEqual([{ itemIdentifier: "message-1" }]);
    expect(n).toBeGreaterThanOrEqual(3);
    store.beforeCommit = undefined;
    const retried = await handler(buildSqsEvent([message(article)]));
    expect(retried.batchItemFailures).toEqual([]);
    expect((await store.getCodedArticle(article.id))?.article.body).toBe(article.body);
  });

  it("does not store coder output that breaks the contract, and keeps the rest", async () => {
    const base = createCountingCoder();
    handler = createCoderHandler({
      store,
      codeArticle: (a) => {
        const coded = base.codeArticle(a);
        const [first, second] = coded.events;
        return {
          ...coded,
          events: [first!, { ...second!, confidence: 7 }, { ...first!, ruleId: "repeat" }],
        };
      },
      clock: { now: () => new Date("2025-04-01T12:00:10Z") },
      coderVersion: "test-coder@1",
      logger: observability.logger,
      metrics: observability.metrics,
    });
    await handler(buildSqsEvent([message(article)]));
    const view = await store.getCodedArticle(article.id);
    expect(view?.events).toHaveLength(1);
    expect(view?.events[0]?.ruleId).toBe("fake.two-countries");
    expect(observability.recordedMetrics.get("CoderItemsRejected")).toBe(2);
  });

  it("fails a record whose coder answer is for another article", async () => {
    handler = createCoderHandler({
      store,
      codeArticle: () => ({ articleId: "someone-else", events: [], stances: [] }),
      clock: { now: () => new Date() },
      coderVersion: "test-coder@1",
      logger: observability.logger,
      metrics: observability.metrics,
    });
    const response = await handler(buildSqsEvent([message(article)]));
    expect(response.batchItemFailures).toEqual([{ itemIdentifier: "message-1" }]);
    expect(await store.getCodedArticle(article.id)).toBeNull();
  });
});
