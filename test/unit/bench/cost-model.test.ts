import { describe, expect, it } from "vitest";
import {
  COST_SCENARIOS,
  type CostInputs,
  correctWriteUnits,
  countChunks,
  countSampledTraces,
  countSqsRequests,
  estimateCost,
  estimateLambdaMs,
  foldPerItemEntries,
  PLATFORM_LOG_BYTES_PER_INVOCATION,
  PRICES,
  sumReadUnits,
} from "../../../bench/cost-model.js";
import { sumConsumedCapacity } from "../../../bench/dynamodb-counting-proxy.js";

const none: CostInputs = {
  functions: [],
  api: "rest",
  apiRequestsPerArticle: 0,
  writeUnitsPerArticle: 0,
  readUnitsPerArticle: 0,
  busEntries: [],
  queues: [],
  articlesPerSecond: 50,
  traceRootsPerArticle: 0,
};

const line = (cost: ReturnType<typeof estimateCost>, service: string, item: string) => {
  const found = cost.lines.find((l) => l.service === service && l.item.startsWith(item));
  if (!found) throw new Error(`no line ${service} ${item}`);
  return found;
};

describe("unit helpers", () => {
  it("bills Lambda in whole milliseconds, with CPU scaled below one vCPU (1,769 MB)", () => {
    expect(estimateLambdaMs(10, 1769)).toBe(10);
    expect(estimateLambdaMs(10, 3538)).toBe(10);
    expect(estimateLambdaMs(10, 1024)).toBe(Math.ceil((10 * 1769) / 1024));
    expect(estimateLambdaMs(0.2, 2048)).toBe(1);
  });

  it("stretches only the CPU part of a duration below one vCPU, not the wait on the backends", () => {
    // 100 ms, of which 20 ms CPU, at 512 MB: 20 ms × 1769/512 of CPU, plus 80 ms of waiting.
    expect(estimateLambdaMs(100, 512, 20)).toBe(Math.ceil((20 * 1769) / 512 + 80));
    // CPU beyond the wall time (several threads) counts as all of it, not more.
    expect(estimateLambdaMs(100, 512, 150)).toBe(Math.ceil((100 * 1769) / 512));
    expect(estimateLambdaMs(100, 1769, 20)).toBe(100);
  });

  it("counts 64 KB chunks, at least one per entry", () => {
    expect(countChunks(10, 65_536)).toBe(1);
    expect(countChunks(65_536, 65_536)).toBe(1);
    expect(countChunks(65_537, 65_536)).toBe(2);
    expect(countChunks(0, 65_536)).toBe(1);
  });

  it("halves DynamoDB Local's transactional write units and ignores reads and stream calls", () => {
    const counts = {
      TransactWriteItems: { capacityUnits: 40 },
      PutItem: { capacityUnits: 3 },
      BatchWriteItem: { capacityUnits: 2 },
      GetItem: { capacityUnits: 7 },
      "Streams.GetRecords": { capacityUnits: 99 },
    };
    expect(correctWriteUnits(counts)).toBe(20 + 3 + 2);
    expect(sumReadUnits(counts)).toBe(7);
  });

  it("sums consumed capacity from one answer or a list, with the indexes' share apart", () => {
    expect(sumConsumedCapacity(undefined)).toEqual({ total: 0, indexes: 0 });
    expect(sumConsumedCapacity({ CapacityUnits: 3 })).toEqual({ total: 3, indexes: 0 });
    expect(
      sumConsumedCapacity([
        {
          CapacityUnits: 8,
          GlobalSecondaryIndexes: { byActor: { CapacityUnits: 2 }, byDyad: { CapacityUnits: 2 } },
        },
        { CapacityUnits: 1 },
      ]),
    ).toEqual({ total: 9, indexes: 4 });
  });

  it("samples traces as X-Ray's default rule does: one a second, then 5%", () => {
    // 1,000 requests at 10/s: 100 s of reservoir (100 traces), then 5% of the other 900.
    expect(countSampledTraces(1000, 10)).toBeCloseTo(100 + 45, 6);
    // Slower than one a second: every request is traced.
    expect(countSampledTraces(10, 0.5)).toBe(10);
  });
});

describe("estimateCost", () => {
  it("prices each counted quantity at its unit price, per million articles", () => {
    const cost = estimateCost({
      ...none,
      apiRequestsPerArticle: 1,
      writeUnitsPerArticle: 20,
      readUnitsPerArticle: 1,
      // One message per article, read in batches of ten: 1 send + 0.2 receive and delete.
      queues: [{ name: "coder", messagesByType: { ArticlePublished: 1 }, batchSize: 10 }],
      busEntries: [
        { type: "ArticlePublished", perArticle: 1, averageBytes: 4000 },
        { type: "DiplomaticEventCoded", perArticle: 10, averageBytes: 70_000 },
      ],
    });
    expect(line(cost, "API Gateway", "REST").perMillionArticles).toBeCloseTo(3.5, 9);
    expect(line(cost, "DynamoDB", "write").perMillionArticles).toBeCloseTo(20 * 0.625, 9);
    expect(line(cost, "DynamoDB", "read").perMillionArticles).toBeCloseTo(0.125, 9);
    expect(line(cost, "SQS", "requests").perArticle).toBeCloseTo(1.2, 12);
    expect(line(cost, "SQS", "requests").perMillionArticles).toBeCloseTo(1.2 * 0.4, 9);
    // 1 chunk + 10 entries of two chunks each.
    expect(line(cost, "EventBridge", "custom events").perArticle).toBe(21);
    expect(line(cost, "EventBridge", "custom events").perMillionArticles).toBeCloseTo(21, 9);
    const archivedGb = (4000 + 10 * 70_000) / 1024 ** 3;
    expect(line(cost, "EventBridge", "archive").perMillionArticles).toBeCloseTo(archivedGb * 1e6 * 0.1, 9);
  });

  it("charges Lambda GB-seconds, requests and log ingestion from durations and memory", () => {
    const cost = estimateCost({
      ...none,
      functions: [
        {
          name: "coder",
          memoryMb: 1024,
          invocationsPerArticle: 0.1,
          measuredMs: 100,
          measuredCpuMs: 100,
          logBytesPerInvocation: 550,
        },
        {
          name: "ingest",
          memoryMb: 2048,
          invocationsPerArticle: 1,
          measuredMs: 4.2,
          measuredCpuMs: 4.2,
          logBytesPerInvocation: 0,
        },
      ],
    });
    const coderGbS = (Math.ceil((100 * 1769) / 1024) / 1000) * 1 * 0.1;
    expect(line(cost, "Lambda", "coder").perArticle).toBeCloseTo(coderGbS, 12);
    expect(line(cost, "Lambda", "coder").perMillionArticles).toBeCloseTo(
      coderGbS * 1e6 * PRICES.lambdaArmPerGbSecond,
      9,
    );
    expect(line(cost, "Lambda", "ingest").perArticle).toBeCloseTo((5 / 1000) * 2, 12);
    expect(line(cost, "Lambda", "requests").perArticle).toBeCloseTo(1.1, 12);
    const logBytes = 0.1 * (550 + PLATFORM_LOG_BYTES_PER_INVOCATION) + 1 * PLATFORM_LOG_BYTES_PER_INVOCATION;
    expect(line(cost, "CloudWatch Logs", "ingestion").perMillionArticles).toBeCloseTo(
      (logBytes / 1024 ** 3) * 1e6 * 0.5,
      9,
    );
  });

  it("totals its lines, and costs nothing when nothing is counted", () => {
    const cost = estimateCost({ ...none, apiRequestsPerArticle: 1, writeUnitsPerArticle: 4 });
    expect(cost.total).toBeCloseTo(
      cost.lines.reduce((sum, l) => sum + l.perMillionArticles, 0),
      12,
    );
    expect(estimateCost(none).total).toBe(0);
  });
});

describe("queues and scenarios", () => {
  it("counts a send per message and a receive and a delete per batch, for every type a queue takes", () => {
    expect(countSqsRequests({ name: "q", messagesByType: {}, batchSize: 10 })).toBe(0);
    expect(
      countSqsRequests({
        name: "q",
        messagesByType: { DiplomaticEventCoded: 18, ArticleCoded: 1, StanceRecorded: 11 },
        batchSize: 10,
      }),
    ).toBeCloseTo(30 + 6, 12);
    expect(countSqsRequests({ name: "q", messagesByType: { ArticlePublished: 1 }, batchSize: 1 })).toBe(3);
  });

  const measured: CostInputs = {
    ...none,
    apiRequestsPerArticle: 1,
    busEntries: [
      { type: "ArticlePublished", perArticle: 1, averageBytes: 4000 },
      { type: "DiplomaticEventCoded", perArticle: 20, averageBytes: 1000 },
      { type: "StanceRecorded", perArticle: 10, averageBytes: 800 },
      { type: "ArticleCoded", perArticle: 1, averageBytes: 1500 },
    ],
    queues: [
      { name: "coder", messagesByType: { ArticlePublished: 1 }, batchSize: 10 },
      {
        name: "aggregator",
        messagesByType: { DiplomaticEventCoded: 20, StanceRecorded: 10, ArticleCoded: 1 },
        batchSize: 10,
      },
      { name: "conflict", messagesByType: { DiplomaticEventCoded: 4 }, batchSize: 10 },
      { name: "quiet", messagesByType: { DiplomaticEventCoded: 0.25 }, batchSize: 10 },
    ],
  };

  it("folds events and stances into ArticleCoded: one entry carrying their bytes, one message per queue that took any", () => {
    const folded = foldPerItemEntries(measured);
    expect(folded.busEntries.map((e) => e.type)).toEqual(["ArticlePublished", "ArticleCoded"]);
    expect(folded.busEntries[1]?.averageBytes).toBe(1500 + 20 * 1000 + 10 * 800);
    expect(folded.queues.map((q) => q.messagesByType)).toEqual([
      { ArticlePublished: 1 },
      { ArticleCoded: 1 },
      { ArticleCoded: 1 },
      // A queue that saw a conflict event in a quarter of the articles still gets a quarter.
      { ArticleCoded: 0.25 },
    ]);
    // 32 entries become 2, each below 64 KB.
    expect(line(estimateCost(folded), "EventBridge", "custom events").perArticle).toBe(2);
    expect(line(estimateCost(measured), "EventBridge", "custom events").perArticle).toBe(32);
    // What is archived does not shrink: the same bytes, in fewer entries.
    expect(line(estimateCost(folded), "EventBridge", "archive").perArticle).toBeCloseTo(
      line(estimateCost(measured), "EventBridge", "archive").perArticle,
      15,
    );
  });

  it("bills the HTTP API at its own price, and every scenario costs less than the measured design", () => {
    const http = COST_SCENARIOS.find((s) => s.id === "http-api");
    expect(http).toBeDefined();
    expect(
      line(estimateCost(http?.apply(measured) ?? measured), "API Gateway", "HTTP").perMillionArticles,
    ).toBeCloseTo(PRICES.apiGatewayHttpPerMillion, 9);
    const base = estimateCost(measured).total;
    for (const scenario of COST_SCENARIOS) {
      expect(estimateCost(scenario.apply(measured)).total).toBeLessThan(base);
    }
  });
});
