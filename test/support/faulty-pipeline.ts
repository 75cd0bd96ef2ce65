// The coder and emitter halves of the pipeline, wired as in AWS but on one machine, with a
// fault-injecting proxy between every DynamoDB call and the real DynamoDB Local:
//
//   local queue (+DLQ) → coder handler (real store, SDK client → proxy → DynamoDB Local)
//   table stream (Streams client → proxy) → stream poller → emitter handler → EventBridge publisher → fake bus
//
// Several queue consumers run at once, as Lambda scales an SQS mapping out, so racing
// deliveries and throttling retries overlap the way they do in AWS.
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { DynamoDBStreamsClient } from "@aws-sdk/client-dynamodb-streams";
import { DynamoDBDocumentClient, ScanCommand } from "@aws-sdk/lib-dynamodb";
import type { Article } from "../../coder/types.js";
import { createDynamoDbArticleStore } from "../../functions/adapters/dynamodb-article-store.js";
import { createEventBridgePublisher } from "../../functions/adapters/eventbridge-publisher.js";
import { createCoderHandler } from "../../functions/coder/create-coder-handler.js";
import { createEmitterHandler } from "../../functions/emitter/create-emitter-handler.js";
import { createLambdaContext } from "../../local/lambda-context.js";
import { type DeadLetter, LocalQueue, QueueConsumer } from "../../local/queue.js";
import { StreamPoller } from "../../local/stream-poller.js";
import { codeArticleFake } from "../fakes/fake-coder.js";
import { FakeEventBridgeClient } from "../fakes/fake-eventbridge-client.js";
import { createTestObservability } from "../fakes/observability.js";
import { createTestClient, createTestTable } from "../integration/create-table.js";
import { createArticlePublishedEnvelope, waitFor } from "./articles.js";
import { FaultInjectingProxy, type FaultRule } from "./fault-injecting-proxy.js";

export interface FaultyPipelineOptions {
  faults: readonly FaultRule[];
  /** Concurrent coder invocations (Lambda's scale-out on the queue). */
  consumers?: number;
  batchSize?: number;
  /** Receives before a message is moved to the DLQ (the deployed queue uses 5). */
  maxReceiveCount?: number;
  visibilityTimeoutMs?: number;
}

export interface PipelineOutcome {
  /** The eventKey of every entry the bus accepted, in order (repeats included). */
  acceptedEventKeys: string[];
  deadLetters: DeadLetter[];
  /** Every item in the table. */
  items: Record<string, unknown>[];
  /** Lines of the stream poller's on-failure file. */
  streamFailures: string[];
  proxy: FaultInjectingProxy;
  /** Records the coder handler reported in batchItemFailures (each came back through the queue). */
  coderRecordsFailed: number;
}

const region = "us-east-1";
const credentials = { accessKeyId: "local", secretAccessKey: "local" };

export async function runFaultyPipeline(
  articles: readonly Article[],
  options: FaultyPipelineOptions,
): Promise<PipelineOutcome> {
  const direct = createTestClient();
  const { tableName } = await createTestTable(direct, "faults");
  const proxy = new FaultInjectingProxy({
    target: process.env.ATTACHE_TEST_DYNAMODB_ENDPOINT!,
    faults: options.faults,
  });
  const endpoint = await proxy.start();
  const dataDir = await mkdtemp(join(tmpdir(), "attache-faults-"));
  const failureFile = join(dataDir, "stream-failures.jsonl");

  // The handlers' own clients, with the SDK's default retry strategy and retry quota.
  const dynamoDb = new DynamoDBClient({ region, endpoint, credentials });
  const streams = new DynamoDBStreamsClient({ region, endpoint, credentials });
  const bus = new FakeEventBridgeClient();
  const acceptedEventKeys: string[] = [];
  bus.answer = (entry, call) => {
    acceptedEventKeys.push((JSON.parse(entry.Detail ?? "{}") as { eventKey: string }).eventKey);
    return { EventId: `event-${call}-${acceptedEventKeys.length}` };
  };

  const coderObservability = createTestObservability();
  const coder = createCoderHandler({
    store: createDynamoDbArticleStore({ client: dynamoDb, tableName }),
    codeArticle: codeArticleFake,
    clock: { now: () => new Date("2025-04-01T12:00:05Z") },
    coderVersion: "faults-test",
    ...coderObservability,
  });
  const emitterObservability = createTestObservability();
  const emitter = createEmitterHandler({
    publisher: createEventBridgePublisher({ client: bus, eventBusName: "attache-bus" }),
    ...emitterObservability,
  });

  const deadLetters: DeadLetter[] = [];
  const dlq = new LocalQueue({ name: "faults-dlq", region, account: "1", visibilityTimeoutMs: 30_000 });
  const queue = new LocalQueue({
    name: "faults-coder",
    region,
    account: "1",
    visibilityTimeoutMs: options.visibilityTimeoutMs ?? 30_000,
    maxReceiveCount: options.maxReceiveCount ?? 5,
    deadLetterQueue: dlq,
    onDeadLetter: (deadLetter) => deadLetters.push(deadLetter),
  });
  const context = (name: string) => () =>
    createLambdaContext({ functionName: name, region, account: "1", timeoutMs: 60_000 });
  const consumers = Array.from(
    { length: options.consumers ?? 8 },
    () =>
      new QueueConsumer(queue, coder, {
        batchSize: options.batchSize ?? 10,
        maxBatchingWindowMs: 20,
        createContext: context("coder"),
      }),
  );
  const poller = new StreamPoller({
    client: streams,
    tableName,
    handler: emitter,
    createContext: context("emitter"),
    failureFile,
    batchSize: 100,
    maxRetryAttempts: 3,
    pollIntervalMs: 20,
    retryBaseDelayMs: 50,
  });

  try {
    await poller.start();
    for (const consumer of consumers) consumer.start();
    for (const article of articles) queue.send(JSON.stringify(createArticlePublishedEnvelope(article)));

    // Done when every message has left the queue (coded or dead-lettered) and the stream
    // has been read up to every version the table holds.
    const doc = DynamoDBDocumentClient.from(direct);
    const scanAll = async () => {
      const items: Record<string, unknown>[] = [];
      let ExclusiveStartKey: Record<string, unknown> | undefined;
      do {
        const page = await doc.send(new ScanCommand({ TableName: tableName, ExclusiveStartKey }));
        items.push(...(page.Items ?? []));
        ExclusiveStartKey = page.LastEvaluatedKey;
      } while (ExclusiveStartKey);
      return items;
    };
    await waitFor(() => {
      const { visible, inFlight } = queue.stats();
      return visible + inFlight === 0 ? true : undefined;
    }, 100);
    const items = await scanAll();
    // Each item was inserted once, so the stream holds at least that many records; read them all.
    await waitFor(() => (poller.stats().records >= items.length ? true : undefined), 100);
    const streamFailures = (await readFile(failureFile, "utf8").catch(() => ""))
      .split("\n")
      .filter((line) => line.length > 0);
    return {
      acceptedEventKeys,
      deadLetters,
      items,
      streamFailures,
      proxy,
      coderRecordsFailed: coderObservability.recordedMetrics.get("RecordsFailed") ?? 0,
    };
  } finally {
    await Promise.all(consumers.map((consumer) => consumer.stop()));
    await poller.stop();
    await proxy.stop();
    dynamoDb.destroy();
    streams.destroy();
    direct.destroy();
    await rm(dataDir, { recursive: true, force: true });
  }
}
