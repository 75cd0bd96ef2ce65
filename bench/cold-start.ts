// Cold starts: each bundle in fresh `node` processes (bench/invoke-bundle.mjs)
// against the running local stack, so the first event really reaches DynamoDB
// Local and the local bus. Runs go round-robin over the bundles, so a busy
// moment on the machine lands on all of them rather than on one. Each bundle runs
// from a folder outside the repository next to a node_modules holding only what
// the Lambda runtime provides (the AWS SDK), so the SDK is imported at cold start
// as in Lambda and its import counts in the figures.
import { spawn } from "node:child_process";
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, join } from "node:path";
import { fileURLToPath } from "node:url";
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import {
  DescribeStreamCommand,
  DynamoDBStreamsClient,
  GetRecordsCommand,
  GetShardIteratorCommand,
  ListStreamsCommand,
  type _Record as StreamApiRecord,
} from "@aws-sdk/client-dynamodb-streams";
import type { DynamoDBRecord } from "aws-lambda";
import type { Article } from "../coder/types.js";
import { aggregatorRoute } from "../events/routing.js";
import { createTable } from "../functions/shared/create-table.js";
import { matchesEventPattern } from "../local/event-pattern.js";
import { toLambdaStreamRecord } from "../local/stream-records.js";
import { type BuiltBundle, provideRuntimeModules } from "./build-bundles.js";
import {
  buildAggregatorSqsEvent,
  buildCoderSqsEvent,
  buildGetArticleEvent,
  buildPostArticleEvent,
  buildStreamEvent,
} from "./lambda-events.js";
import type { BenchStack } from "./stack-client.js";
import { computeMedian } from "./stats.js";

export interface InvocationRun {
  bootMs: number;
  importMs: number;
  firstMs: number;
  untilFirstAnswerMs: number;
  cpuUntilFirstAnswerMs: number;
  firstOk: boolean;
  firstAnswer: string;
  firstLogBytes: number;
  warm: Array<{ ms: number; cpuMs: number; ok: boolean; logBytes: number }>;
}

export interface ColdStartResult {
  bundle: BuiltBundle;
  runs: number;
  /** Medians over the runs. */
  bootMs: number;
  importMs: number;
  firstMs: number;
  untilFirstAnswerMs: number;
  /** CPU time of the process until the first answer: robust to a busy machine, blind to backend waits. */
  cpuUntilFirstAnswerMs: number;
  /** Median warm invocation, and the articles each warm event carried (for per-article costs). */
  warmMs: number;
  /** CPU time of the median warm invocations: the part of warmMs that is the handler's own work. */
  warmCpuMs: number;
  warmArticles: number;
  warmLogBytes: number;
  failures: string[];
}

export class ColdStartError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = "ColdStartError";
  }
}

const invokeScript = fileURLToPath(new URL("./invoke-bundle.mjs", import.meta.url));

/** Every stream record in the table's stream, as Lambda would hand them to the emitter. */
export async function readStreamRecords(stack: BenchStack): Promise<DynamoDBRecord[]> {
  const client = new DynamoDBStreamsClient({
    endpoint: stack.dynamoDbEndpoint,
    region: "us-east-1",
    credentials: { accessKeyId: "local", secretAccessKey: "local" },
  });
  try {
    const { Streams } = await client.send(new ListStreamsCommand({ TableName: stack.tableName }));
    const streamArn = Streams?.[0]?.StreamArn;
    if (!streamArn) throw new ColdStartError(`table ${stack.tableName} has no stream`);
    const { StreamDescription } = await client.send(new DescribeStreamCommand({ StreamArn: streamArn }));
    const records: DynamoDBRecord[] = [];
    for (const shard of StreamDescription?.Shards ?? []) {
      let iterator = (
        await client.send(
          new GetShardIteratorCommand({
            StreamArn: streamArn,
            ShardId: shard.ShardId,
            ShardIteratorType: "TRIM_HORIZON",
          }),
        )
      ).ShardIterator;
      while (iterator) {
        const page = await client.send(new GetRecordsCommand({ ShardIterator: iterator, Limit: 1000 }));
        const batch: StreamApiRecord[] = page.Records ?? [];
        for (const record of batch) records.push(toLambdaStreamRecord(record, streamArn));
        // An open shard always returns a next iterator; an empty page means we are at its end.
        if (batch.length === 0) break;
        iterator = page.NextShardIterator;
      }
    }
    return records;
  } finally {
    client.destroy();
  }
}

/** The stream records one article's coding wrote: its own items and its latest-stance projections. */
export function selectArticleRecords(
  records: readonly DynamoDBRecord[],
  articleId: string,
): DynamoDBRecord[] {
  return records.filter((record) => {
    const keys = record.dynamodb?.Keys;
    const pk = keys?.pk?.S ?? "";
    const sk = keys?.sk?.S ?? "";
    return pk === `ARTICLE#${articleId}` || (pk.startsWith("STANCE#") && sk.includes(`#${articleId}#`));
  });
}

/**
 * The bus envelopes the aggregator's rule routed so far, in archive order: what its
 * queue delivered. Matched with the rule's own pattern (events/routing.ts).
 */
export function readAggregatorEnvelopes(archivePath: string): unknown[] {
  const envelopes: unknown[] = [];
  for (const line of readFileSync(archivePath, "utf8").split("\n")) {
    if (!line.trim()) continue;
    const envelope: unknown = JSON.parse(line);
    if (matchesEventPattern(aggregatorRoute.pattern, envelope)) envelopes.push(envelope);
  }
  return envelopes;
}

interface PlannedEvents {
  first: unknown;
  warm: unknown[];
  /** Articles in each warm event. */
  warmArticles: number;
}

/**
 * Copies each bundle (and its source map) into its own folder under `dir`, beside
 * the runtime's node_modules, as Lambda unpacks a function into /var/task with the
 * SDK in the runtime's own folder. Returns bundle → file to run.
 */
function stageBundles(bundles: readonly BuiltBundle[], dir: string): Map<BuiltBundle, string> {
  provideRuntimeModules(dir);
  const staged = new Map<BuiltBundle, string>();
  for (const bundle of bundles) {
    const taskDir = join(dir, `${bundle.name}-${bundle.variant}`);
    mkdirSync(taskDir, { recursive: true });
    const file = join(taskDir, basename(bundle.file));
    copyFileSync(bundle.file, file);
    copyFileSync(`${bundle.file}.map`, `${file}.map`);
    staged.set(bundle, file);
  }
  return staged;
}

function runInvocation(
  bundle: BuiltBundle,
  bundleFile: string,
  eventsFile: string,
  env: NodeJS.ProcessEnv,
): Promise<InvocationRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [invokeScript, bundleFile, eventsFile], {
      env,
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk: Buffer) => {
      stdout += chunk.toString("utf8");
    });
    child.stderr.on("data", (chunk: Buffer) => {
      stderr = (stderr + chunk.toString("utf8")).slice(-3000);
    });
    const timer = setTimeout(() => child.kill("SIGKILL"), 120_000);
    child.on("close", (code) => {
      clearTimeout(timer);
      const line = stdout.trim().split("\n").pop() ?? "";
      try {
        resolve(JSON.parse(line) as InvocationRun);
      } catch (error) {
        reject(
          new ColdStartError(`${bundle.name} (${bundle.variant}) exited with ${code}: ${stderr || stdout}`, {
            cause: error,
          }),
        );
      }
    });
  });
}

export async function measureColdStarts(options: {
  bundles: readonly BuiltBundle[];
  stack: BenchStack;
  /** Articles already coded and stored, for the query and emitter events. */
  storedArticleIds: readonly string[];
  /** Fresh articles, never published before, for ingest and coder events. */
  freshArticles: readonly Article[];
  runs: number;
  warmInvocations: number;
  workDir: string;
}): Promise<ColdStartResult[]> {
  const { bundles, stack, runs, warmInvocations, workDir } = options;
  mkdirSync(workDir, { recursive: true });
  const streamRecords = await readStreamRecords(stack);
  const recordsByArticle = options.storedArticleIds
    .map((id) => selectArticleRecords(streamRecords, id))
    .filter((records) => records.length > 0);
  if (recordsByArticle.length === 0)
    throw new ColdStartError("no stream records of stored articles to replay");
  let fresh = 0;
  const takeFresh = (): Article => {
    const article = options.freshArticles[fresh % options.freshArticles.length] as Article;
    const id = `cold-${String(fresh++).padStart(5, "0")}`;
    return { ...article, id };
  };
  const storedId = (i: number) => options.storedArticleIds[i % options.storedArticleIds.length] as string;
  const streamEvent = (i: number) => buildStreamEvent(recordsByArticle[i % recordsByArticle.length] ?? []);
  // The aggregator gets what its queue delivered for the stored articles, in batches of
  // ten (its mapping's batch size), each run against a table of its own: the running
  // stack's aggregator has applied these already, and a replay would only find its markers.
  const AGGREGATOR_BATCH = 10;
  const envelopes = readAggregatorEnvelopes(stack.archivePath);
  const aggregatorBatch = (i: number) => envelopes.slice(i * AGGREGATOR_BATCH, (i + 1) * AGGREGATOR_BATCH);
  if (
    bundles.some((b) => b.name === "aggregator") &&
    envelopes.length < (warmInvocations + 1) * AGGREGATOR_BATCH
  )
    throw new ColdStartError(
      `the archive holds ${envelopes.length} envelopes for the aggregator, fewer than its ${warmInvocations + 1} batches need`,
    );
  const dynamoDb = new DynamoDBClient({
    endpoint: stack.dynamoDbEndpoint,
    region: "us-east-1",
    credentials: { accessKeyId: "local", secretAccessKey: "local" },
  });

  const plan = (bundle: BuiltBundle, run: number): PlannedEvents => {
    const warm = Array.from({ length: warmInvocations }, (_, i) => i);
    switch (bundle.name) {
      case "ingest":
        return {
          first: buildPostArticleEvent(takeFresh()),
          warm: warm.map(() => buildPostArticleEvent(takeFresh())),
          warmArticles: 1,
        };
      case "coder":
        // Warm batches of ten: the coder's event source mapping batch size.
        return {
          first: buildCoderSqsEvent([takeFresh()]),
          warm: warm.map(() => buildCoderSqsEvent(Array.from({ length: 10 }, takeFresh))),
          warmArticles: 10,
        };
      case "emitter":
        return { first: streamEvent(run), warm: warm.map((i) => streamEvent(run + i + 1)), warmArticles: 1 };
      case "query":
        return {
          first: buildGetArticleEvent(storedId(run)),
          warm: warm.map((i) => buildGetArticleEvent(storedId(run + i + 1))),
          warmArticles: 1,
        };
      case "aggregator":
        return {
          first: buildAggregatorSqsEvent(aggregatorBatch(0)),
          warm: warm.map((i) => buildAggregatorSqsEvent(aggregatorBatch(i + 1))),
          // Per message, not per article: the cost model counts the aggregator's messages.
          warmArticles: AGGREGATOR_BATCH,
        };
      case "empty":
      case "sdk-floor":
        return { first: buildCoderSqsEvent([takeFresh()]), warm: warm.map(() => ({})), warmArticles: 1 };
    }
  };

  const runtimeDir = mkdtempSync(join(tmpdir(), "attache-cold-start-"));
  const staged = stageBundles(bundles, runtimeDir);
  try {
    return await runAll();
  } finally {
    dynamoDb.destroy();
    rmSync(runtimeDir, { recursive: true, force: true });
  }

  async function runAll(): Promise<ColdStartResult[]> {
    const collected = new Map<
      BuiltBundle,
      { runs: InvocationRun[]; warmArticles: number; failures: string[] }
    >();
    for (const bundle of bundles) collected.set(bundle, { runs: [], warmArticles: 1, failures: [] });
    for (let run = 0; run < runs; run++) {
      for (const bundle of bundles) {
        const events = plan(bundle, run);
        const functionName = `attache-bench-${bundle.name}`;
        const eventsFile = join(workDir, `${bundle.name}-${bundle.variant}-${run}.json`);
        writeFileSync(
          eventsFile,
          JSON.stringify({
            first: events.first,
            warm: events.warm,
            context: {
              callbackWaitsForEmptyEventLoop: true,
              functionName,
              functionVersion: "$LATEST",
              invokedFunctionArn: `arn:aws:lambda:us-east-1:000000000000:function:${functionName}`,
              memoryLimitInMB: String(bundle.memorySize || 128),
              logGroupName: `/aws/lambda/${functionName}`,
              logStreamName: "bench",
            },
          }),
        );
        const tableName =
          bundle.name === "aggregator"
            ? (await createTable(dynamoDb, `attache-bench-aggregator-${run}-${Date.now()}`)).tableName
            : stack.tableName;
        const env: NodeJS.ProcessEnv = {
          PATH: process.env.PATH ?? "",
          AWS_REGION: "us-east-1",
          AWS_ACCESS_KEY_ID: "local",
          AWS_SECRET_ACCESS_KEY: "local",
          AWS_ENDPOINT_URL_DYNAMODB: stack.dynamoDbEndpoint,
          AWS_ENDPOINT_URL_EVENTBRIDGE: stack.url,
          TABLE_NAME: tableName,
          EVENT_BUS_NAME: stack.eventBusName,
          // What the construct sets on every deployed function, at the production log level.
          POWERTOOLS_SERVICE_NAME: `attache-${bundle.name}`,
          POWERTOOLS_METRICS_NAMESPACE: "Attache",
          POWERTOOLS_LOG_LEVEL: "INFO",
          NODE_OPTIONS: "--enable-source-maps",
          // Tracing is Lambda's active tracing, recorded outside the function's process:
          // no code of it runs in the function, here or in Lambda.
        };
        const entry = collected.get(bundle);
        if (!entry) continue;
        entry.warmArticles = events.warmArticles;
        const result = await runInvocation(bundle, staged.get(bundle) ?? bundle.file, eventsFile, env);
        entry.runs.push(result);
        if (!result.firstOk) entry.failures.push(`first event: ${result.firstAnswer}`);
        for (const warm of result.warm) if (!warm.ok) entry.failures.push("a warm event failed");
      }
    }

    return bundles.map((bundle) => {
      const entry = collected.get(bundle) ?? { runs: [], warmArticles: 1, failures: ["not run"] };
      const median = (pick: (run: InvocationRun) => number) => computeMedian(entry.runs.map(pick));
      const warm = entry.runs.flatMap((run) => run.warm);
      return {
        bundle,
        runs: entry.runs.length,
        bootMs: median((r) => r.bootMs),
        importMs: median((r) => r.importMs),
        firstMs: median((r) => r.firstMs),
        untilFirstAnswerMs: median((r) => r.untilFirstAnswerMs),
        cpuUntilFirstAnswerMs: median((r) => r.cpuUntilFirstAnswerMs),
        warmMs: warm.length > 0 ? computeMedian(warm.map((w) => w.ms)) : 0,
        warmCpuMs: warm.length > 0 ? computeMedian(warm.map((w) => w.cpuMs)) : 0,
        warmArticles: entry.warmArticles,
        warmLogBytes: warm.length > 0 ? computeMedian(warm.map((w) => w.logBytes)) : 0,
        failures: entry.failures,
      };
    });
  }
}
