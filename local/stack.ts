// The whole pipeline on one machine, with the same handlers and the same
// routing as in AWS: DynamoDB Local (the real engine) for the table and its
// stream, the local bus (EventBridge's wire protocol), an SQS-like queue in
// front of the coder and another in front of the aggregator, a stream poller
// in front of the emitter, and an HTTP server for the API. `npm start`
// (local/start.ts) and the end-to-end tests both start it through
// `startLocalStack`.
import { subscribe, unsubscribe } from "node:diagnostics_channel";
import { appendFile, mkdir } from "node:fs/promises";
import { join, resolve } from "node:path";
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { DynamoDBStreamsClient } from "@aws-sdk/client-dynamodb-streams";
import type {
  APIGatewayProxyEvent,
  APIGatewayProxyResult,
  Context,
  DynamoDBStreamEvent,
  SQSEvent,
} from "aws-lambda";
import { buildDashboardAssets } from "../dashboard/build.js";
import { aggregatorRoute, articlePublishedRoute, conflictEventsRoute } from "../events/routing.js";
import { TABLE_WRITTEN_CHANNEL } from "../functions/core/ports.js";
import { createTable } from "../functions/shared/create-table.js";
import { type DynamoDbLocal, startDynamoDbLocal } from "./dynamodb-local.js";
import { type EventEnvelope, LocalEventBus } from "./event-bus.js";
import { LocalHttpServer } from "./http-server.js";
import { createLambdaContext } from "./lambda-context.js";
import { type DeadLetter, LocalQueue, QueueConsumer, type QueueMessage, redriveMessages } from "./queue.js";
import { StreamPoller } from "./stream-poller.js";
import { summarizeEvent } from "./summarize-event.js";

export class LocalStackError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = "LocalStackError";
  }
}

export interface LocalStackOptions {
  /** HTTP port on 127.0.0.1; 0 picks a free one. Default: $PORT or 3000. */
  port?: number;
  /** Where the archive and failure files go. Default: $ATTACHE_DATA_DIR or ./.attache. */
  dataDir?: string;
  /** Keep DynamoDB data under <dataDir>/dynamodb across restarts. Default: $ATTACHE_DYNAMODB_PERSIST=1. */
  persist?: boolean;
  /** Use a DynamoDB Local that is already running instead of starting one. */
  dynamoDbEndpoint?: string;
  tableName?: string;
  eventBusName?: string;
  /** Where one-line summaries go. Default: console.log. */
  log?: (line: string) => void;
  /** Where warnings and errors go. Default: console.error. */
  logError?: (line: string) => void;
  /**
   * The coder's queue and mapping. The batching window defaults to 10 ms here (5 s in the
   * deployed stack, where it saves invocations; locally an invocation costs nothing and
   * the window is pure latency); concurrency defaults to 10 batches, as deployed.
   */
  coderQueue?: {
    batchSize?: number;
    maxBatchingWindowMs?: number;
    maxConcurrency?: number;
    visibilityTimeoutMs?: number;
    maxReceiveCount?: number;
  };
  /**
   * The aggregator's mapping. Locally it shares one process and one DynamoDB Local with
   * the coder, and DynamoDB Local applies one transaction at a time, so the aggregator
   * writes in small steps: 10 messages after a 100 ms window, one batch at a time
   * (deployed: 10 messages, 2 s window, 5 at once). Each batch is one transaction, and a
   * coder's commit that arrives meanwhile waits for it: measured at 10 articles/s, p99
   * publish-to-event was 232 ms with batches of 10 one at a time, 261-279 ms two at once,
   * 391 ms with 20 and 449-506 ms with 50 (two at once), while 300 articles' aggregates drained in the same 28 s
   * either way (DynamoDB Local's per-item work, not the number of calls, bounds it).
   */
  aggregatorQueue?: {
    batchSize?: number;
    maxBatchingWindowMs?: number;
    maxConcurrency?: number;
    /** How long a batch may wait beyond its window while the coder is busy (default 2 s). */
    maxYieldMs?: number;
  };
  /**
   * The stream's mapping. DynamoDB Local gives the whole table one shard, where DynamoDB
   * spreads a table over several, each read at once; a parallelization factor of 4 by
   * key stands in for them (deployed: factor 1 per shard).
   */
  stream?: {
    batchSize?: number;
    maxRetryAttempts?: number;
    pollIntervalMs?: number;
    parallelizationFactor?: number;
  };
}

export interface LocalStack {
  /** The API and EventBridge endpoint, e.g. http://127.0.0.1:3000. */
  url: string;
  dataDir: string;
  archivePath: string;
  tableName: string;
  eventBusName: string;
  dynamoDbEndpoint: string;
  /** Stops everything it started (DynamoDB Local included); safe to call twice. */
  stop(): Promise<void>;
}

type ApiHandlerModule = {
  handler: (event: APIGatewayProxyEvent, context: Context) => Promise<APIGatewayProxyResult>;
};
type CoderHandlerModule = {
  handler: (event: SQSEvent, context: Context) => Promise<unknown>;
};
type EmitterHandlerModule = {
  handler: (event: DynamoDBStreamEvent, context: Context) => Promise<unknown>;
};

export const LOCAL_REGION = "us-east-1";
export const LOCAL_ACCOUNT = "000000000000";
const DEFAULT_PORT = 3000;
const DEFAULT_NAME = "attache-local";
/** Function timeouts, as generous as the deployed ones: a hung call fails instead of stalling. */
const CODER_TIMEOUT_MS = 60_000;
const EMITTER_TIMEOUT_MS = 60_000;
/**
 * The queues' batching window. In AWS a longer window trades latency for fewer, fuller
 * invocations (cost); in process an invocation is a function call, so the window only
 * adds latency. A few milliseconds still gather a burst into one batch.
 */
const LOCAL_BATCHING_WINDOW_MS = 10;
/** The aggregator's mapping locally (see `LocalStackOptions.aggregatorQueue`). */
const LOCAL_AGGREGATOR_BATCH_SIZE = 10;
const LOCAL_AGGREGATOR_WINDOW_MS = 100;
const LOCAL_AGGREGATOR_CONCURRENCY = 1;
const LOCAL_AGGREGATOR_MAX_YIELD_MS = 2_000;
/**
 * How long the stream poller sleeps after a poll that found nothing, unless a commit
 * wakes it first (see `poke`): Lambda's ~250 ms. Polling every 25 ms instead cost a
 * GetRecords call, and DynamoDB Local's work answering it, 40 times a second.
 */
const LOCAL_STREAM_POLL_INTERVAL_MS = 250;

/** The handlers read their environment once per process (a cold start), so one stack per process. */
let activeStack: Promise<LocalStack> | undefined;
/** The settings the handler modules were first imported with (they never reload). */
let handlersLoadedWith: string | undefined;

export function startLocalStack(options: LocalStackOptions = {}): Promise<LocalStack> {
  if (activeStack) {
    return Promise.reject(
      new LocalStackError(
        "a local stack is already running in this process; stop it before starting another",
      ),
    );
  }
  const starting = launch(options);
  activeStack = starting;
  starting.catch(() => {
    activeStack = undefined;
  });
  return starting;
}

async function launch(options: LocalStackOptions): Promise<LocalStack> {
  const log = options.log ?? createConsolePrinter();
  const printError = options.logError ?? ((line: string) => console.error(line));
  // While stopping, parts fail because others are already gone (a Ctrl-C reaches the
  // JVM directly): that is expected, not news.
  const logError = (line: string) => {
    if (phase !== "stopping") printError(line);
  };
  const port = options.port ?? envPort();
  const dataDir = resolve(options.dataDir ?? process.env.ATTACHE_DATA_DIR ?? ".attache");
  const persist = options.persist ?? process.env.ATTACHE_DYNAMODB_PERSIST === "1";
  const tableName = options.tableName ?? DEFAULT_NAME;
  const eventBusName = options.eventBusName ?? DEFAULT_NAME;
  const archivePath = join(dataDir, "archive.jsonl");
  const deadLetterPath = join(dataDir, "dead-letters.jsonl");
  await mkdir(dataDir, { recursive: true });

  const cleanups: Array<() => Promise<void>> = [];
  let phase: "starting" | "ready" | "stopping" = "starting";
  let stopping: Promise<void> | undefined;
  const stop = () => {
    stopping ??= (async () => {
      phase = "stopping";
      const failures: unknown[] = [];
      // Last started, first stopped: the API closes before its handlers' dependencies.
      for (const cleanup of cleanups.reverse()) {
        try {
          await cleanup();
        } catch (error) {
          failures.push(error);
        }
      }
      activeStack = undefined;
      if (failures.length > 0) {
        throw new LocalStackError("some parts of the local stack did not stop cleanly", {
          cause: new AggregateError(failures),
        });
      }
    })();
    return stopping;
  };

  try {
    const deadLetterQueue = new LocalQueue({
      name: `${DEFAULT_NAME}-coder-dlq`,
      region: LOCAL_REGION,
      account: LOCAL_ACCOUNT,
      visibilityTimeoutMs: 30_000,
    });
    // Every dead letter is shown on the console and kept, with its reason, in one file.
    const recordDeadLetterIn = (deadLetterQueueName: string) => (deadLetter: DeadLetter) => {
      logError(`dead letter  ${deadLetter.queue} → ${deadLetterQueueName}: ${deadLetter.reason}`);
      const line = {
        time: new Date().toISOString(),
        queue: deadLetter.queue,
        messageId: deadLetter.message.messageId,
        receiveCount: deadLetter.message.receiveCount,
        reason: deadLetter.reason,
        body: deadLetter.message.body,
      };
      appendFile(deadLetterPath, `${JSON.stringify(line)}\n`, "utf8").catch((error: unknown) =>
        logError(`could not write ${deadLetterPath}: ${String(error)}`),
      );
    };
    const coderQueue = new LocalQueue({
      name: `${DEFAULT_NAME}-coder`,
      region: LOCAL_REGION,
      account: LOCAL_ACCOUNT,
      visibilityTimeoutMs: options.coderQueue?.visibilityTimeoutMs ?? 10_000,
      maxReceiveCount: options.coderQueue?.maxReceiveCount ?? 3,
      deadLetterQueue,
      onDeadLetter: recordDeadLetterIn(deadLetterQueue.name),
    });
    // The aggregator's queue, with its own dead-letter queue as in the deployed stack.
    const aggregatorDeadLetterQueue = new LocalQueue({
      name: `${DEFAULT_NAME}-aggregator-dlq`,
      region: LOCAL_REGION,
      account: LOCAL_ACCOUNT,
      visibilityTimeoutMs: 30_000,
    });
    const aggregatorQueue = new LocalQueue({
      name: `${DEFAULT_NAME}-aggregator`,
      region: LOCAL_REGION,
      account: LOCAL_ACCOUNT,
      visibilityTimeoutMs: 10_000,
      maxReceiveCount: 3,
      deadLetterQueue: aggregatorDeadLetterQueue,
      onDeadLetter: recordDeadLetterIn(aggregatorDeadLetterQueue.name),
    });
    // The example subscriber: collected only, to show what a downstream team would receive.
    const subscriberQueue = new LocalQueue({
      name: `${DEFAULT_NAME}-conflict-events`,
      region: LOCAL_REGION,
      account: LOCAL_ACCOUNT,
      visibilityTimeoutMs: 30_000,
    });

    let server: LocalHttpServer | undefined;
    const bus = new LocalEventBus({
      name: eventBusName,
      region: LOCAL_REGION,
      account: LOCAL_ACCOUNT,
      archivePath,
      routes: [
        { definition: articlePublishedRoute, deliver: (event) => coderQueue.send(JSON.stringify(event)) },
        { definition: conflictEventsRoute, deliver: (event) => subscriberQueue.send(JSON.stringify(event)) },
        { definition: aggregatorRoute, deliver: (event) => aggregatorQueue.send(JSON.stringify(event)) },
      ],
      onEvent: (event: EventEnvelope, matched) => {
        log(summarizeEvent(event, matched));
        // The dashboard's live feed (GET /stream); the server exists once events can flow.
        server?.broadcastEvent(event);
      },
    });
    cleanups.push(() => bus.flush());

    let streamPoller: StreamPoller | undefined;
    let url = "";
    let dynamoDbEndpoint = options.dynamoDbEndpoint ?? "";
    const contextFor = (functionName: string, timeoutMs: number) => () =>
      createLambdaContext({
        functionName: `attache-local-${functionName}`,
        region: LOCAL_REGION,
        account: LOCAL_ACCOUNT,
        timeoutMs,
      });

    server = new LocalHttpServer({
      port,
      bus,
      account: LOCAL_ACCOUNT,
      createContext: (name) => contextFor(name, 10_000)(),
      onHandlerError: (error) => logError(`API handler failed: ${describeError(error)}`),
      deadLetters: {
        list: () => ({
          queues: Object.fromEntries(
            [deadLetterQueue, aggregatorDeadLetterQueue].map((queue) => [
              queue.name,
              queue.peek().map(describeDeadLetter),
            ]),
          ),
        }),
        redrive: () => {
          const coder = redriveMessages(deadLetterQueue, coderQueue).moved;
          const aggregator = redriveMessages(aggregatorDeadLetterQueue, aggregatorQueue).moved;
          log(
            `redrive  ${coder} from ${deadLetterQueue.name}, ${aggregator} from ${aggregatorDeadLetterQueue.name}`,
          );
          return { moved: { [deadLetterQueue.name]: coder, [aggregatorDeadLetterQueue.name]: aggregator } };
        },
      },
      health: () => ({
        ready: phase === "ready",
        body: {
          status: phase === "ready" ? "ok" : phase,
          url,
          dataDir,
          archive: archivePath,
          table: tableName,
          dynamoDb: { endpoint: dynamoDbEndpoint, persistent: persist && !options.dynamoDbEndpoint },
          eventBus: { name: eventBusName, ...bus.stats() },
          queues: {
            [coderQueue.name]: coderQueue.stats(),
            [deadLetterQueue.name]: deadLetterQueue.stats(),
            [subscriberQueue.name]: subscriberQueue.stats(),
            [aggregatorQueue.name]: aggregatorQueue.stats(),
            [aggregatorDeadLetterQueue.name]: aggregatorDeadLetterQueue.stats(),
          },
          stream: streamPoller?.stats() ?? null,
        },
      }),
    });
    const listening = server;
    url = (await listening.listen()).url;
    cleanups.push(() => listening.close());
    // The dashboard at `/`: bundled now, while DynamoDB Local starts. A failed build leaves
    // the API and the pipeline running; only the dashboard is missing.
    const dashboard = buildDashboardAssets().then(
      (assets) => listening.setStaticAssets(assets),
      (error: unknown) => logError(`dashboard not served: ${describeError(error)}`),
    );

    let engine: DynamoDbLocal | undefined;
    if (!options.dynamoDbEndpoint) {
      const dynamoDir = persist ? join(dataDir, "dynamodb") : undefined;
      if (dynamoDir) await mkdir(dynamoDir, { recursive: true });
      engine = await startDynamoDbLocal(dynamoDir ? { dataDir: dynamoDir } : {});
      dynamoDbEndpoint = engine.endpoint;
      const started = engine;
      cleanups.unshift(() => started.stop());
    }

    const handlerSettings = { tableName, eventBusName, busEndpoint: url, dynamoDbEndpoint };
    // Modules load once per process, and the handlers keep the clients their cold start made.
    const settingsKey = JSON.stringify(handlerSettings);
    if (handlersLoadedWith !== undefined && handlersLoadedWith !== settingsKey) {
      throw new LocalStackError(
        `the handlers in this process were loaded for ${handlersLoadedWith}; a restart in the same process ` +
          "must use the same port, table, bus and DynamoDB endpoint (or run in a new process)",
      );
    }
    setHandlerEnvironment(handlerSettings);
    handlersLoadedWith = settingsKey;
    const clientConfig = {
      region: LOCAL_REGION,
      endpoint: dynamoDbEndpoint,
      credentials: { accessKeyId: "local", secretAccessKey: "local" },
    };
    const dynamoDb = new DynamoDBClient(clientConfig);
    cleanups.push(async () => dynamoDb.destroy());
    await createTable(dynamoDb, tableName, { stream: true });

    // Imported only now, so their cold-start wiring reads the environment set above.
    const [ingest, query, coder, emitter, aggregator] = await Promise.all([
      import("../functions/ingest/handler.js") as Promise<ApiHandlerModule>,
      import("../functions/query/handler.js") as Promise<ApiHandlerModule>,
      import("../functions/coder/handler.js") as Promise<CoderHandlerModule>,
      import("../functions/emitter/handler.js") as Promise<EmitterHandlerModule>,
      import("../functions/aggregator/handler.js") as Promise<CoderHandlerModule>,
    ]);

    const consumer = new QueueConsumer(coderQueue, coder.handler, {
      batchSize: options.coderQueue?.batchSize ?? 10,
      maxBatchingWindowMs: options.coderQueue?.maxBatchingWindowMs ?? LOCAL_BATCHING_WINDOW_MS,
      maxConcurrency: options.coderQueue?.maxConcurrency ?? 10,
      createContext: contextFor("coder", CODER_TIMEOUT_MS),
      timeoutMs: CODER_TIMEOUT_MS,
      onInvocationError: (error) => logError(`coder failed a batch: ${describeError(error)}`),
    });
    consumer.start();
    cleanups.push(() => consumer.stop());

    const aggregatorConsumer = new QueueConsumer(aggregatorQueue, aggregator.handler, {
      batchSize: options.aggregatorQueue?.batchSize ?? LOCAL_AGGREGATOR_BATCH_SIZE,
      maxBatchingWindowMs: options.aggregatorQueue?.maxBatchingWindowMs ?? LOCAL_AGGREGATOR_WINDOW_MS,
      maxConcurrency: options.aggregatorQueue?.maxConcurrency ?? LOCAL_AGGREGATOR_CONCURRENCY,
      // DynamoDB Local runs one transaction at a time: an aggregator transaction started
      // while articles wait for the coder delays them. The aggregator waits for a quiet
      // moment, at most 2 s (in AWS it is a separate function on DynamoDB).
      yieldWhile: () => consumer.inFlightBatches > 0 || coderQueue.stats().visible > 0,
      maxYieldMs: options.aggregatorQueue?.maxYieldMs ?? LOCAL_AGGREGATOR_MAX_YIELD_MS,
      createContext: contextFor("aggregator", 30_000),
      onInvocationError: (error) => logError(`aggregator failed a batch: ${describeError(error)}`),
    });
    aggregatorConsumer.start();
    cleanups.push(() => aggregatorConsumer.stop());

    const streamsClient = new DynamoDBStreamsClient(clientConfig);
    cleanups.push(async () => streamsClient.destroy());
    streamPoller = new StreamPoller({
      client: streamsClient,
      tableName,
      handler: emitter.handler,
      createContext: contextFor("emitter", EMITTER_TIMEOUT_MS),
      timeoutMs: EMITTER_TIMEOUT_MS,
      failureFile: join(dataDir, "stream-failures.jsonl"),
      checkpointFile: join(dataDir, "stream-checkpoints.json"),
      batchSize: options.stream?.batchSize ?? 100,
      maxRetryAttempts: options.stream?.maxRetryAttempts ?? 3,
      parallelizationFactor: options.stream?.parallelizationFactor ?? 4,
      pollIntervalMs: options.stream?.pollIntervalMs ?? LOCAL_STREAM_POLL_INTERVAL_MS,
      onFailure: (failure) =>
        logError(
          `stream records failed after retries (${failure.records.length} from shard ${failure.shardId}): ${failure.reason}`,
        ),
      onError: (error) => logError(`stream poller: ${describeError(error)}`),
    });
    await streamPoller.start();
    const poller = streamPoller;
    cleanups.push(() => poller.stop());
    // The coder's and the aggregator's stores announce each commit: the poller reads the
    // stream at once, so the idle interval is not on an article's path.
    const onTableWritten = (message: unknown) => {
      if ((message as { table?: unknown })?.table === tableName) poller.poke();
    };
    subscribe(TABLE_WRITTEN_CHANNEL, onTableWritten);
    cleanups.push(async () => {
      unsubscribe(TABLE_WRITTEN_CHANNEL, onTableWritten);
    });

    await dashboard;
    listening.setApiHandlers({ ingest: ingest.handler, query: query.handler });
    phase = "ready";
    return { url, dataDir, archivePath, tableName, eventBusName, dynamoDbEndpoint, stop };
  } catch (error) {
    await stop().catch(() => undefined);
    throw new LocalStackError(`the local stack did not start: ${describeError(error)}`, { cause: error });
  }
}

/**
 * console.log for the event summaries, one write per turn of the event loop: a bus call
 * carries up to ten events and the stack makes dozens of calls a second under load, and
 * one write to a pipe per line costs more than the summaries themselves.
 */
function createConsolePrinter(): (line: string) => void {
  let pending: string[] = [];
  const flush = () => {
    const lines = pending;
    pending = [];
    process.stdout.write(`${lines.join("\n")}\n`);
  };
  return (line) => {
    if (pending.length === 0) setImmediate(flush);
    pending.push(line);
  };
}

/** The handlers' environment, as the CDK stack sets it on the deployed functions. */
function setHandlerEnvironment(settings: {
  tableName: string;
  eventBusName: string;
  busEndpoint: string;
  dynamoDbEndpoint: string;
}): void {
  const env = process.env;
  env.TABLE_NAME = settings.tableName;
  env.EVENT_BUS_NAME = settings.eventBusName;
  env.AWS_REGION = LOCAL_REGION;
  // Dummy credentials: nothing local checks signatures, and real ones must never be used here.
  env.AWS_ACCESS_KEY_ID = "local";
  env.AWS_SECRET_ACCESS_KEY = "local";
  delete env.AWS_SESSION_TOKEN;
  delete env.AWS_PROFILE;
  env.AWS_ENDPOINT_URL_DYNAMODB = settings.dynamoDbEndpoint;
  env.AWS_ENDPOINT_URL_DYNAMODB_STREAMS = settings.dynamoDbEndpoint;
  env.AWS_ENDPOINT_URL_EVENTBRIDGE = settings.busEndpoint;
  // POWERTOOLS_SERVICE_NAME stays unset so each handler logs under its own name.
  env.POWERTOOLS_TRACE_ENABLED ??= "false";
  env.POWERTOOLS_METRICS_NAMESPACE = "Attache";
  // Quiet by default so the event summaries stay readable; a user may ask for more.
  env.POWERTOOLS_LOG_LEVEL ??= "WARN";
  env.POWERTOOLS_METRICS_DISABLED = "true";
}

/** A dead letter as an operator needs it: which article, why, how often tried; not its body. */
function describeDeadLetter(message: QueueMessage): Record<string, unknown> {
  let articleId: unknown;
  try {
    const detail = (JSON.parse(message.body) as { detail?: { id?: unknown; articleId?: unknown } }).detail;
    articleId = detail?.articleId ?? detail?.id;
  } catch {
    articleId = undefined;
  }
  return {
    messageId: message.messageId,
    articleId: typeof articleId === "string" ? articleId : null,
    sourceMessageId: message.messageAttributes.sourceMessageId,
    receiveCount: Number(message.messageAttributes.receiveCount ?? message.receiveCount),
    failureReason: message.messageAttributes.failureReason,
    deadLetteredAt: new Date(message.sentAt).toISOString(),
  };
}

function envPort(): number {
  const raw = process.env.PORT;
  if (raw === undefined || raw === "") return DEFAULT_PORT;
  const port = Number(raw);
  if (!Number.isInteger(port) || port < 0 || port > 65_535) {
    throw new LocalStackError(`PORT must be an integer from 0 to 65535, got "${raw}"`);
  }
  return port;
}

function describeError(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const cause = error.cause instanceof Error ? ` (cause: ${error.cause.message})` : "";
  return `${error.name}: ${error.message}${cause}`;
}
