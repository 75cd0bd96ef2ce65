// The aggregator on DynamoDB Local: concurrent arrivals on one cluster, pair and history
// lose no update; redeliveries count once; a revision or retraction withdraws the old
// version whatever order the messages come in; the handler reports poison messages alone.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DetailType } from "../../../events/routing.js";
import {
  createAggregatorHandler,
  parseAggregatorMessage,
} from "../../../functions/aggregator/create-aggregator-handler.js";
import { createDynamoDbAggregateStore } from "../../../functions/aggregator/dynamodb-aggregate-store.js";
import { createAggregator } from "../../../functions/core/aggregates/aggregate-contribution.js";
import { computeClusterId } from "../../../functions/core/aggregates/cluster-key.js";
import { DEFAULT_AGGREGATION_CONFIG } from "../../../functions/core/aggregates/config.js";
import { createTestObservability } from "../../fakes/observability.js";
import { buildSqsEvent } from "../../unit/functions/lambda-events.js";
import { createTestClient, createTestTable } from "../create-table.js";
import {
  buildArticleCodedDetail,
  buildCodedEvent,
  buildEventDetail,
  buildStanceDetail,
  toEnvelope,
} from "./aggregate-fixtures.js";
import { readAggregates } from "./read-aggregates.js";

const client = createTestClient();

async function createFreshAggregator() {
  const { tableName } = await createTestTable(client, "attache-aggregates");
  const store = createDynamoDbAggregateStore({ client, tableName });
  const aggregate = createAggregator({ store, config: DEFAULT_AGGREGATION_CONFIG, maxAttempts: 50 });
  const handle = (body: string) => {
    const input = parseAggregatorMessage(body);
    if (!input) throw new Error("nothing to aggregate");
    return aggregate(input);
  };
  return { tableName, aggregate, handle };
}

const eventMessage = (spec: Parameters<typeof buildEventDetail>[0]) =>
  toEnvelope(DetailType.DiplomaticEventCoded, buildEventDetail(spec));
const stanceMessage = (spec: Parameters<typeof buildStanceDetail>[0]) =>
  toEnvelope(DetailType.StanceRecorded, buildStanceDetail(spec));
const clusterKeyOf = (spec: Parameters<typeof buildCodedEvent>[0]) =>
  `CLUSTER#${computeClusterId(buildCodedEvent(spec))}|STATE`;

afterAll(() => client.destroy());

describe("aggregator on DynamoDB Local", () => {
  let env: Awaited<ReturnType<typeof createFreshAggregator>>;
  beforeAll(async () => {
    env = await createFreshAggregator();
  });

  it("loses no update when twelve articles join one cluster and one pair at once, and confirms once", async () => {
    const specs = Array.from({ length: 12 }, (_, i) => ({
      articleId: `race-${i}`,
      publisher: `outlet-${i % 4}`,
      publishedAt: `2025-04-01T1${i % 10}:00:00Z`,
      source: "IND",
      target: "PAK",
      code: "190",
      goldstein: -10,
    }));
    const outcomes = await Promise.all(specs.map((spec) => env.handle(eventMessage(spec))));
    expect(outcomes.map((o) => o.status)).toEqual(specs.map(() => "applied"));
    const snapshot = await readAggregates(client, env.tableName);
    const cluster = snapshot.clusters[clusterKeyOf(specs[0]!)] as Record<string, unknown>;
    expect(cluster).toMatchObject({ articleCount: 12, publisherCount: 4, mentionCount: 12 });
    expect(snapshot.dyadTrends["DYADTREND#IND#PAK|STATE"]).toMatchObject({
      days: [{ date: "2025-04-01", goldsteinTenths: -1200, count: 12 }],
    });
    const confirmations = snapshot.derivedEventKeys.filter((k) => k.startsWith(DetailType.EventConfirmed));
    expect(confirmations).toEqual([`EventConfirmed#${computeClusterId(buildCodedEvent(specs[0]!))}`]);
    expect(
      outcomes.flatMap((o) => o.derived).filter((d) => d.detailType === DetailType.EventConfirmed),
    ).toHaveLength(1);
  });

  it("counts a message delivered five times at once exactly once", async () => {
    const spec = {
      articleId: "dup-1",
      publisher: "wire",
      source: "JPN",
      target: "BRA",
      code: "061",
      goldstein: 6.4,
    };
    const outcomes = await Promise.all(Array.from({ length: 5 }, () => env.handle(eventMessage(spec))));
    expect(outcomes.filter((o) => o.status === "applied")).toHaveLength(1);
    expect(outcomes.filter((o) => o.status === "duplicate")).toHaveLength(4);
    const snapshot = await readAggregates(client, env.tableName);
    expect(snapshot.clusters[clusterKeyOf(spec)]).toMatchObject({ mentionCount: 1, articleCount: 1 });
    expect(snapshot.dyadTrends["DYADTREND#JPN#BRA|STATE"]).toMatchObject({
      days: [{ date: "2025-04-01", goldsteinTenths: 64, count: 1 }],
    });
    // And again later, one by one: still once.
    expect((await env.handle(eventMessage(spec))).status).toBe("duplicate");
  });

  it("keeps a stance history whole under concurrent arrivals and announces a shift with both stances' evidence", async () => {
    const months = ["01", "02", "03", "04", "05", "06"];
    await Promise.all(
      months.map((m) =>
        env.handle(
          stanceMessage({
            articleId: `st-${m}`,
            publishedAt: `2025-${m}-10T00:00:00Z`,
            holder: "GRC",
            target: "TUR",
            polarity: "oppose",
          }),
        ),
      ),
    );
    const shift = await env.handle(
      stanceMessage({
        articleId: "st-07",
        publishedAt: "2025-07-10T00:00:00Z",
        holder: "GRC",
        target: "TUR",
        polarity: "support",
        publisher: "daily",
      }),
    );
    const snapshot = await readAggregates(client, env.tableName);
    const history = snapshot.stanceHistories["STANCEHISTORY#GRC#TUR|STATE"] as {
      entries: { polarity: string }[];
    };
    expect(history.entries.map((e) => e.polarity)).toEqual([...months.map(() => "oppose"), "support"]);
    expect(shift.derived).toHaveLength(1);
    expect(shift.derived[0]!.detail).toMatchObject({
      eventKey: "StanceShifted#GRC#TUR#st-06:1:st-st-06#st-07:1:st-st-07",
      latest: true,
      from: {
        polarity: "oppose",
        articleId: "st-06",
        stance: { evidence: [expect.objectContaining({ field: "body" })] },
      },
      to: { polarity: "support", articleId: "st-07", publisher: "daily" },
    });
    // A late article from February that agrees with its neighbours changes nothing to announce.
    const late = await env.handle(
      stanceMessage({
        articleId: "st-late",
        publishedAt: "2025-02-20T00:00:00Z",
        holder: "GRC",
        target: "TUR",
        polarity: "oppose",
      }),
    );
    expect(late).toMatchObject({ status: "applied", derived: [] });
  });

  it("withdraws a replaced version whatever order the versions' messages arrive in", async () => {
    const v1 = {
      articleId: "rev-1",
      version: 1,
      eventId: "ev-a",
      publisher: "wire",
      source: "KOR",
      target: "PRK",
      code: "112",
      goldstein: -2,
    };
    const v2 = { ...v1, version: 2, eventId: "ev-b", code: "173", goldstein: -5 };
    // Version 2 arrives first; version 1's event afterwards is stale and changes nothing.
    expect((await env.handle(eventMessage(v2))).status).toBe("applied");
    expect((await env.handle(eventMessage(v1))).status).toBe("stale");
    let snapshot = await readAggregates(client, env.tableName);
    expect(snapshot.clusters[clusterKeyOf(v1)]).toBeUndefined();
    expect(snapshot.clusters[clusterKeyOf(v2)]).toMatchObject({ mentionCount: 1 });

    // In order: version 1 counted, then version 2's ArticleCoded (a retraction: no events) withdraws it.
    const r1 = { ...v1, articleId: "rev-2" };
    await env.handle(eventMessage(r1));
    snapshot = await readAggregates(client, env.tableName);
    expect(snapshot.clusters[clusterKeyOf(r1)]).toMatchObject({ mentionCount: 1 });
    const retraction = await env.handle(
      toEnvelope(DetailType.ArticleCoded, buildArticleCodedDetail("rev-2", 2)),
    );
    expect(retraction).toMatchObject({ status: "article-only", reverted: 1 });
    snapshot = await readAggregates(client, env.tableName);
    expect(snapshot.clusters[clusterKeyOf(r1)]).toMatchObject({ mentionCount: 0, articleCount: 0 });
    expect(snapshot.dyadTrends["DYADTREND#KOR#PRK|STATE"]).toMatchObject({
      days: [{ date: "2025-04-01", goldsteinTenths: -50, count: 1 }],
    });
    // The retraction again (a redelivery) has nothing left to withdraw.
    expect(
      await env.handle(toEnvelope(DetailType.ArticleCoded, buildArticleCodedDetail("rev-2", 2))),
    ).toMatchObject({
      reverted: 0,
    });
  });

  it("withdraws a revised stance from its history", async () => {
    const base = { holder: "IDN", target: "AUS", publishedAt: "2025-03-01T00:00:00Z" };
    await env.handle(stanceMessage({ ...base, articleId: "hist-a", polarity: "support" }));
    await env.handle(
      stanceMessage({
        ...base,
        articleId: "hist-b",
        publishedAt: "2025-03-02T00:00:00Z",
        polarity: "oppose",
      }),
    );
    await env.handle(
      stanceMessage({
        ...base,
        articleId: "hist-b",
        version: 2,
        publishedAt: "2025-03-02T00:00:00Z",
        polarity: "support",
      }),
    );
    const snapshot = await readAggregates(client, env.tableName);
    const history = snapshot.stanceHistories["STANCEHISTORY#IDN#AUS|STATE"] as {
      entries: { key: string; polarity: string }[];
    };
    expect(history.entries.map((e) => [e.key.split("#")[1], e.polarity])).toEqual([
      ["hist-a", "support"],
      ["hist-b", "support"],
    ]);
    expect(
      Object.keys(snapshot.stanceEntries).filter((k) => k.startsWith("STANCEHISTORY#IDN#AUS")),
    ).toHaveLength(2);
  });
});

describe("aggregator handler", () => {
  it("reports a poison message alone and aggregates the rest of the batch", async () => {
    const { aggregate } = await createFreshAggregator();
    const { logger, metrics, recordedMetrics } = createTestObservability();
    const handler = createAggregatorHandler({ aggregate, logger, metrics });
    const response = await handler(
      buildSqsEvent([
        eventMessage({ articleId: "h-1", publisher: "wire" }),
        "not json",
        toEnvelope(DetailType.ArticlePublished, { id: "x" }),
        toEnvelope(DetailType.ArticleCoded, buildArticleCodedDetail("h-1", 1, ["ev-h-1"])),
      ]),
    );
    expect(response.batchItemFailures).toEqual([
      { itemIdentifier: "message-2" },
      { itemIdentifier: "message-3" },
    ]);
    expect(recordedMetrics.get("ContributionsApplied")).toBe(1);
    expect(recordedMetrics.get("PoisonMessages")).toBe(2);
  });
});
