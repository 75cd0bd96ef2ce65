// The real coder, the DynamoDB store on DynamoDB Local, the table stream and the
// EventBridge publisher (on a recording client): what reaches the bus is exactly what
// the table holds, and every entry matches the published schemas.

import { readFileSync } from "node:fs";
import {
  DescribeStreamCommand,
  DynamoDBStreamsClient,
  GetRecordsCommand,
  GetShardIteratorCommand,
} from "@aws-sdk/client-dynamodb-streams";
import type { DynamoDBRecord } from "aws-lambda";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { codeArticle } from "../../coder/index.js";
import type { Article } from "../../coder/types.js";
import { eventCatalog } from "../../events/catalog.js";
import { DetailType } from "../../events/routing.js";
import { createDynamoDbArticleStore } from "../../functions/adapters/dynamodb-article-store.js";
import { createEventBridgePublisher } from "../../functions/adapters/eventbridge-publisher.js";
import { createCoderHandler } from "../../functions/coder/create-coder-handler.js";
import { createEmitterHandler } from "../../functions/emitter/create-emitter-handler.js";
import { createQueryHandler } from "../../functions/query/create-query-handler.js";
import { FakeEventBridgeClient } from "../fakes/fake-eventbridge-client.js";
import { createTestObservability } from "../fakes/observability.js";
import {
  buildArticlePublishedEnvelope,
  buildGetArticleEvent,
  buildSqsEvent,
} from "../unit/functions/lambda-events.js";
import { createTestClient, createTestTable } from "./create-table.js";

const articles: Article[] = readFileSync(
  new URL("../../events/samples/articles.jsonl", import.meta.url),
  "utf8",
)
  .trim()
  .split("\n")
  .map((line) => JSON.parse(line));

async function readStream(streamArn: string): Promise<DynamoDBRecord[]> {
  const streams = new DynamoDBStreamsClient({
    endpoint: process.env.ATTACHE_TEST_DYNAMODB_ENDPOINT!,
    region: "us-east-1",
    credentials: { accessKeyId: "local", secretAccessKey: "local" },
  });
  const records: DynamoDBRecord[] = [];
  const { StreamDescription } = await streams.send(new DescribeStreamCommand({ StreamArn: streamArn }));
  for (const shard of StreamDescription?.Shards ?? []) {
    let { ShardIterator } = await streams.send(
      new GetShardIteratorCommand({
        StreamArn: streamArn,
        ShardId: shard.ShardId!,
        ShardIteratorType: "TRIM_HORIZON",
      }),
    );
    while (ShardIterator) {
      const page = await streams.send(new GetRecordsCommand({ ShardIterator }));
      if (!page.Records?.length) break;
      for (const r of page.Records) {
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
      ShardIterator = page.NextShardIterator;
    }
  }
  streams.destroy();
  return records;
}

describe("sample articles through the coder, the table, the stream and the emitter", () => {
  const client = createTestClient();
  let tableName: string;
  let streamArn: string;

  beforeAll(async () => {
    const table = await createTestTable(client, "pipeline");
    tableName = table.tableName;
    streamArn = table.streamArn!;
  });
  afterAll(() => client.destroy());

  it("emits one event per stored version, event and stance, each valid, and serves the same through the query", async () => {
    const observability = createTestObservability();
    const store = createDynamoDbArticleStore({ client, tableName });
    const coder = createCoderHandler({
      store,
      codeArticle,
      clock: { now: () => new Date("2025-07-01T00:00:00Z") },
      coderVersion: "integration",
      logger: observability.logger,
      metrics: observability.metrics,
    });
    const bodies = articles.map((a) => JSON.stringify(buildArticlePublishedEnvelope(a)));
    // Every article, one duplicate and one poison message in a single batch.
    const response = await coder(
      buildSqsEvent([...bodies, bodies[0]!, '{"detail-type":"ArticlePublished"}']),
    );
    expect(response.batchItemFailures).toEqual([{ itemIdentifier: `message-${bodies.length + 2}` }]);

    const bus = new FakeEventBridgeClient();
    const emitter = createEmitterHandler({
      publisher: createEventBridgePublisher({
        client: bus,
        eventBusName: "attache-bus",
        sleep: async () => {},
      }),
      logger: observability.logger,
      metrics: observability.metrics,
    });
    const emitted = await emitter({ Records: await readStream(streamArn) });
    expect(emitted.batchItemFailures).toEqual([]);
    const entries = bus.putEventsCalls.flat();
    expect(bus.putEventsCalls.every((call) => call.length <= 10)).toBe(true);

    for (const entry of entries) {
      const schema = eventCatalog.find((c) => c.detailType === entry.DetailType)!;
      const envelope = {
        version: "0",
        id: "1",
        "detail-type": entry.DetailType,
        source: entry.Source,
        account: "123456789012",
        time: "2025-07-01T00:00:01Z",
        region: "us-east-1",
        resources: entry.Resources,
        detail: JSON.parse(entry.Detail!),
      };
      expect(schema.envelope.safeParse(envelope).error?.issues ?? []).toEqual([]);
    }

    const query = createQueryHandler({ store, logger: observability.logger, metrics: observability.metrics });
    let totalEvents = 0;
    for (const article of articles) {
      const coded = codeArticle(article);
      totalEvents += coded.events.length;
      const result = await query(buildGetArticleEvent(article.id));
      expect(result.statusCode).toBe(200);
      const view = JSON.parse(result.body);
      expect(view.events).toEqual(coded.events);
      expect(view.stances).toEqual(coded.stances);
      const forArticle = entries.map((e) => JSON.parse(e.Detail!)).filter((d) => d.articleId === article.id);
      expect(forArticle.filter((d) => d.eventKey.startsWith(`${DetailType.ArticleCoded}#`))).toHaveLength(1);
      expect(forArticle.filter((d) => d.event).map((d) => d.event)).toEqual(
        expect.arrayContaining(coded.events),
      );
      expect(forArticle.filter((d) => d.event)).toHaveLength(coded.events.length);
      expect(forArticle.filter((d) => d.stance)).toHaveLength(coded.stances.length);
    }
    expect(totalEvents).toBeGreaterThan(articles.length);
  });
});
