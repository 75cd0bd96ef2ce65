// The stream poller against the real Streams API of the test run's DynamoDB
// Local (each test on its own table): what it hands the handler, and what it
// does with partial failures. Tests wait for conditions on what the handler
// saw, never for a length of time.
import { randomUUID } from "node:crypto";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DynamoDBClient, PutItemCommand } from "@aws-sdk/client-dynamodb";
import { DynamoDBStreamsClient } from "@aws-sdk/client-dynamodb-streams";
import type { DynamoDBRecord, DynamoDBStreamEvent } from "aws-lambda";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { createTable } from "../../../functions/shared/create-table.js";
import { createLambdaContext } from "../../../local/lambda-context.js";
import { type StreamHandler, StreamPoller } from "../../../local/stream-poller.js";

const endpoint = process.env.ATTACHE_TEST_DYNAMODB_ENDPOINT!;
const config = {
  region: "us-east-1",
  endpoint,
  credentials: { accessKeyId: "local", secretAccessKey: "local" },
};
let dynamoDb: DynamoDBClient;
let streams: DynamoDBStreamsClient;
let dir: string;
let poller: StreamPoller | undefined;

beforeAll(() => {
  dynamoDb = new DynamoDBClient(config);
  streams = new DynamoDBStreamsClient(config);
});
afterAll(() => {
  dynamoDb.destroy();
  streams.destroy();
});
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), "attache-stream-"));
});
afterEach(async () => {
  await poller?.stop();
  poller = undefined;
  await rm(dir, { recursive: true, force: true });
});

async function newTable(): Promise<string> {
  const name = `stream-${randomUUID()}`;
  await createTable(dynamoDb, name, { stream: true });
  return name;
}

async function putItems(table: string, ids: string[]): Promise<void> {
  for (const id of ids) {
    await dynamoDb.send(
      new PutItemCommand({
        TableName: table,
        Item: { pk: { S: `ITEM#${id}` }, sk: { S: "A" }, n: { N: "1" } },
      }),
    );
  }
}

/** Starts a poller that records every invocation; `until` resolves once a condition on them holds. */
function startPoller(
  table: string,
  decide: (event: DynamoDBStreamEvent, call: number) => ReturnType<StreamHandler>,
  options: { maxRetryAttempts?: number; batchSize?: number; parallelizationFactor?: number } = {},
) {
  const calls: DynamoDBRecord[][] = [];
  const failures: string[] = [];
  poller = new StreamPoller({
    client: streams,
    tableName: table,
    handler: async (event) => {
      calls.push(event.Records);
      return decide(event, calls.length);
    },
    createContext: () =>
      createLambdaContext({ functionName: "emitter", region: "us-east-1", account: "0", timeoutMs: 1 }),
    failureFile: join(dir, "stream-failures.jsonl"),
    checkpointFile: join(dir, "checkpoints.json"),
    pollIntervalMs: 20,
    retryBaseDelayMs: 5,
    maxRetryAttempts: options.maxRetryAttempts ?? 2,
    batchSize: options.batchSize ?? 100,
    parallelizationFactor: options.parallelizationFactor ?? 1,
    onFailure: (failure) => failures.push(failure.reason),
  });
  // Checks the condition between short sleeps; the test's timeout bounds the wait.
  const until = async (test: () => boolean) => {
    while (!test()) await new Promise((resolve) => setTimeout(resolve, 10));
  };
  return { poller, calls, failures, until };
}

const keyOf = (record: DynamoDBRecord) => record.dynamodb?.Keys?.pk?.S;

describe("StreamPoller on DynamoDB Local", () => {
  it("invokes the handler with Lambda-shaped INSERT records, in write order", async () => {
    const table = await newTable();
    await putItems(table, ["1", "2", "3"]);
    const run = startPoller(table, async () => ({ batchItemFailures: [] }));
    await run.poller.start();
    await run.until(() => run.poller.stats().records >= 3);
    const records = run.calls.flat();
    expect(records.map(keyOf)).toEqual(["ITEM#1", "ITEM#2", "ITEM#3"]);
    expect(records[0]).toMatchObject({
      eventName: "INSERT",
      eventSource: "aws:dynamodb",
      eventSourceARN: expect.stringContaining(`table/${table}/stream/`),
      dynamodb: {
        ApproximateCreationDateTime: expect.any(Number),
        NewImage: { pk: { S: "ITEM#1" }, n: { N: "1" } },
        StreamViewType: "NEW_AND_OLD_IMAGES",
      },
    });
    expect(run.poller.stats().records).toBe(3);
  });

  it("reads ahead of its batches but hands them over one at a time, in order, none larger than the batch size", async () => {
    const table = await newTable();
    const ids = Array.from({ length: 23 }, (_, i) => String(i).padStart(2, "0"));
    await putItems(table, ids.slice(0, 10));
    let running = 0;
    let overlapping = 0;
    const run = startPoller(
      table,
      async () => {
        running += 1;
        if (running > 1) overlapping += 1;
        // Records written while a batch runs are read ahead, and must still come after it.
        if (run.calls.length === 1) await putItems(table, ids.slice(10));
        running -= 1;
        return { batchItemFailures: [] };
      },
      { batchSize: 4 },
    );
    await run.poller.start();
    await run.until(() => run.poller.stats().records >= ids.length);
    expect(run.calls.every((batch) => batch.length <= 4)).toBe(true);
    expect(run.calls.flat().map(keyOf)).toEqual(ids.map((id) => `ITEM#${id}`));
    expect(overlapping).toBe(0);
  });

  it("retries a batch that failed before the page read ahead is used", async () => {
    const table = await newTable();
    await putItems(table, ["1", "2", "3"]);
    const run = startPoller(
      table,
      async (event, call) => {
        if (call === 1) await putItems(table, ["4", "5"]);
        if (call === 1)
          return { batchItemFailures: [{ itemIdentifier: event.Records[1]!.dynamodb!.SequenceNumber! }] };
        return { batchItemFailures: [] };
      },
      { batchSize: 3 },
    );
    await run.poller.start();
    await run.until(() => run.poller.stats().records >= 5);
    const order = run.calls.flat().map(keyOf);
    expect(order).toEqual(["ITEM#1", "ITEM#2", "ITEM#3", "ITEM#2", "ITEM#3", "ITEM#4", "ITEM#5"]);
  });

  it("with a parallelization factor, runs batches of different keys at once and keeps each key's records in order", async () => {
    const table = await newTable();
    const keys = ["a", "b", "c", "d", "e", "f"];
    for (let version = 1; version <= 4; version++) {
      for (const key of keys) {
        await dynamoDb.send(
          new PutItemCommand({
            TableName: table,
            Item: { pk: { S: `ITEM#${key}` }, sk: { S: "A" }, n: { N: String(version) } },
          }),
        );
      }
    }
    let running = 0;
    let mostAtOnce = 0;
    let failedOnce = false;
    const run = startPoller(
      table,
      async (event) => {
        running += 1;
        mostAtOnce = Math.max(mostAtOnce, running);
        // Let the other lanes start before this one answers.
        await new Promise((resolve) => setImmediate(resolve));
        running -= 1;
        // One lane fails once on its second record: only that lane is retried from there.
        if (!failedOnce && event.Records.length > 1) {
          failedOnce = true;
          return { batchItemFailures: [{ itemIdentifier: event.Records[1]!.dynamodb!.SequenceNumber! }] };
        }
        return { batchItemFailures: [] };
      },
      { batchSize: 2, parallelizationFactor: 4 },
    );
    await run.poller.start();
    await run.until(() => run.poller.stats().records >= keys.length * 4);
    expect(mostAtOnce).toBeGreaterThan(1);
    expect(run.calls.every((batch) => batch.length <= 2)).toBe(true);
    // Each key's versions arrive in order; a retried record may arrive twice, never out of order.
    for (const key of keys) {
      const seen = run.calls
        .flat()
        .filter((r) => keyOf(r) === `ITEM#${key}`)
        .map((r) => Number(r.dynamodb?.NewImage?.n?.N));
      const distinct = seen.filter((n, i) => i === 0 || n !== seen[i - 1]);
      expect(distinct).toEqual([1, 2, 3, 4]);
    }
    expect(run.failures).toEqual([]);
    expect(run.poller.stats()).toMatchObject({ records: keys.length * 4, failedRecords: 0 });
  });

  it("refuses a parallelization factor outside 1 to 10, as Lambda does", () => {
    expect(
      () =>
        new StreamPoller({
          client: streams,
          tableName: "t",
          handler: async () => undefined,
          createContext: () =>
            createLambdaContext({ functionName: "e", region: "us-east-1", account: "0", timeoutMs: 1 }),
          failureFile: join(dir, "f.jsonl"),
          parallelizationFactor: 11,
        }),
    ).toThrow(RangeError);
  });

  it("retries from the failed sequence number only, then moves on", async () => {
    const table = await newTable();
    await putItems(table, ["1", "2", "3", "4"]);
    const run = startPoller(table, async (event, call) => {
      // The first invocation fails on the third record; the retry succeeds.
      if (call === 1)
        return { batchItemFailures: [{ itemIdentifier: event.Records[2]!.dynamodb!.SequenceNumber! }] };
      return { batchItemFailures: [] };
    });
    await run.poller.start();
    await run.until(() => run.calls.length >= 2);
    expect(run.calls[0]!.map(keyOf)).toEqual(["ITEM#1", "ITEM#2", "ITEM#3", "ITEM#4"]);
    expect(run.calls[1]!.map(keyOf)).toEqual(["ITEM#3", "ITEM#4"]);
    expect(run.failures).toEqual([]);
  });

  it("after the retries, writes the failed records to the on-failure file and goes on with the shard", async () => {
    const table = await newTable();
    await putItems(table, ["1", "2"]);
    const run = startPoller(
      table,
      async (event) => {
        const poisoned = event.Records.find((r) => keyOf(r) === "ITEM#2");
        if (poisoned) return { batchItemFailures: [{ itemIdentifier: poisoned.dynamodb!.SequenceNumber! }] };
        return { batchItemFailures: [] };
      },
      { maxRetryAttempts: 2 },
    );
    await run.poller.start();
    await run.until(() => run.failures.length === 1);
    // One first try and two retries for the poisoned record.
    expect(run.calls.map((records) => records.map(keyOf))).toEqual([
      ["ITEM#1", "ITEM#2"],
      ["ITEM#2"],
      ["ITEM#2"],
    ]);
    const lines = (await readFile(join(dir, "stream-failures.jsonl"), "utf8")).trim().split("\n");
    expect(lines).toHaveLength(1);
    const failure = JSON.parse(lines[0]!);
    expect(failure).toMatchObject({
      requestContext: { condition: "RetryAttemptsExhausted", approximateInvokeCount: 3 },
      DDBStreamBatchInfo: { batchSize: 1, streamArn: expect.stringContaining(table) },
    });
    expect(failure.records.map(keyOf)).toEqual(["ITEM#2"]);

    // The shard is not blocked: later writes still arrive.
    await putItems(table, ["3"]);
    await run.until(() => run.calls.flat().some((r) => keyOf(r) === "ITEM#3"));
    expect(run.poller.stats().failedRecords).toBe(1);
  });

  it("a handler that throws has the whole batch retried", async () => {
    const table = await newTable();
    await putItems(table, ["1", "2"]);
    const run = startPoller(table, async (_event, call) => {
      if (call === 1) throw new Error("bus unavailable");
      return undefined;
    });
    await run.poller.start();
    await run.until(() => run.calls.length >= 2);
    expect(run.calls[1]!.map(keyOf)).toEqual(["ITEM#1", "ITEM#2"]);
  });

  it("resumes after its checkpoint when started again on the same stream", async () => {
    const table = await newTable();
    await putItems(table, ["1", "2"]);
    const first = startPoller(table, async () => undefined);
    await first.poller.start();
    await first.until(() => first.calls.flat().length >= 2);
    await first.poller.stop();

    await putItems(table, ["3"]);
    const second = startPoller(table, async () => undefined);
    await second.poller.start();
    await second.until(() => second.calls.flat().length >= 1);
    expect(second.calls.flat().map(keyOf)).toEqual(["ITEM#3"]);
  });

  it("refuses a table without a stream", async () => {
    const name = `nostream-${randomUUID()}`;
    await createTable(dynamoDb, name, { stream: false });
    const run = startPoller(name, async () => undefined);
    await expect(run.poller.start()).rejects.toThrow(/has no stream/);
    poller = undefined;
  });
});
