// The outbox's publishing half under a bus that keeps refusing one article's events:
// the emitter reports the failing record, the stream poller retries from it, then writes
// it to the on-failure file with the reason and goes on. Nothing is dropped silently:
// every stored event and stance is either on the bus or in the failure file.
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DynamoDBStreamsClient } from "@aws-sdk/client-dynamodb-streams";
import type { DynamoDBRecord } from "aws-lambda";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createDynamoDbArticleStore } from "../../../functions/adapters/dynamodb-article-store.js";
import { createEventBridgePublisher } from "../../../functions/adapters/eventbridge-publisher.js";
import { processArticle } from "../../../functions/core/process-article.js";
import { createEmitterHandler } from "../../../functions/emitter/create-emitter-handler.js";
import { createLambdaContext } from "../../../local/lambda-context.js";
import { StreamPoller } from "../../../local/stream-poller.js";
import { codeArticleFake } from "../../fakes/fake-coder.js";
import { FakeEventBridgeClient } from "../../fakes/fake-eventbridge-client.js";
import { createTestObservability } from "../../fakes/observability.js";
import { createShortArticle, expectedEventKeys, waitFor } from "../../support/articles.js";
import { createTestClient, createTestTable } from "../create-table.js";

interface FailureLine {
  requestContext: { condition: string; approximateInvokeCount: number };
  responseContext: { functionError: string };
  DDBStreamBatchInfo: { batchSize: number };
  records: DynamoDBRecord[];
}

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "attache-outbox-"));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe("the stream consumer when the bus keeps refusing some events", () => {
  it("retries, then records the failed records with the reason, and delivers everything else", async () => {
    const client = createTestClient();
    const { tableName } = await createTestTable(client, "outbox-fail");
    const store = createDynamoDbArticleStore({ client, tableName });
    const articles = ["outbox-a", "outbox-b", "outbox-c"].map((id) => createShortArticle(id));
    const deps = {
      store,
      codeArticle: codeArticleFake,
      clock: { now: () => new Date("2025-04-01T12:00:05Z") },
      coderVersion: "test",
    };
    for (const article of articles) await processArticle(article, deps);

    // Every entry about article B fails, every time, as a broken target or quota would.
    const bus = new FakeEventBridgeClient();
    const accepted: string[] = [];
    bus.answer = (entry, call) => {
      const detail = JSON.parse(entry.Detail ?? "{}") as { eventKey: string; articleId: string };
      if (detail.articleId === "outbox-b")
        return { ErrorCode: "InternalFailure", ErrorMessage: "simulated: the bus keeps failing" };
      accepted.push(detail.eventKey);
      return { EventId: `e-${call}-${accepted.length}` };
    };
    const observability = createTestObservability();
    const emitter = createEmitterHandler({
      publisher: createEventBridgePublisher({
        client: bus,
        eventBusName: "attache-bus",
        sleep: async () => {},
      }),
      ...observability,
    });
    const streams = new DynamoDBStreamsClient({
      region: "us-east-1",
      endpoint: process.env.ATTACHE_TEST_DYNAMODB_ENDPOINT!,
      credentials: { accessKeyId: "local", secretAccessKey: "local" },
    });
    const failureFile = join(dir, "stream-failures.jsonl");
    const invocations: string[][] = [];
    const poller = new StreamPoller({
      client: streams,
      tableName,
      handler: async (event, context) => {
        invocations.push(event.Records.map((r) => r.dynamodb?.SequenceNumber ?? ""));
        return emitter(event, context);
      },
      createContext: () =>
        createLambdaContext({
          functionName: "emitter",
          region: "us-east-1",
          account: "1",
          timeoutMs: 60_000,
        }),
      failureFile,
      batchSize: 100,
      maxRetryAttempts: 2,
      pollIntervalMs: 20,
      retryBaseDelayMs: 10,
    });
    try {
      await poller.start();
      const keysOfC = expectedEventKeys(articles[2]!);
      await waitFor(async () => {
        const written = await readFile(failureFile, "utf8").catch(() => "");
        return written.length > 0 && keysOfC.every((key) => accepted.includes(key)) ? true : undefined;
      }, 50);
    } finally {
      await poller.stop();
      streams.destroy();
      client.destroy();
    }

    // One failure line: the records from B's first failing one on, after 1 + 2 attempts,
    // with the reason the emitter gave, not a generic note.
    const lines = (await readFile(failureFile, "utf8"))
      .split("\n")
      .filter((line) => line.length > 0)
      .map((line) => JSON.parse(line) as FailureLine);
    expect(lines).toHaveLength(1);
    const [failure] = lines;
    expect(failure!.requestContext).toEqual({
      condition: "RetryAttemptsExhausted",
      approximateInvokeCount: 3,
    });
    expect(failure!.responseContext.functionError).toMatch(
      /^EventPublishError: \d+ of \d+ events were not put on bus attache-bus \(InternalFailure\)/,
    );
    // The first invocation and two retries started at the same record, B's first item.
    const head = failure!.records[0]!.dynamodb!.SequenceNumber!;
    expect(invocations.filter((batch) => batch[0] === head).length).toBeGreaterThanOrEqual(2);

    // Nothing dropped silently: each of A's and C's derived events reached the bus, and
    // each of B's emittable items is in the failure file.
    for (const article of [articles[0]!, articles[2]!]) {
      for (const key of expectedEventKeys(article)) expect(accepted).toContain(key);
    }
    const failedItems = failure!.records
      .map((record) => record.dynamodb?.NewImage as Record<string, { S?: string }> | undefined)
      .filter((image) => image?.articleId?.S === "outbox-b")
      .map((image) => image?.type?.S);
    expect(failedItems).toEqual(expect.arrayContaining(["ArticleVersion", "Event", "Stance"]));
    expect(accepted.filter((key) => key.includes("#outbox-b#"))).toEqual([]);
  });
});
