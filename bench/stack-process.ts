// Child process: the local stack (DynamoDB Local, the local bus, queue, stream
// poller and API, with the real handlers) behind a counting proxy, driven by
// the benchmark over IPC. A process of its own, so the load generator and the
// measurements in the parent never share an event loop with the pipeline.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startDynamoDbLocal } from "../local/dynamodb-local.js";
import { type LocalStackOptions, startLocalStack } from "../local/stack.js";
import { startCountingProxy } from "./dynamodb-counting-proxy.js";

export type StackRequest = { type: "counts" } | { type: "reset" } | { type: "stop" };

export type StackMessage =
  | {
      type: "ready";
      url: string;
      archivePath: string;
      tableName: string;
      eventBusName: string;
      /** DynamoDB Local itself, for clients that must not be counted. */
      dynamoDbEndpoint: string;
      startMs: number;
    }
  | {
      type: "counts";
      counts: ReturnType<Awaited<ReturnType<typeof startCountingProxy>>["counts"]>;
      errors: string[];
    }
  | { type: "stopped" }
  | { type: "failed"; message: string };

const send = (message: StackMessage) => process.send?.(message);

/** Waits until no local queue holds a message (visible or in flight), as /health reports them. */
async function waitUntilDrained(url: string, timeoutMs: number): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  let quietPolls = 0;
  while (performance.now() < deadline) {
    const health = (await (await fetch(`${url}/health`)).json()) as {
      queues?: Record<string, { visible: number; inFlight: number }>;
    };
    const held = Object.entries(health.queues ?? {})
      .filter(([name]) => !name.endsWith("-dlq") && !name.endsWith("-conflict-events"))
      .reduce((sum, [, q]) => sum + q.visible + q.inFlight, 0);
    // Twice in a row: a batch just finished may have put derived events on the bus.
    quietPolls = held === 0 ? quietPolls + 1 : 0;
    if (quietPolls >= 2) return;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}
const started = performance.now();
const errors: string[] = [];

// The stack's archive and checkpoints: tens of megabytes after a 50/s step, removed when
// the stack stops, however it stops.
const dataDir = mkdtempSync(join(tmpdir(), "attache-bench-"));
const removeDataDir = () => rmSync(dataDir, { recursive: true, force: true });

try {
  const engine = await startDynamoDbLocal();
  const proxy = await startCountingProxy(engine.endpoint);
  // For experiments only: settings of the queues and the stream, as JSON (LocalStackOptions).
  const overrides = JSON.parse(process.env.ATTACHE_BENCH_STACK_OPTIONS ?? "{}") as Pick<
    LocalStackOptions,
    "coderQueue" | "aggregatorQueue" | "stream"
  >;
  const stack = await startLocalStack({
    ...overrides,
    port: 0,
    dataDir,
    dynamoDbEndpoint: proxy.endpoint,
    log: () => undefined,
    logError: (line) => {
      if (errors.length < 50) errors.push(line);
    },
  });
  send({
    type: "ready",
    url: stack.url,
    archivePath: stack.archivePath,
    tableName: stack.tableName,
    eventBusName: stack.eventBusName,
    dynamoDbEndpoint: engine.endpoint,
    startMs: performance.now() - started,
  });
  process.on("message", async (request: StackRequest) => {
    if (request.type === "counts") {
      // Every call the counted articles cause, the aggregator's included: its batches can
      // still be waiting (window, yielding to the coder) when the archive has gone quiet.
      await waitUntilDrained(stack.url, 120_000);
      send({ type: "counts", counts: proxy.counts(), errors: [...errors] });
    } else if (request.type === "reset") {
      proxy.reset();
      errors.length = 0;
    } else if (request.type === "stop") {
      await stack.stop().catch((error: unknown) => errors.push(String(error)));
      await proxy.close();
      await engine.stop();
      removeDataDir();
      send({ type: "stopped" });
      process.disconnect?.();
      process.exit(0);
    }
  });
  // The parent going away must not leave DynamoDB Local behind.
  process.on("disconnect", () => {
    void stack
      .stop()
      .catch(() => undefined)
      .then(() => engine.stop())
      .finally(() => {
        removeDataDir();
        process.exit(0);
      });
  });
} catch (error) {
  removeDataDir();
  send({
    type: "failed",
    message: error instanceof Error ? `${error.message} ${String(error.cause ?? "")}` : String(error),
  });
  process.exit(1);
}
