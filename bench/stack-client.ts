// The parent's side of bench/stack-process.ts: start it, ask it for counts, stop it.
import { type ChildProcess, fork } from "node:child_process";
import { fileURLToPath } from "node:url";
import type { Article } from "../coder/types.js";
import { type ArchiveTail, waitForArchive } from "./archive-tail.js";
import type { ProxyCounts } from "./dynamodb-counting-proxy.js";
import type { StackMessage, StackRequest } from "./stack-process.js";

export class BenchStackError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = "BenchStackError";
  }
}

export interface BenchStack {
  url: string;
  archivePath: string;
  tableName: string;
  eventBusName: string;
  dynamoDbEndpoint: string;
  startMs: number;
  readCounts(): Promise<{ counts: ProxyCounts; errors: string[] }>;
  resetCounts(): void;
  stop(): Promise<void>;
}

/** `nodeArgs`: extra flags for the stack's Node process (e.g. `--cpu-prof` to see where its time goes). */
export async function startBenchStack(options: { nodeArgs?: string[] } = {}): Promise<BenchStack> {
  const child: ChildProcess = fork(fileURLToPath(new URL("./stack-process.ts", import.meta.url)), [], {
    execArgv: ["--import", "tsx", ...(options.nodeArgs ?? [])],
    // The handlers' logs are not ours to print; errors are reported over IPC.
    stdio: ["ignore", "ignore", "pipe", "ipc"],
  });
  let stderr = "";
  child.stderr?.on("data", (chunk: Buffer) => {
    stderr = (stderr + chunk.toString("utf8")).slice(-4000);
  });
  const next = <T extends StackMessage["type"]>(type: T, timeoutMs: number) =>
    new Promise<Extract<StackMessage, { type: T }>>((resolve, reject) => {
      const timer = setTimeout(() => {
        cleanup();
        reject(
          new BenchStackError(`the local stack did not answer "${type}" within ${timeoutMs} ms: ${stderr}`),
        );
      }, timeoutMs);
      const onMessage = (message: StackMessage) => {
        if (message.type === "failed") {
          cleanup();
          reject(new BenchStackError(`the local stack failed: ${message.message}`));
        } else if (message.type === type) {
          cleanup();
          resolve(message as Extract<StackMessage, { type: T }>);
        }
      };
      const onExit = (code: number | null) => {
        cleanup();
        reject(new BenchStackError(`the local stack exited (code ${code}) before "${type}": ${stderr}`));
      };
      const cleanup = () => {
        clearTimeout(timer);
        child.off("message", onMessage);
        child.off("exit", onExit);
      };
      child.on("message", onMessage);
      child.once("exit", onExit);
    });
  const request = (message: StackRequest) => child.send(message);

  const ready = await next("ready", 120_000);
  return {
    url: ready.url,
    archivePath: ready.archivePath,
    tableName: ready.tableName,
    eventBusName: ready.eventBusName,
    dynamoDbEndpoint: ready.dynamoDbEndpoint,
    startMs: ready.startMs,
    async readCounts() {
      const answer = next("counts", 130_000);
      request({ type: "counts" });
      const { counts, errors } = await answer;
      return { counts, errors };
    },
    resetCounts: () => request({ type: "reset" }),
    async stop() {
      if (child.exitCode !== null) return;
      const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
      const stopped = next("stopped", 30_000).catch(() => undefined);
      request({ type: "stop" });
      await stopped;
      await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 5_000))]);
      if (child.exitCode === null) child.kill("SIGKILL");
    },
  };
}

/**
 * Publishes articles through the stack's API and waits until each one's ArticleCoded is
 * in the archive: data stored through the whole pipeline, for what needs some first.
 */
export async function publishAndAwaitCoded(
  stack: BenchStack,
  tail: ArchiveTail,
  articles: readonly Article[],
  timeoutMs: number,
): Promise<void> {
  for (const article of articles) {
    const response = await fetch(`${stack.url}/articles`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(article),
    });
    await response.arrayBuffer();
    if (response.status !== 202)
      throw new BenchStackError(`publishing ${article.id} answered ${response.status}`);
  }
  const coded = await waitForArchive(
    tail,
    () => articles.every((a) => tail.sightings.get(a.id)?.codedAt !== undefined),
    timeoutMs,
  );
  if (!coded)
    throw new BenchStackError(`${articles.length} articles were not coded within ${timeoutMs / 1000} s`);
}
