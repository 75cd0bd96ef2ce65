// Runs DynamoDB Local, the real engine, as a child `java` process.
// The jar comes from scripts/install-dynamodb-local.mjs (run at `npm ci`).
import { type ChildProcess, spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { createServer } from "node:net";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

export class DynamoDbLocalError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = "DynamoDbLocalError";
  }
}

export interface DynamoDbLocalOptions {
  /** Port on 127.0.0.1; 0 picks a free one. */
  port?: number;
  /** Keep data in this folder instead of memory. */
  dataDir?: string;
  /** Folder holding DynamoDBLocal.jar. */
  installDir?: string;
  /** How long to wait for the engine to answer. */
  startTimeoutMs?: number;
  /** JVM flags, replacing the defaults below. Default: $ATTACHE_DYNAMODB_JAVA_OPTS (split on spaces) or JVM_FLAGS. */
  javaOptions?: string[];
}

/**
 * The JVM's settings for DynamoDB Local. The throughput collector: on two cores, writing
 * the coder's transactions one after another (1,500 articles, after 100 to warm up), it
 * spent about 18 ms of CPU per article against 21 to 23 ms with the default G1 or the
 * serial collector. The JIT is left whole: stopping at C1 halves the warm-up but doubles
 * the steady cost (40 ms), and the engine spends its time parsing and writing JSON items.
 */
export const JVM_FLAGS: readonly string[] = ["-Xmx1g", "-XX:+UseParallelGC"];

export interface DynamoDbLocal {
  endpoint: string;
  port: number;
  stop(): Promise<void>;
}

const projectRoot = resolve(dirname(fileURLToPath(import.meta.url)), "..");

export function defaultInstallDir(): string {
  return join(projectRoot, ".dynamodb-local");
}

export async function findFreePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      const port = typeof address === "object" && address ? address.port : 0;
      server.close(() => resolvePort(port));
    });
  });
}

async function waitUntilAnswering(endpoint: string, child: ChildProcess, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) {
      throw new DynamoDbLocalError(`DynamoDB Local exited with code ${child.exitCode} while starting`);
    }
    try {
      const res = await fetch(endpoint, {
        method: "POST",
        headers: {
          "content-type": "application/x-amz-json-1.0",
          "x-amz-target": "DynamoDB_20120810.ListTables",
          authorization:
            "AWS4-HMAC-SHA256 Credential=local/20200101/us-east-1/dynamodb/aws4_request, SignedHeaders=host, Signature=local",
        },
        body: "{}",
      });
      if (res.ok) return;
      lastError = new Error(`HTTP ${res.status}`);
    } catch (error) {
      lastError = error;
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new DynamoDbLocalError(`DynamoDB Local did not answer on ${endpoint} within ${timeoutMs} ms`, {
    cause: lastError,
  });
}

export async function startDynamoDbLocal(options: DynamoDbLocalOptions = {}): Promise<DynamoDbLocal> {
  const installDir = options.installDir ?? defaultInstallDir();
  const jar = join(installDir, "DynamoDBLocal.jar");
  if (!existsSync(jar)) {
    throw new DynamoDbLocalError(
      `DynamoDB Local is not installed (${jar} is missing): run \`npm ci\` or \`node scripts/install-dynamodb-local.mjs\``,
    );
  }
  const port = options.port && options.port > 0 ? options.port : await findFreePort();
  const storage = options.dataDir ? ["-dbPath", options.dataDir] : ["-inMemory"];
  const child = spawn(
    "java",
    [
      `-Djava.library.path=${join(installDir, "DynamoDBLocal_lib")}`,
      ...(options.javaOptions ??
        process.env.ATTACHE_DYNAMODB_JAVA_OPTS?.split(" ").filter(Boolean) ??
        JVM_FLAGS),
      "-jar",
      jar,
      ...storage,
      "-sharedDb",
      "-port",
      String(port),
      // Its default is CORS for every origin: any web page open in the user's browser
      // could then read and write the local table. Only an origin that cannot exist
      // (.invalid never resolves) is allowed; the SDK clients send no Origin at all.
      "-cors",
      "http://dynamodb-local.invalid",
      // Nothing about a local run is sent anywhere.
      "-disableTelemetry",
    ],
    // Deliberately in our process group: a Ctrl-C in the terminal reaches the JVM
    // too, so it cannot outlive us even if this process dies before stop() runs.
    { cwd: installDir, stdio: ["ignore", "ignore", "pipe"], detached: false },
  );
  let stderr = "";
  child.stderr?.on("data", (chunk: Buffer) => {
    stderr = (stderr + chunk.toString()).slice(-4000);
  });
  const spawnError = new Promise<never>((_, reject) =>
    child.once("error", (error) =>
      reject(new DynamoDbLocalError("could not start `java` (is a JRE installed?)", { cause: error })),
    ),
  );
  const endpoint = `http://127.0.0.1:${port}`;
  try {
    await Promise.race([waitUntilAnswering(endpoint, child, options.startTimeoutMs ?? 30_000), spawnError]);
  } catch (error) {
    child.kill("SIGKILL");
    throw new DynamoDbLocalError(`${(error as Error).message}${stderr ? `\n${stderr}` : ""}`, {
      cause: error,
    });
  }
  // Never leave the JVM behind if this process ends without calling stop().
  const killOnExit = () => child.kill("SIGKILL");
  process.once("exit", killOnExit);

  return {
    endpoint,
    port,
    stop: async () => {
      process.removeListener("exit", killOnExit);
      if (child.exitCode !== null || child.signalCode !== null) return;
      await new Promise<void>((resolveStop) => {
        const timer = setTimeout(() => child.kill("SIGKILL"), 5_000);
        child.once("exit", () => {
          clearTimeout(timer);
          resolveStop();
        });
        child.kill("SIGTERM");
      });
    },
  };
}
