// The DynamoDB store against the real engine (DynamoDB Local): item layout, idempotency,
// versions, races, the large-version path, and the stream it leaves for the emitter.

import { type DynamoDBClient, TransactionCanceledException } from "@aws-sdk/client-dynamodb";
import {
  DescribeStreamCommand,
  DynamoDBStreamsClient,
  GetRecordsCommand,
  GetShardIteratorCommand,
} from "@aws-sdk/client-dynamodb-streams";
import { DynamoDBDocumentClient, QueryCommand, ScanCommand } from "@aws-sdk/lib-dynamodb";
import type { DynamoDBRecord } from "aws-lambda";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Article, CodedArticle } from "../../../coder/types.js";
import { DetailType } from "../../../events/routing.js";
import { createDynamoDbArticleStore } from "../../../functions/adapters/dynamodb-article-store.js";
import { computeContentHash } from "../../../functions/core/content-hash.js";
import { ConcurrentVersionError } from "../../../functions/core/errors.js";
import type { ArticleStore, ArticleVersion, CurrentVersion } from "../../../functions/core/ports.js";
import { processArticle } from "../../../functions/core/process-article.js";
import { createEmitterHandler } from "../../../functions/emitter/create-emitter-handler.js";
import { codeArticleFake } from "../../fakes/fake-coder.js";
import { FakeEventPublisher } from "../../fakes/fake-event-publisher.js";
import { createTestObservability } from "../../fakes/observability.js";
import { createTestClient, createTestTable } from "../create-table.js";

const baseArticle: Article = {
  id: "store-001",
  title: "Ministers meet",
  body: "China met Russia in Moscow.\nFrance and Japan held talks.\nFrance condemned Russia.",
  publishedAt: "2025-04-01T12:00:00Z",
  url: "https://example.org/news/ministers-meet",
  source: "test",
};

function versionOf(
  article: Article,
  version: number,
  coded: CodedArticle = codeArticleFake(article),
): ArticleVersion {
  return {
    article,
    version,
    contentHash: computeContentHash(article),
    ...(version > 1 ? { supersedes: version - 1 } : {}),
    events: coded.events,
    stances: coded.stances,
    codedAt: `2025-04-01T12:00:${String(10 + version).padStart(2, "0")}.000Z`,
    coderVersion: "test-coder@1",
  };
}

/** An article whose fake coding gives `lines` events and as many stances. */
function articleWithLines(id: string, lines: number, salt = ""): Article {
  const body = Array.from({ length: lines }, (_, i) => `China met Russia, round ${i}${salt}.`).join("\n");
  return { ...baseArticle, id, body };
}

const ctx = { fast: { sleep: async () => {}, random: () => 0 } };

describe("DynamoDB article store", () => {
  let client: DynamoDBClient;
  let doc: DynamoDBDocumentClient;
  let tableName: string;
  let store: ArticleStore;

  beforeAll(async () => {
    client = createTestClient();
    doc = DynamoDBDocumentClient.from(client);
    ({ tableName } = await createTestTable(client, "store"));
    store = createDynamoDbArticleStore({ client, tableName, ...ctx.fast });
  });

  afterAll(() => client.destroy());

  async function itemsOf(pk: string) {
    const { Items } = await doc.send(
      new QueryCommand({
        TableName: tableName,
        KeyConditionExpression: "pk = :pk",
        ExpressionAttributeValues: { ":pk": pk },
      }),
    );
    return Items ?? [];
  }

  it("stores a version as META, version, event and stance items, and reads it back", async () => {
    const article = { ...baseArticle, id: "layout-001" };
    const next = versionOf(article, 1);
    expect(await store.saveVersion(next, null)).toEqual({ status: "stored", version: 1 });

    const items = await itemsOf("ARTICLE#layout-001");
    expect(items.map((i) => i.type).sort()).toEqual([
      "ArticleMeta",
      "ArticleVersion",
      "Event",
      "Event",
      "Event",
      "Stance",
      "Stance",
      "Stance",
    ]);
    const meta = items.find((i) => i.sk === "META");
    expect(meta).toMatchObject({ version: 1, contentHash: next.contentHash });
    expect(items.find((i) => i.sk === "VERSION#000001")?.article.body).toBe(article.body);

    expect(await store.getCurrentVersion("layout-001")).toEqual({
      articleId: "layout-001",
      version: 1,
      contentHash: next.contentHash,
    });
    const view = await store.getCodedArticle("layout-001");
    expect(view?.article).toMatchObject({ ...article, version: 1, coderVersion: "test-coder@1" });
    expect(view?.events).toEqual(next.events);
    expect(view?.stances).toEqual(next.stances);
  });

  it("indexes events by actor, target and dyad, and keeps the latest stance per pair", async () => {
    const article = { ...baseArticle, id: "index-001" };
    await store.saveVersion(versionOf(article, 1), null);
    const query = async (IndexName: string, key: string, value: string) =>
      (
        await doc.send(
          new QueryCommand({
            TableName: tableName,
            IndexName,
            KeyConditionExpression: `${key} = :v`,
            ExpressionAttributeValues: { ":v": value },
          }),
        )
      ).Items ?? [];
    const byActor = await query("byActor", "gsi1pk", "ACTOR#FRA");
    expect(
      byActor
        .filter((i) => i.articleId === "index-001")
        .map((i) => i.event.target.entity)
        .sort(),
    ).toEqual(["JPN", "RUS"]);
    const byTarget = await query("byTarget", "gsi2pk", "TARGET#RUS");
    expect(byTarget.filter((i) => i.articleId === "index-001")).toHaveLength(2);
    const byDyad = await query("byDyad", "gsi3pk", "DYAD#CHN#RUS");
    expect(byDyad.filter((i) => i.articleId === "index-001")).toHaveLength(1);
    const latest = await itemsOf("STANCE#FRA#RUS");
    expect(latest.filter((i) => i.articleId === "index-001").map((i) => i.stance.polarity)).toEqual([
      "oppose",
    ]);
  });

  it("stores the same id and content once, also when deliveries race", async () => {
    const article = { ...baseArticle, id: "race-001" };
    const outcomes = await Promise.all(
      Array.from({ length: 4 }, (_, i) =>
        store.saveVersion({ ...versionOf(article, 1), codedAt: `2025-04-01T12:00:0${i}.000Z` }, null),
      ),
    );
    expect(outcomes.filter((o) => o.status === "stored")).toHaveLength(1);
    expect(outcomes.filter((o) => o.status === "already-stored")).toHaveLength(3);
    expect(await itemsOf("ARTICLE#race-001")).toHaveLength(8);
    // A later redelivery, after the first commit, is found already stored too.
    expect(await store.saveVersion(versionOf(article, 1), null)).toEqual({
      status: "already-stored",
      version: 1,
    });
  });

  it("refuses a different content racing for the same version", async () => {
    const a = { ...baseArticle, id: "race-002" };
    const b = { ...a, body: "Brazil met Japan in Tokyo." };
    const results = await Promise.allSettled([
      store.saveVersion(versionOf(a, 1), null),
      store.saveVersion(versionOf(b, 1), null),
    ]);
    const rejected = results.filter((r) => r.status === "rejected");
    expect(rejected).toHaveLength(1);
    expect((rejected[0] as PromiseRejectedResult).reason).toBeInstanceOf(ConcurrentVersionError);
    const items = await itemsOf("ARTICLE#race-002");
    const hashes = new Set(items.map((i) => i.contentHash));
    expect(hashes.size).toBe(1);
  });

  it("makes a new version for new content, removing the previous version's events, stances and latest stances", async () => {
    const v1 = { ...baseArticle, id: "version-001" };
    const v2 = { ...v1, body: "Ukraine and Brazil signed a deal.\nFrance condemned Russia." };
    await store.saveVersion(versionOf(v1, 1), null);
    const previous = (await store.getCurrentVersion("version-001")) as CurrentVersion;
    expect(await store.saveVersion(versionOf(v2, 2), previous)).toEqual({ status: "stored", version: 2 });

    const items = await itemsOf("ARTICLE#version-001");
    expect(items.filter((i) => i.type === "Event").every((i) => i.version === 2)).toBe(true);
    expect(items.filter((i) => i.type === "Event")).toHaveLength(2);
    expect(items.filter((i) => i.type === "ArticleVersion").map((i) => i.version)).toEqual([1, 2]);
    const view = await store.getCodedArticle("version-001");
    expect(view?.article).toMatchObject({ version: 2, supersedes: 1, body: v2.body });
    expect(
      await itemsOf("STANCE#CHN#RUS").then((l) => l.filter((i) => i.articleId === "version-001")),
    ).toEqual([]);
    // The unchanged stance (same id, same pair) now belongs to version 2.
    const kept = (await itemsOf("STANCE#FRA#RUS")).filter((i) => i.articleId === "version-001");
    expect(kept.map((i) => i.version)).toEqual([2]);
    // A stale writer that still thinks version 1 is current is refused.
    await expect(
      store.saveVersion(versionOf({ ...v1, body: "Japan met China." }, 2), previous),
    ).rejects.toBeInstanceOf(ConcurrentVersionError);
  });

  it("stores a version too large for one transaction, and replaces it", async () => {
    const big = articleWithLines("large-001", 70);
    expect(await store.saveVersion(versionOf(big, 1), null)).toEqual({ status: "stored", version: 1 });
    const view = await store.getCodedArticle("large-001");
    expect(view?.events).toHaveLength(70);
    expect(view?.stances).toHaveLength(70);
    // A redelivery of the same content (coded again, so a later codedAt): already there.
    expect(
      await store.saveVersion({ ...versionOf(big, 1), codedAt: "2025-04-01T13:00:00.000Z" }, null),
    ).toEqual({
      status: "already-stored",
      version: 1,
    });
    // A resend of the very same request (as after a lost response) is a no-op under its request token.
    expect(await store.saveVersion(versionOf(big, 1), null)).toEqual({ status: "stored", version: 1 });
    expect((await itemsOf("ARTICLE#large-001")).filter((i) => i.type === "Event")).toHaveLength(70);

    const bigger = articleWithLines("large-001", 60, " again");
    const previous = await store.getCurrentVersion("large-001");
    expect(await store.saveVersion(versionOf(bigger, 2), previous)).toEqual({ status: "stored", version: 2 });
    const items = await itemsOf("ARTICLE#large-001");
    expect(items.filter((i) => i.type === "Event")).toHaveLength(60);
    expect(items.filter((i) => i.type === "Stance")).toHaveLength(60);
    expect((await itemsOf("STANCE#CHN#RUS")).filter((i) => i.articleId === "large-001")).toHaveLength(60);
  });

  it("removes its own items when a different content wins the large-version race", async () => {
    const a = articleWithLines("large-002", 60);
    const b = articleWithLines("large-002", 60, " b");
    const results = await Promise.allSettled([
      store.saveVersion(versionOf(a, 1), null),
      store.saveVersion(versionOf(b, 1), null),
    ]);
    expect(results.filter((r) => r.status === "rejected")).toHaveLength(1);
    const items = await itemsOf("ARTICLE#large-002");
    expect(new Set(items.map((i) => i.contentHash)).size).toBe(1);
    expect(items.filter((i) => i.type === "Event")).toHaveLength(60);
  });

  it("resends unprocessed batch items and retries transaction conflicts", async () => {
    let unprocessedOnce = true;
    let conflictOnce = true;
    const flaky: Pick<DynamoDBDocumentClient, "send"> = {
      // biome-ignore lint/suspicious/noExplicitAny: forwards any DocumentClient command
      send: (async (command: any) => {
        const name = command.constructor.name;
        if (name === "BatchWriteCommand" && unprocessedOnce) {
          unprocessedOnce = false;
          const requests = command.input.RequestItems[tableName];
          const half = Math.ceil(requests.length / 2);
          await doc.send(new command.constructor({ RequestItems: { [tableName]: requests.slice(0, half) } }));
          return { UnprocessedItems: { [tableName]: requests.slice(half) } };
        }
        if (name === "TransactWriteCommand" && conflictOnce) {
          conflictOnce = false;
          throw new TransactionCanceledException({
            message: "Transaction cancelled",
            $metadata: {},
            CancellationReasons: [{ Code: "TransactionConflict" }, { Code: "None" }],
          });
        }
        return doc.send(command);
      }) as DynamoDBDocumentClient["send"],
    };
    const flakyStore = createDynamoDbArticleStore({ client: flaky, tableName, ...ctx.fast });
    const big = articleWithLines("flaky-001", 60);
    expect(await flakyStore.saveVersion(versionOf(big, 1), null)).toEqual({ status: "stored", version: 1 });
    expect(unprocessedOnce || conflictOnce).toBe(false);
    expect((await store.getCodedArticle("flaky-001"))?.events).toHaveLength(60);
  });

  it("stores the same article in two tables of one endpoint (request tokens do not collide)", async () => {
    const other = await createTestTable(client, "store-other");
    const otherStore = createDynamoDbArticleStore({ client, tableName: other.tableName, ...ctx.fast });
    const article = { ...baseArticle, id: "two-tables-001" };
    expect(await store.saveVersion(versionOf(article, 1), null)).toEqual({ status: "stored", version: 1 });
    expect(await otherStore.saveVersion(versionOf(article, 1), null)).toEqual({
      status: "stored",
      version: 1,
    });
    expect((await otherStore.getCodedArticle(article.id))?.events).toHaveLength(3);
  });

  it("answers null for an article never stored", async () => {
    expect(await store.getCodedArticle("never-001")).toBeNull();
    expect(await store.getCurrentVersion("never-001")).toBeNull();
  });
});

describe("DynamoDB store → table stream → emitter", () => {
  it("emits exactly one derived event per stored version, event and stance, and none for removals", async () => {
    const client = createTestClient();
    const { tableName, streamArn } = await createTestTable(client, "outbox");
    const store = createDynamoDbArticleStore({ client, tableName, ...ctx.fast });
    const deps = {
      store,
      codeArticle: codeArticleFake,
      clock: { now: () => new Date("2025-04-01T12:00:10Z") },
      coderVersion: "t",
    };
    const v1 = { ...baseArticle, id: "outbox-001" };
    const v2 = { ...v1, body: "Ukraine and Brazil signed a deal." };
    await processArticle(v1, deps);
    await processArticle(v1, deps); // a redelivery
    await processArticle(v2, deps);

    const streams = new DynamoDBStreamsClient({
      endpoint: process.env.ATTACHE_TEST_DYNAMODB_ENDPOINT!,
      region: "us-east-1",
      credentials: { accessKeyId: "local", secretAccessKey: "local" },
    });
    const { StreamDescription } = await streams.send(new DescribeStreamCommand({ StreamArn: streamArn! }));
    const records: DynamoDBRecord[] = [];
    for (const shard of StreamDescription?.Shards ?? []) {
      let { ShardIterator } = await streams.send(
        new GetShardIteratorCommand({
          StreamArn: streamArn!,
          ShardId: shard.ShardId!,
          ShardIteratorType: "TRIM_HORIZON",
        }),
      );
      while (ShardIterator) {
        const page = await streams.send(new GetRecordsCommand({ ShardIterator }));
        for (const r of page.Records ?? []) {
          records.push({
            ...(r as unknown as DynamoDBRecord),
            dynamodb: {
              ...(r.dynamodb as unknown as DynamoDBRecord["dynamodb"]),
              ApproximateCreationDateTime: Math.floor(
                (r.dynamodb?.ApproximateCreationDateTime?.getTime() ?? 0) / 1000,
              ),
            },
          });
        }
        if (!page.Records?.length) break;
        ShardIterator = page.NextShardIterator;
      }
    }
    streams.destroy();
    expect(records.some((r) => r.eventName === "REMOVE")).toBe(true);

    const publisher = new FakeEventPublisher();
    const { logger, metrics } = createTestObservability();
    const emitter = createEmitterHandler({ publisher, logger, metrics });
    const response = await emitter({ Records: records });
    expect(response.batchItemFailures).toEqual([]);

    const keys = publisher.published.map((e) => e.detail.eventKey as string).sort();
    const c1 = codeArticleFake(v1);
    const c2 = codeArticleFake(v2);
    expect(keys).toEqual(
      [
        "ArticleCoded#outbox-001#1",
        "ArticleCoded#outbox-001#2",
        ...c1.events.map((e) => `${DetailType.DiplomaticEventCoded}#outbox-001#1#${e.id}`),
        ...c2.events.map((e) => `${DetailType.DiplomaticEventCoded}#outbox-001#2#${e.id}`),
        ...c1.stances.map((s) => `${DetailType.StanceRecorded}#outbox-001#1#${s.id}`),
        ...c2.stances.map((s) => `${DetailType.StanceRecorded}#outbox-001#2#${s.id}`),
      ].sort(),
    );
    const { Items } = await DynamoDBDocumentClient.from(client).send(
      new ScanCommand({ TableName: tableName }),
    );
    expect(Items?.filter((i) => i.type === "Event")).toHaveLength(c2.events.length);
    client.destroy();
  });
});
