// One Attaché pipeline on its own DynamoDB Local table, wired as the stacks wire it:
// the local bus with the routes of events/routing.ts, the coder, the table stream into
// the emitter, the aggregator. Queues are plain arrays drained in batches, so a test
// decides when each part runs and can replay an archive into a fresh pipeline.

import type { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import {
  DescribeStreamCommand,
  DynamoDBStreamsClient,
  GetRecordsCommand,
  GetShardIteratorCommand,
} from "@aws-sdk/client-dynamodb-streams";
import type { DynamoDBRecord } from "aws-lambda";
import { codeArticle } from "../../../coder/index.js";
import { aggregatorRoute, articlePublishedRoute } from "../../../events/routing.js";
import { createDynamoDbArticleStore } from "../../../functions/adapters/dynamodb-article-store.js";
import { createAggregatorHandler } from "../../../functions/aggregator/create-aggregator-handler.js";
import { createDynamoDbAggregateStore } from "../../../functions/aggregator/dynamodb-aggregate-store.js";
import { createCoderHandler } from "../../../functions/coder/create-coder-handler.js";
import { createAggregator } from "../../../functions/core/aggregates/aggregate-contribution.js";
import { DEFAULT_AGGREGATION_CONFIG } from "../../../functions/core/aggregates/config.js";
import type { EventPublisher } from "../../../functions/core/ports.js";
import { createEmitterHandler } from "../../../functions/emitter/create-emitter-handler.js";
import { type EventEnvelope, LocalEventBus } from "../../../local/event-bus.js";
import { createTestObservability } from "../../fakes/observability.js";
import { createTestTable } from "../../integration/create-table.js";
import { buildSqsEvent } from "../../unit/functions/lambda-events.js";

const REGION = "us-east-1";
const ACCOUNT = "000000000000";
const BATCH = 10;

export class PipelineHarness {
  readonly archive: EventEnvelope[] = [];
  private readonly coderQueue: string[] = [];
  private readonly aggregatorQueue: string[] = [];
  private readonly iterators = new Map<string, string | undefined>();
  private readonly bus: LocalEventBus;
  private readonly streams: DynamoDBStreamsClient;
  private readonly coder: ReturnType<typeof createCoderHandler>;
  private readonly emitter: ReturnType<typeof createEmitterHandler>;
  private readonly aggregator: ReturnType<typeof createAggregatorHandler>;
  /** Why the last failed batch failed, for the error message. */
  readonly errors: unknown[] = [];

  private constructor(
    readonly client: DynamoDBClient,
    readonly tableName: string,
    private readonly streamArn: string,
  ) {
    this.bus = new LocalEventBus({
      name: tableName,
      region: REGION,
      account: ACCOUNT,
      routes: [
        { definition: articlePublishedRoute, deliver: (e) => this.coderQueue.push(JSON.stringify(e)) },
        { definition: aggregatorRoute, deliver: (e) => this.aggregatorQueue.push(JSON.stringify(e)) },
      ],
      onEvent: (event) => this.archive.push(event),
    });
    this.streams = new DynamoDBStreamsClient({
      endpoint: process.env.ATTACHE_TEST_DYNAMODB_ENDPOINT!,
      region: REGION,
      credentials: { accessKeyId: "local", secretAccessKey: "local" },
    });
    const { logger, metrics } = createTestObservability();
    // Failures are kept for the test's error message instead of printed.
    logger.error = (...args: unknown[]) => {
      this.errors.push(args);
    };
    const publisher: EventPublisher = {
      publish: async (entries) => {
        for (let i = 0; i < entries.length; i += BATCH) {
          await this.put(entries.slice(i, i + BATCH));
        }
      },
      assertBusExists: async () => undefined,
    };
    this.coder = createCoderHandler({
      store: createDynamoDbArticleStore({ client, tableName }),
      codeArticle,
      clock: { now: () => new Date("2025-06-01T00:00:00Z") },
      coderVersion: "replay-test",
      logger,
      metrics,
    });
    this.emitter = createEmitterHandler({ publisher, logger, metrics });
    this.aggregator = createAggregatorHandler({
      aggregate: createAggregator({
        store: createDynamoDbAggregateStore({ client, tableName }),
        config: DEFAULT_AGGREGATION_CONFIG,
      }),
      logger,
      metrics,
    });
  }

  static async create(client: DynamoDBClient): Promise<PipelineHarness> {
    const { tableName, streamArn } = await createTestTable(client, "attache-replay");
    if (!streamArn) throw new Error(`table ${tableName} has no stream`);
    return new PipelineHarness(client, tableName, streamArn);
  }

  /** PutEvents on this pipeline's bus (what a publisher, the emitter or an archive replay does). */
  async put(entries: Array<{ source: string; detailType: string; detail: unknown }>): Promise<void> {
    const result = await this.bus.putEvents({
      Entries: entries.map((e) => ({
        Source: e.source,
        DetailType: e.detailType,
        Detail: JSON.stringify(e.detail),
        EventBusName: this.tableName,
      })),
    });
    if (result.FailedEntryCount > 0)
      throw new Error(`bus refused entries: ${JSON.stringify(result.Entries)}`);
  }

  /** Runs coder, emitter and aggregator until no queue and no stream shard has anything left. */
  async drain(): Promise<void> {
    for (;;) {
      let worked = false;
      while (this.coderQueue.length > 0) {
        worked = true;
        const response = await this.coder(buildSqsEvent(this.coderQueue.splice(0, BATCH)));
        if (response.batchItemFailures.length > 0)
          throw new Error(`the coder failed: ${describe(this.errors)}`);
      }
      const records = await this.readStream();
      for (let i = 0; i < records.length; i += 100) {
        worked = true;
        const response = await this.emitter({ Records: records.slice(i, i + 100) });
        if (response.batchItemFailures.length > 0)
          throw new Error(`the emitter failed: ${describe(this.errors)}`);
      }
      while (this.aggregatorQueue.length > 0) {
        worked = true;
        const response = await this.aggregator(buildSqsEvent(this.aggregatorQueue.splice(0, BATCH)));
        if (response.batchItemFailures.length > 0)
          throw new Error(`the aggregator failed: ${describe(this.errors)}`);
      }
      if (!worked) return;
    }
  }

  private async readStream(): Promise<DynamoDBRecord[]> {
    const records: DynamoDBRecord[] = [];
    const { StreamDescription } = await this.streams.send(
      new DescribeStreamCommand({ StreamArn: this.streamArn }),
    );
    for (const shard of StreamDescription?.Shards ?? []) {
      const shardId = shard.ShardId!;
      let iterator = this.iterators.has(shardId)
        ? this.iterators.get(shardId)
        : (
            await this.streams.send(
              new GetShardIteratorCommand({
                StreamArn: this.streamArn,
                ShardId: shardId,
                ShardIteratorType: "TRIM_HORIZON",
              }),
            )
          ).ShardIterator;
      while (iterator) {
        const page = await this.streams.send(new GetRecordsCommand({ ShardIterator: iterator }));
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
        // A closed shard ends (no next iterator); an open one is kept for the next read.
        const next = page.NextShardIterator;
        if (!page.Records?.length) {
          iterator = next;
          break;
        }
        iterator = next;
      }
      this.iterators.set(shardId, iterator);
    }
    return records;
  }

  destroy(): void {
    this.streams.destroy();
  }
}

function describe(errors: unknown[]): string {
  return errors
    .slice(-3)
    .map((e) => JSON.stringify(e, (_k, v) => (v instanceof Error ? `${v.name}: ${v.message}` : v)))
    .join("; ");
}
