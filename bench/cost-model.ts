// What one million articles cost in us-east-1, from the counts and durations the
// benchmark measured. Pure arithmetic, so the unit tests can check every line.

/**
 * us-east-1 public list prices, as of 2025 (check them before relying on the
 * total: https://aws.amazon.com/<service>/pricing/). Free tiers are ignored.
 */
export const PRICES = {
  asOf: "2025 (us-east-1 list prices; verify on the AWS pricing pages)",
  /** Lambda, arm64: per GB-second, first pricing tier. */
  lambdaArmPerGbSecond: 0.0000133334,
  lambdaPerMillionRequests: 0.2,
  /** API Gateway REST API, first 333 million requests a month. */
  apiGatewayRestPerMillion: 3.5,
  /** API Gateway HTTP API, first 300 million requests a month (for the scenarios). */
  apiGatewayHttpPerMillion: 1.0,
  /** DynamoDB on demand (after the November 2024 price cut). */
  dynamoDbPerMillionWriteUnits: 0.625,
  dynamoDbPerMillionReadUnits: 0.125,
  dynamoDbStoragePerGbMonth: 0.25,
  /** Custom events, per million 64 KB chunks. */
  eventBridgePerMillionEvents: 1.0,
  eventBridgeArchivePerGb: 0.1,
  /** SQS standard queue, per million 64 KB request chunks. */
  sqsPerMillionRequests: 0.4,
  cloudWatchLogsIngestPerGb: 0.5,
  xRayPerMillionTracesRecorded: 5.0,
} as const;

export type Prices = { [K in keyof typeof PRICES]: (typeof PRICES)[K] extends string ? string : number };

/** Lambda gives a function one full vCPU at 1,769 MB and a proportional share below. */
export const FULL_VCPU_MB = 1769;
export const EVENTBRIDGE_CHUNK_BYTES = 64 * 1024;
export const SQS_CHUNK_BYTES = 64 * 1024;
/** START, END and REPORT lines Lambda writes for every invocation (REPORT with its X-Ray line). */
export const PLATFORM_LOG_BYTES_PER_INVOCATION = 450;
/** X-Ray's default sampling rule: the first request each second, then 5% of the rest. */
export const XRAY_RESERVOIR_PER_SECOND = 1;
export const XRAY_FIXED_RATE = 0.05;
/**
 * DynamoDB Local reports a transactional write at 4 units per 1 KB; DynamoDB
 * charges 2 (one to prepare, one to commit), so reported units are halved.
 */
export const LOCAL_TRANSACTION_UNIT_FACTOR = 2;

export interface FunctionUsage {
  name: string;
  memoryMb: number;
  /** Invocations per article (a batch of ten articles is 0.1). */
  invocationsPerArticle: number;
  /** Duration of one invocation as measured here, one core, ms. */
  measuredMs: number;
  /** Of which CPU time (the rest is waiting on DynamoDB and the bus). */
  measuredCpuMs: number;
  /** Bytes the handler itself logged in one invocation. */
  logBytesPerInvocation: number;
}

/** One SQS queue a rule or mapping feeds: how many messages an article puts on it. */
export interface QueueUsage {
  name: string;
  /** Messages per article by detail-type (EventBridge sends one SendMessage per matched event). */
  messagesByType: Record<string, number>;
  /** Messages the Lambda mapping receives (and deletes) per request. */
  batchSize: number;
}

export interface CostInputs {
  functions: FunctionUsage[];
  /** Which API Gateway flavour takes the POSTs: the stack deploys a REST API. */
  api: "rest" | "http";
  apiRequestsPerArticle: number;
  /** DynamoDB write units per article (after the transaction correction) and read units. */
  writeUnitsPerArticle: number;
  readUnitsPerArticle: number;
  /** Bus entries per article by detail-type, with their average serialized size. */
  busEntries: Array<{ type: string; perArticle: number; averageBytes: number }>;
  /** The queues an article's messages go through (every message here is far below one 64 KB chunk). */
  queues: QueueUsage[];
  /** Articles per second the service runs at (for X-Ray's per-second reservoir). */
  articlesPerSecond: number;
  /** Functions whose invocations start traces (API requests included). */
  traceRootsPerArticle: number;
}

export interface CostLine {
  service: string;
  item: string;
  perArticle: number;
  unit: string;
  unitPrice: number;
  perMillionArticles: number;
}

/**
 * Lambda bills a duration rounded up to the millisecond. Its CPU part stretches below one
 * full vCPU (a function gets CPU in proportion to its memory); the time spent waiting on
 * DynamoDB and the bus does not, so it is added as measured (against DynamoDB Local, whose
 * answers are slower than DynamoDB's: this overstates).
 */
export function estimateLambdaMs(measuredMs: number, memoryMb: number, measuredCpuMs = measuredMs): number {
  const cpuMs = Math.min(measuredCpuMs, measuredMs);
  return Math.ceil(cpuMs * Math.max(1, FULL_VCPU_MB / memoryMb) + (measuredMs - cpuMs));
}

export function countChunks(bytes: number, chunkBytes: number): number {
  return Math.max(1, Math.ceil(bytes / chunkBytes));
}

/** Corrects DynamoDB Local's transactional units to what DynamoDB charges. */
export function correctWriteUnits(byOperation: Record<string, { capacityUnits: number }>): number {
  let units = 0;
  for (const [operation, count] of Object.entries(byOperation)) {
    if (operation.startsWith("Streams.")) continue;
    if (!["PutItem", "UpdateItem", "DeleteItem", "BatchWriteItem", "TransactWriteItems"].includes(operation))
      continue;
    units +=
      operation === "TransactWriteItems"
        ? count.capacityUnits / LOCAL_TRANSACTION_UNIT_FACTOR
        : count.capacityUnits;
  }
  return units;
}

/**
 * SQS requests one queue costs per article: a SendMessage per message (EventBridge's
 * SQS target does not batch), then one ReceiveMessage and one DeleteMessageBatch per
 * full batch the mapping takes (an idle mapping's empty long polls are per month, not per article).
 */
export function countSqsRequests(queue: QueueUsage): number {
  const messages = Object.values(queue.messagesByType).reduce((sum, n) => sum + n, 0);
  return messages + (2 * messages) / Math.max(1, queue.batchSize);
}

export function sumReadUnits(byOperation: Record<string, { capacityUnits: number }>): number {
  let units = 0;
  for (const [operation, count] of Object.entries(byOperation)) {
    if (["GetItem", "Query", "Scan", "BatchGetItem", "TransactGetItems"].includes(operation)) {
      units += count.capacityUnits;
    }
  }
  return units;
}

/** Traces X-Ray records out of `n` requests arriving at `perSecond` under the default rule. */
export function countSampledTraces(n: number, perSecond: number): number {
  if (n <= 0 || perSecond <= 0) return 0;
  const seconds = n / perSecond;
  const reservoir = Math.min(n, seconds * XRAY_RESERVOIR_PER_SECOND);
  return reservoir + (n - reservoir) * XRAY_FIXED_RATE;
}

export function estimateCost(
  inputs: CostInputs,
  prices: Prices = PRICES,
): { lines: CostLine[]; total: number } {
  const million = 1_000_000;
  const lines: CostLine[] = [];
  const add = (service: string, item: string, perArticle: number, unit: string, unitPrice: number) =>
    lines.push({
      service,
      item,
      perArticle,
      unit,
      unitPrice,
      perMillionArticles: perArticle * million * unitPrice,
    });

  add(
    "API Gateway",
    inputs.api === "rest" ? "REST requests" : "HTTP API requests",
    inputs.apiRequestsPerArticle,
    "request",
    (inputs.api === "rest" ? prices.apiGatewayRestPerMillion : prices.apiGatewayHttpPerMillion) / million,
  );
  let invocations = 0;
  let logBytes = 0;
  for (const fn of inputs.functions) {
    const gbSeconds =
      (estimateLambdaMs(fn.measuredMs, fn.memoryMb, fn.measuredCpuMs) / 1000) * (fn.memoryMb / 1024);
    add(
      "Lambda",
      `${fn.name} compute (${fn.memoryMb} MB)`,
      gbSeconds * fn.invocationsPerArticle,
      "GB-s",
      prices.lambdaArmPerGbSecond,
    );
    invocations += fn.invocationsPerArticle;
    logBytes += fn.invocationsPerArticle * (fn.logBytesPerInvocation + PLATFORM_LOG_BYTES_PER_INVOCATION);
  }
  add(
    "Lambda",
    "requests (all functions)",
    invocations,
    "request",
    prices.lambdaPerMillionRequests / million,
  );
  add(
    "DynamoDB",
    "write request units (table + indexes)",
    inputs.writeUnitsPerArticle,
    "WRU",
    prices.dynamoDbPerMillionWriteUnits / million,
  );
  add(
    "DynamoDB",
    "read request units",
    inputs.readUnitsPerArticle,
    "RRU",
    prices.dynamoDbPerMillionReadUnits / million,
  );
  const chunks = inputs.busEntries.reduce(
    (sum, entry) => sum + entry.perArticle * countChunks(entry.averageBytes, EVENTBRIDGE_CHUNK_BYTES),
    0,
  );
  add(
    "EventBridge",
    "custom events (64 KB chunks)",
    chunks,
    "event",
    prices.eventBridgePerMillionEvents / million,
  );
  const archived =
    inputs.busEntries.reduce((sum, entry) => sum + entry.perArticle * entry.averageBytes, 0) / 1024 ** 3;
  add("EventBridge", "archive (every event kept for replay)", archived, "GB", prices.eventBridgeArchivePerGb);
  add(
    "SQS",
    "requests (send, receive, delete)",
    inputs.queues.reduce((sum, queue) => sum + countSqsRequests(queue), 0),
    "request",
    prices.sqsPerMillionRequests / million,
  );
  add(
    "CloudWatch Logs",
    "ingestion (handler + platform lines)",
    logBytes / 1024 ** 3,
    "GB",
    prices.cloudWatchLogsIngestPerGb,
  );
  const traces =
    countSampledTraces(
      million * inputs.traceRootsPerArticle,
      inputs.articlesPerSecond * inputs.traceRootsPerArticle,
    ) / million;
  add(
    "X-Ray",
    "traces recorded (default sampling)",
    traces,
    "trace",
    prices.xRayPerMillionTracesRecorded / million,
  );
  return { lines, total: lines.reduce((sum, line) => sum + line.perMillionArticles, 0) };
}

/**
 * A what-if over the same measured counts: how the bill moves if one design choice
 * changed. Pure arithmetic, so the report can set each beside the measured total;
 * none of them is what the stack deploys.
 */
export interface CostScenario {
  id: string;
  change: string;
  /** What a subscriber or publisher would see change (empty when nothing would). */
  contractChange: string;
  apply(inputs: CostInputs): CostInputs;
}

/** The per-item derived events that the inline scenario folds into ArticleCoded. */
export const PER_ITEM_DETAIL_TYPES = ["DiplomaticEventCoded", "StanceRecorded"] as const;
const CARRIER_DETAIL_TYPE = "ArticleCoded";

/**
 * Folds the per-event and per-stance entries into the article's ArticleCoded: one
 * entry carrying their bytes (still billed per 64 KB chunk), and a queue that took
 * any of them takes that one entry instead. Lambda work is left as measured: the
 * same events still have to be aggregated, only in fewer, larger messages.
 */
export function foldPerItemEntries(inputs: CostInputs): CostInputs {
  const folded = new Set<string>(PER_ITEM_DETAIL_TYPES);
  const carriedBytes = inputs.busEntries
    .filter((entry) => folded.has(entry.type))
    .reduce((sum, entry) => sum + entry.perArticle * entry.averageBytes, 0);
  const busEntries = inputs.busEntries
    .filter((entry) => !folded.has(entry.type))
    .map((entry) =>
      entry.type === CARRIER_DETAIL_TYPE
        ? { ...entry, averageBytes: entry.averageBytes + carriedBytes / Math.max(entry.perArticle, 1e-9) }
        : entry,
    );
  const queues = inputs.queues.map((queue) => {
    let foldedMessages = 0;
    const messagesByType: Record<string, number> = {};
    for (const [type, n] of Object.entries(queue.messagesByType)) {
      if (folded.has(type)) foldedMessages += n;
      else messagesByType[type] = n;
    }
    if (foldedMessages > 0) {
      messagesByType[CARRIER_DETAIL_TYPE] = Math.max(
        messagesByType[CARRIER_DETAIL_TYPE] ?? 0,
        Math.min(1, foldedMessages),
      );
    }
    return { ...queue, messagesByType };
  });
  return { ...inputs, busEntries, queues };
}

export const COST_SCENARIOS: readonly CostScenario[] = [
  {
    id: "http-api",
    change:
      "HTTP API instead of the REST API for POST /articles (IAM authorization kept; validation already happens in ingest)",
    contractChange: "",
    apply: (inputs) => ({ ...inputs, api: "http" }),
  },
  {
    id: "inline-coded-output",
    change:
      "an article's events and stances carried inline in its ArticleCoded, instead of one DiplomaticEventCoded per event and one StanceRecorded per stance",
    contractChange:
      "subscribers would match on ArticleCoded's arrays and split them themselves; rules could no longer deliver one event at a time",
    apply: foldPerItemEntries,
  },
  {
    id: "http-api+inline-coded-output",
    change: "both of the above",
    contractChange: "as above",
    apply: (inputs) => foldPerItemEntries({ ...inputs, api: "http" }),
  },
];
