// The aggregator's batches on DynamoDB Local: a batch is read once and written in one
// transaction, and gives exactly the aggregates and derived events the same messages give
// one at a time; duplicates within and across batches count once; a batch too large for
// one transaction is split; revisions in a batch still withdraw the old version.
import { DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import { afterAll, describe, expect, it } from "vitest";
import { DetailType } from "../../../events/routing.js";
import {
  createAggregatorHandler,
  parseAggregatorMessage,
} from "../../../functions/aggregator/create-aggregator-handler.js";
import { createDynamoDbAggregateStore } from "../../../functions/aggregator/dynamodb-aggregate-store.js";
import {
  type AggregatorInput,
  createAggregator,
} from "../../../functions/core/aggregates/aggregate-contribution.js";
import { DEFAULT_AGGREGATION_CONFIG } from "../../../functions/core/aggregates/config.js";
import { createTestObservability } from "../../fakes/observability.js";
import { buildSqsEvent } from "../../unit/functions/lambda-events.js";
import { createTestClient, createTestTable } from "../create-table.js";
import {
  buildArticleCodedDetail,
  buildEventDetail,
  buildStanceDetail,
  toEnvelope,
} from "./aggregate-fixtures.js";
import { readAggregates } from "./read-aggregates.js";

const client = createTestClient();
const document = DynamoDBDocumentClient.from(client, { marshallOptions: { removeUndefinedValues: true } });
afterAll(() => client.destroy());

/** A fresh table and aggregator whose DynamoDB commands are counted by name. */
async function createCountingAggregator() {
  const { tableName } = await createTestTable(client, "attache-batches");
  const calls = new Map<string, number>();
  const counting = {
    send: ((command: { constructor: { name: string } }) => {
      const name = command.constructor.name;
      calls.set(name, (calls.get(name) ?? 0) + 1);
      return document.send(command as never);
    }) as DynamoDBDocumentClient["send"],
  };
  const store = createDynamoDbAggregateStore({ client: counting, tableName });
  const aggregate = createAggregator({ store, config: DEFAULT_AGGREGATION_CONFIG, maxAttempts: 50 });
  return { tableName, aggregate, calls };
}

const eventMessage = (spec: Parameters<typeof buildEventDetail>[0]) =>
  toEnvelope(DetailType.DiplomaticEventCoded, buildEventDetail(spec));
const stanceMessage = (spec: Parameters<typeof buildStanceDetail>[0]) =>
  toEnvelope(DetailType.StanceRecorded, buildStanceDetail(spec));
const inputsOf = (bodies: string[]) =>
  bodies.map((body) => parseAggregatorMessage(body)!) as AggregatorInput[];

/**
 * Three articles' output: events that share a cluster and a pair, one on a pair of its own,
 * stances that turn a history (support, then oppose: a shift), and a repeated message.
 */
function buildMessages(): string[] {
  const messages: string[] = [];
  for (let i = 0; i < 3; i += 1) {
    const articleId = `batch-${i}`;
    messages.push(
      eventMessage({
        articleId,
        eventId: "e1",
        publisher: `outlet-${i}`,
        source: "IND",
        target: "PAK",
        code: "190",
        goldstein: -10,
      }),
      eventMessage({
        articleId,
        eventId: "e2",
        publisher: `outlet-${i}`,
        source: "IND",
        target: "CHN",
        code: "042",
        goldstein: 1.9,
      }),
      stanceMessage({
        articleId,
        publisher: `outlet-${i}`,
        publishedAt: `2025-04-0${i + 1}T00:00:00Z`,
        holder: "IND",
        target: "PAK",
        polarity: i === 2 ? "oppose" : "support",
      }),
    );
  }
  messages.push(messages[0]!);
  return messages;
}

describe("aggregator batches on DynamoDB Local", () => {
  it("reads a batch once, writes it in one transaction, and ends where one message at a time ends", async () => {
    const messages = buildMessages();
    const together = await createCountingAggregator();
    const results = await together.aggregate.batch(inputsOf(messages));
    expect(results.every((r) => r.ok)).toBe(true);
    expect(together.calls.get("TransactWriteCommand")).toBe(1);
    // The snapshot only: both stances of the shift are in the batch, so no evidence is read.
    expect(together.calls.get("BatchGetCommand")).toBe(1);
    expect(together.calls.get("GetCommand") ?? 0).toBe(0);
    // One gate per article, raised once.
    expect(together.calls.get("UpdateCommand")).toBe(3);

    const alone = await createCountingAggregator();
    const outcomes = [];
    for (const input of inputsOf(messages)) outcomes.push(await alone.aggregate(input));

    const statuses = results.map((r) => (r.ok ? r.outcome.status : "failed"));
    expect(statuses).toEqual(outcomes.map((o) => o.status));
    expect(statuses.at(-1)).toBe("duplicate");
    expect(results.map((r) => (r.ok ? r.outcome.derived.map((d) => d.eventKey) : []))).toEqual(
      outcomes.map((o) => o.derived.map((d) => d.eventKey)),
    );
    const [a, b] = await Promise.all([
      readAggregates(client, together.tableName),
      readAggregates(client, alone.tableName),
    ]);
    expect(a).toEqual(b);
    // The shift was found once, and both clusters, reported by three publishers, confirmed once each.
    expect(a.derivedEventKeys.filter((k) => k.startsWith(DetailType.StanceShifted))).toHaveLength(1);
    expect(a.derivedEventKeys.filter((k) => k.startsWith(DetailType.EventConfirmed))).toHaveLength(2);
  });

  it("counts a batch delivered again, or two copies of it at once, once", async () => {
    const messages = buildMessages();
    const { tableName, aggregate } = await createCountingAggregator();
    const [first, second] = await Promise.all([
      aggregate.batch(inputsOf(messages)),
      aggregate.batch(inputsOf(messages)),
    ]);
    const applied = [...first!, ...second!].filter((r) => r.ok && r.outcome.status === "applied");
    expect(applied).toHaveLength(messages.length - 1);
    const before = await readAggregates(client, tableName);
    const again = await aggregate.batch(inputsOf(messages));
    expect(again.map((r) => (r.ok ? r.outcome.status : "failed"))).toEqual(messages.map(() => "duplicate"));
    expect(await readAggregates(client, tableName)).toEqual(before);
    expect(before.clusters).toMatchObject({
      [Object.keys(before.clusters).find((k) => k.includes("IND~PAK"))!]: {
        mentionCount: 3,
        articleCount: 3,
      },
    });
  });

  it("splits a batch too large for one transaction and still applies every message once", async () => {
    // Forty stances, each its own history and entry: well over the 100 actions of one transaction.
    const messages = Array.from({ length: 40 }, (_, i) =>
      stanceMessage({
        articleId: `wide-${i}`,
        publishedAt: "2025-05-01T00:00:00Z",
        holder: `H${String(i).padStart(2, "0")}`,
        target: "USA",
        polarity: "support",
      }),
    );
    const { tableName, aggregate, calls } = await createCountingAggregator();
    const results = await aggregate.batch(inputsOf(messages));
    expect(results.map((r) => (r.ok ? r.outcome.status : "failed"))).toEqual(messages.map(() => "applied"));
    expect(calls.get("TransactWriteCommand")).toBeGreaterThan(1);
    expect(calls.get("TransactWriteCommand")).toBeLessThan(messages.length);
    const snapshot = await readAggregates(client, tableName);
    expect(Object.keys(snapshot.stanceHistories)).toHaveLength(40);
  });

  it("withdraws a replaced version named in the same batch as the new one", async () => {
    const { tableName, aggregate } = await createCountingAggregator();
    const v1 = {
      articleId: "rev-b",
      eventId: "old",
      publisher: "wire",
      source: "KOR",
      target: "PRK",
      code: "112",
      goldstein: -2,
    };
    const handler = createAggregatorHandler({ aggregate, ...createTestObservability() });
    expect(
      (await handler(buildSqsEvent([eventMessage(v1), eventMessage({ ...v1, articleId: "other-b" })])))
        .batchItemFailures,
    ).toEqual([]);
    const response = await handler(
      buildSqsEvent([
        eventMessage({ ...v1, version: 2, eventId: "new", code: "173", goldstein: -5 }),
        toEnvelope(DetailType.ArticleCoded, buildArticleCodedDetail("rev-b", 2, ["new"])),
        eventMessage({ ...v1, articleId: "third-b" }),
      ]),
    );
    expect(response.batchItemFailures).toEqual([]);
    const snapshot = await readAggregates(client, tableName);
    expect(snapshot.dyadTrends["DYADTREND#KOR#PRK|STATE"]).toMatchObject({
      days: [{ date: "2025-04-01", goldsteinTenths: -20 - 20 - 50, count: 3 }],
    });
  });
});
