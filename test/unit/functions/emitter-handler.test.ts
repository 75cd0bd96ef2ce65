import { beforeEach, describe, expect, it } from "vitest";
import type { Article } from "../../../coder/types.js";
import { eventCatalog } from "../../../events/catalog.js";
import { CODER_SOURCE, DetailType } from "../../../events/routing.js";
import { type CoderHandler, createCoderHandler } from "../../../functions/coder/create-coder-handler.js";
import {
  createEmitterHandler,
  type EmitterHandler,
} from "../../../functions/emitter/create-emitter-handler.js";
import { codeArticleFake } from "../../fakes/fake-coder.js";
import { FakeEventPublisher } from "../../fakes/fake-event-publisher.js";
import { InMemoryArticleStore } from "../../fakes/in-memory-article-store.js";
import { createTestObservability } from "../../fakes/observability.js";
import {
  buildArticlePublishedEnvelope,
  buildSqsEvent,
  buildStreamEvent,
  readSampleArticle,
} from "./lambda-events.js";

const article: Article = {
  ...readSampleArticle("seed-china-fm"),
  body: "China met Russia in Moscow.\nFrance and Japan held talks.\nFrance condemned Russia.",
};

/** The envelope EventBridge would deliver, for checking an entry against the published schema. */
function toEnvelope(entry: FakeEventPublisher["published"][number]) {
  return {
    version: "0",
    id: "00000000-0000-0000-0000-000000000000",
    "detail-type": entry.detailType,
    source: entry.source,
    account: "123456789012",
    time: "2025-04-01T12:00:20Z",
    region: "us-east-1",
    resources: entry.resources ?? [],
    detail: entry.detail,
  };
}

describe("emitter handler (table stream → bus)", () => {
  let store: InMemoryArticleStore;
  let publisher: FakeEventPublisher;
  let coder: CoderHandler;
  let emitter: EmitterHandler;

  beforeEach(() => {
    store = new InMemoryArticleStore();
    publisher = new FakeEventPublisher();
    const observability = createTestObservability();
    coder = createCoderHandler({
      store,
      codeArticle: codeArticleFake,
      clock: { now: () => new Date("2025-04-01T12:00:10Z") },
      coderVersion: "test-coder@1",
      logger: observability.logger,
      metrics: observability.metrics,
    });
    emitter = createEmitterHandler({
      publisher,
      logger: observability.logger,
      metrics: observability.metrics,
      ensureReady: () => publisher.assertBusExists(),
    });
  });

  const code = (a: Article) => coder(buildSqsEvent([JSON.stringify(buildArticlePublishedEnvelope(a))]));

  it("emits one ArticleCoded, one DiplomaticEventCoded per event and one StanceRecorded per stance, all valid", async () => {
    await code(article);
    const response = await emitter(buildStreamEvent(store.changes));
    expect(response.batchItemFailures).toEqual([]);
    const byType = (type: string) => publisher.published.filter((e) => e.detailType === type);
    expect(byType(DetailType.ArticleCoded)).toHaveLength(1);
    expect(byType(DetailType.DiplomaticEventCoded)).toHaveLength(3);
    expect(byType(DetailType.StanceRecorded)).toHaveLength(3);
    expect(publisher.published.every((e) => e.source === CODER_SOURCE)).toBe(true);
    for (const entry of publisher.published) {
      const schema = eventCatalog.find((c) => c.detailType === entry.detailType)!.envelope;
      expect(schema.safeParse(toEnvelope(entry)).success).toBe(true);
    }
    const coded = byType(DetailType.ArticleCoded)[0]!.detail;
    expect(coded).toMatchObject({
      eventKey: "ArticleCoded#seed-001#1",
      articleId: "seed-001",
      version: 1,
      eventCount: 3,
    });
    expect(coded).not.toHaveProperty("body");
    const view = await store.getCodedArticle(article.id);
    expect(byType(DetailType.DiplomaticEventCoded).map((e) => e.detail.eventKey)).toEqual(
      view!.events.map((e) => `DiplomaticEventCoded#seed-001#1#${e.id}`),
    );
  });

  it("sends ArticleCoded after the events and stances of the same batch", async () => {
    await code(article);
    await emitter(buildStreamEvent(store.changes));
    const types = publisher.published.map((e) => e.detailType);
    expect(types.at(-1)).toBe(DetailType.ArticleCoded);
    expect(types.indexOf(DetailType.ArticleCoded)).toBe(types.length - 1);
  });

  it("reports the version record when only ArticleCoded fails to publish", async () => {
    await code(article);
    publisher.failWhen = (entry) =>
      entry.detailType === DetailType.ArticleCoded ? "InternalFailure" : undefined;
    const response = await emitter(buildStreamEvent(store.changes));
    const versionRecord = store.changes.find((c) => c.newImage?.type === "ArticleVersion")!;
    expect(response.batchItemFailures).toEqual([{ itemIdentifier: versionRecord.sequenceNumber }]);
  });

  it("gives the same event keys when the same records are delivered again", async () => {
    await code(article);
    await emitter(buildStreamEvent(store.changes));
    const first = publisher.published.map((e) => e.detail.eventKey);
    await emitter(buildStreamEvent(store.changes));
    const second = publisher.published.slice(first.length).map((e) => e.detail.eventKey);
    expect(second).toEqual(first);
    expect(new Set(first).size).toBe(first.length);
  });

  it("emits only the new version's items when the content changes, and nothing for removals", async () => {
    await code(article);
    const firstChanges = store.changes.length;
    await code({ ...article, body: "Ukraine and Brazil signed a deal." });
    const newChanges = store.changes.slice(firstChanges);
    expect(newChanges.some((c) => c.eventName === "REMOVE")).toBe(true);
    await emitter(buildStreamEvent(newChanges));
    expect(publisher.published.map((e) => e.detailType).sort()).toEqual([
      DetailType.ArticleCoded,
      DetailType.DiplomaticEventCoded,
      DetailType.StanceRecorded,
    ]);
    const coded = publisher.published.find((e) => e.detailType === DetailType.ArticleCoded)!;
    expect(coded.detail).toMatchObject({ version: 2, supersedes: 1, eventKey: "ArticleCoded#seed-001#2" });
  });

  it("emits nothing for a duplicate delivery", async () => {
    await code(article);
    const firstChanges = store.changes.length;
    await code(article);
    expect(store.changes.length).toBe(firstChanges);
  });

  it("reports the first record whose event failed to publish, so the stream resumes there", async () => {
    await code(article);
    const records = buildStreamEvent(store.changes);
    const failingEvent = store.changes.find(
      (c) => c.newImage?.type === "Event" && c.sequenceNumber > "0000000003",
    )!;
    publisher.failWhen = (entry) =>
      entry.detail.eventKey ===
      `DiplomaticEventCoded#seed-001#1#${(failingEvent.newImage!.event as { id: string }).id}`
        ? "InternalFailure"
        : undefined;
    const response = await emitter(records);
    expect(response.batchItemFailures).toEqual([{ itemIdentifier: failingEvent.sequenceNumber }]);
  });

  it("stops at a record whose item does not match its layout and sends nothing after it", async () => {
    await code(article);
    const changes = structuredClone(store.changes);
    const broken = changes.find((c) => c.newImage?.type === "Event")!;
    delete (broken.newImage!.event as Record<string, unknown>).cameo;
    const response = await emitter(buildStreamEvent(changes));
    expect(response.batchItemFailures).toEqual([{ itemIdentifier: broken.sequenceNumber }]);
    const brokenIndex = changes.indexOf(broken);
    const emittableBefore = changes
      .slice(0, brokenIndex)
      .filter((c) => ["ArticleVersion", "Event", "Stance"].includes(String(c.newImage?.type))).length;
    expect(publisher.published).toHaveLength(emittableBefore);
  });

  it("fails the whole batch when the bus does not exist", async () => {
    await code(article);
    publisher.busExists = false;
    await expect(emitter(buildStreamEvent(store.changes))).rejects.toThrow(/no such bus/);
    expect(publisher.published).toHaveLength(0);
  });
});
