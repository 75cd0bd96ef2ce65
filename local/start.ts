// `npm start`: the whole pipeline on this machine until Ctrl-C.
//
//   npm start [-- --port 3000 --data-dir .attache --persist]
//
// Environment: PORT, ATTACHE_DATA_DIR, ATTACHE_DYNAMODB_PERSIST=1 (flags win).
import { relative } from "node:path";
import { parseArgs } from "node:util";
import { type LocalStack, startLocalStack } from "./stack.js";

class StartArgumentsError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = "StartArgumentsError";
  }
}

function readArguments(): { port?: number; dataDir?: string; persist?: boolean } {
  let values: { port?: string; "data-dir"?: string; persist?: boolean; help?: boolean };
  try {
    ({ values } = parseArgs({
      options: {
        port: { type: "string" },
        "data-dir": { type: "string" },
        persist: { type: "boolean" },
        help: { type: "boolean", short: "h" },
      },
      strict: true,
    }));
  } catch (error) {
    throw new StartArgumentsError((error as Error).message, { cause: error });
  }
  if (values.help) {
    console.log(
      "Usage: npm start -- [--port N] [--data-dir DIR] [--persist]\n" +
        "  --port N        HTTP port on 127.0.0.1 (default $PORT or 3000; 0 picks a free one)\n" +
        "  --data-dir DIR  archive, failure files and persisted data (default $ATTACHE_DATA_DIR or .attache)\n" +
        "  --persist       keep DynamoDB data in DIR/dynamodb across restarts (or ATTACHE_DYNAMODB_PERSIST=1)",
    );
    process.exit(0);
  }
  const options: { port?: number; dataDir?: string; persist?: boolean } = {};
  if (values.port !== undefined) {
    const port = Number(values.port);
    if (!Number.isInteger(port) || port < 0 || port > 65_535) {
      throw new StartArgumentsError(`--port must be an integer from 0 to 65535, got "${values.port}"`);
    }
    options.port = port;
  }
  if (values["data-dir"] !== undefined) options.dataDir = values["data-dir"];
  if (values.persist) options.persist = true;
  return options;
}

// The SDK's notice that its 2027 releases need Node 22 says nothing about this
// session (Lambda runs Node 22 already) and would bury the event stream's first lines.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= "true";

/** Signals closer together than this are one Ctrl-C relayed by several processes. */
const DUPLICATE_SIGNAL_MS = 1_000;

async function main(): Promise<void> {
  const options = readArguments();
  const startedAt = Date.now();
  let stopping = false;
  let firstSignalAt = 0;
  console.log("Starting Attaché locally (DynamoDB Local, event bus, queue, stream, API) ...");
  const starting = startLocalStack(options);

  const shutDown = (signal: NodeJS.Signals) => {
    if (stopping) {
      // `npm start` and tsx relay the terminal's Ctrl-C, so one key press arrives more
      // than once within milliseconds: only a later one is a user insisting.
      if (Date.now() - firstSignalAt < DUPLICATE_SIGNAL_MS) return;
      // A second Ctrl-C means "now": the exit hook in dynamodb-local.ts still kills the JVM.
      console.error(`\n${signal} again: exiting without waiting.`);
      process.exit(130);
    }
    stopping = true;
    firstSignalAt = Date.now();
    console.log(`\n${signal}: stopping the local stack ...`);
    // Even mid-start: wait for what is starting, so no JVM is left half-launched.
    starting
      .then((stack) => stack.stop())
      .then(
        () => {
          console.log("Stopped.");
          process.exit(0);
        },
        (error: unknown) => {
          console.error("Stopped with errors:", error);
          process.exit(1);
        },
      );
  };
  process.on("SIGINT", shutDown);
  process.on("SIGTERM", shutDown);

  const stack: LocalStack = await starting;
  if (stopping) return;
  const fromCwd = relative(process.cwd(), stack.dataDir);
  const dataDir = fromCwd === "" ? "." : fromCwd.startsWith("..") ? stack.dataDir : fromCwd;
  console.log(
    [
      "",
      `Attaché is running on ${stack.url}  (ready in ${((Date.now() - startedAt) / 1000).toFixed(1)} s)`,
      `  POST ${stack.url}/articles        publish an article`,
      `  GET  ${stack.url}/articles/{id}   the coded article, its events and stances`,
      `  GET  ${stack.url}/health          status, queue depths, stream progress`,
      `  EventBridge endpoint: ${stack.url}  (bus "${stack.eventBusName}")`,
      `  Archive: ${dataDir}/archive.jsonl   DynamoDB: ${stack.dynamoDbEndpoint}`,
      "",
      "Try:  npm run publish -- events/samples/articles/seed-china-fm.json",
      "Ctrl-C stops everything.",
      "",
    ].join("\n"),
  );
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? `${error.name}: ${error.message}` : error);
  if (error instanceof Error && error.cause) console.error("cause:", error.cause);
  process.exit(1);
});
