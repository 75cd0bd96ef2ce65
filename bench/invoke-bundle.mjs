// Child process for the cold-start figures: a fresh Node process loads one
// bundle and hands its handler a first event, then a few warm ones, as Lambda
// would. Plain JavaScript run by `node` itself, so no loader adds to the times.
// Usage: node invoke-bundle.mjs <index.js or index.mjs> <events.json>
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { pathToFileURL } from "node:url";

// Milliseconds since the process started (performance's time origin): Node's own boot.
const bootMs = performance.now();
const [bundlePath, eventsPath] = process.argv.slice(2);
const { first, warm, context } = JSON.parse(readFileSync(eventsPath, "utf8"));

let logBytes = 0;
const write = process.stdout.write.bind(process.stdout);
// Everything the handler prints is what CloudWatch Logs would ingest; count it, keep it off our stdout.
process.stdout.write = (chunk, ...rest) => {
  logBytes += typeof chunk === "string" ? Buffer.byteLength(chunk) : chunk.length;
  const callback = rest.find((arg) => typeof arg === "function");
  if (callback) callback();
  return true;
};

const makeContext = () => {
  const started = Date.now();
  return {
    ...context,
    awsRequestId: crypto.randomUUID(),
    getRemainingTimeInMillis: () => 60_000 - (Date.now() - started),
  };
};

/** A handler "completed" when it answered 2xx, or reported no failed batch items. */
const succeeded = (result) =>
  result === undefined ||
  result === null ||
  (typeof result.statusCode === "number"
    ? result.statusCode < 300
    : (result.batchItemFailures ?? []).length === 0);

const startImport = performance.now();
// As the Node.js Lambda runtime loads a handler file: an index.js outside any
// "type": "module" package with require(), an index.mjs with import().
const mod = bundlePath.endsWith(".mjs")
  ? await import(pathToFileURL(bundlePath).href)
  : createRequire(import.meta.url)(bundlePath);
const importMs = performance.now() - startImport;
const startFirst = performance.now();
const firstResult = await mod.handler(first, makeContext());
const firstMs = performance.now() - startFirst;
// CPU time of the whole process so far (boot included): unlike wall time, other work on a
// shared machine does not inflate it, though it leaves out waiting on the backends.
const cpu = process.cpuUsage();
const cpuUntilFirstAnswerMs = (cpu.user + cpu.system) / 1000;
const firstLogBytes = logBytes;
const warmRuns = [];
for (const event of warm) {
  const before = logBytes;
  const start = performance.now();
  const startCpu = process.cpuUsage();
  const result = await mod.handler(event, makeContext());
  const usedCpu = process.cpuUsage(startCpu);
  warmRuns.push({
    ms: performance.now() - start,
    // The handler's own work, apart from the time it spent waiting on DynamoDB and the bus.
    cpuMs: (usedCpu.user + usedCpu.system) / 1000,
    ok: succeeded(result),
    logBytes: logBytes - before,
  });
}
write(
  `${JSON.stringify({
    bootMs,
    importMs,
    firstMs,
    untilFirstAnswerMs: startFirst + firstMs,
    cpuUntilFirstAnswerMs,
    firstOk: succeeded(firstResult),
    firstAnswer: JSON.stringify(firstResult ?? null).slice(0, 300),
    firstLogBytes,
    warm: warmRuns,
  })}\n`,
  // Open SDK sockets would keep the process alive; the figures are written, so leave.
  () => process.exit(0),
);
