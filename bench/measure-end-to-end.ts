// Section 3 of the benchmark on its own: the bench's local stack (in a child process,
// behind the counting proxy), a few seed articles, a counting run at 10/s whose DynamoDB
// calls are divided by the articles that caused them, then the steady step at 50/s.
// Prints the figures as JSON. `tsx bench/measure-end-to-end.ts [--rate 50] [--seconds 60]
// [--counted 20] [--profile <dir>]`.
import { loadavg } from "node:os";
import { parseArgs } from "node:util";
import { ArchiveTail, waitForQuiet } from "./archive-tail.js";
import { buildCorpus } from "./corpus.js";
import { runLoadStep } from "./end-to-end.js";
import { diffCpuSeconds, readDescendantCpuSeconds } from "./process-cpu.js";
import { TARGETS } from "./report.js";
import { publishAndAwaitCoded, startBenchStack } from "./stack-client.js";

const { values: flags } = parseArgs({
  options: {
    rate: { type: "string", default: "50" },
    seconds: { type: "string", default: "60" },
    counted: { type: "string", default: "20" },
    /** A folder for a CPU profile of the stack's process. */
    profile: { type: "string" },
  },
});
const rate = Number(flags.rate);
const durationMs = Number(flags.seconds) * 1000;
const countedArticles = Number(flags.counted);
const log = (line: string) => process.stderr.write(`${line}\n`);
const load = () => loadavg().map((l) => l.toFixed(2));

const stack = await startBenchStack(
  flags.profile ? { nodeArgs: ["--cpu-prof", `--cpu-prof-dir=${flags.profile}`] } : {},
);
const tail = new ArchiveTail(stack.archivePath);
tail.start();
try {
  const all = buildCorpus(12_000, 7).articles;
  const seed = all.slice(0, 6).map((article, i) => ({ ...article, id: `seed-${i}` }));
  await publishAndAwaitCoded(stack, tail, seed, 60_000);
  await waitForQuiet(tail, 1500, 60_000);

  log(`counting over ${countedArticles} articles at 10/s (load ${load().join(" ")})`);
  stack.resetCounts();
  await runLoadStep({
    url: stack.url,
    tail,
    articles: all.slice(200, 200 + countedArticles),
    rate: 10,
    durationMs: (countedArticles / 10) * 1000,
    idPrefix: "count",
    p99TargetMs: TARGETS.endToEndP99Ms,
    drainTimeoutMs: 120_000,
  });
  await waitForQuiet(tail, 1500, 120_000);
  const { counts, errors } = await stack.readCounts();
  const perArticle = Object.fromEntries(
    Object.entries(counts).map(([operation, c]) => [
      operation,
      {
        calls: +(c.calls / countedArticles).toFixed(2),
        meanMs: +(c.upstreamMs / Math.max(1, c.calls)).toFixed(1),
      },
    ]),
  );
  const tableCalls = Object.entries(counts)
    .filter(([operation]) => !operation.startsWith("Streams."))
    .reduce((sum, [, c]) => sum + c.calls, 0);

  log(`steady: ${rate}/s for ${durationMs / 1000} s (load ${load().join(" ")})`);
  const loadBefore = load();
  const cpuBefore = readDescendantCpuSeconds();
  const steady = await runLoadStep({
    url: stack.url,
    tail,
    articles: all.slice(200 + countedArticles),
    rate,
    durationMs,
    idPrefix: "steady",
    p99TargetMs: TARGETS.endToEndP99Ms,
    drainTimeoutMs: 10_000,
  });
  const cpuSeconds = diffCpuSeconds(cpuBefore, readDescendantCpuSeconds());
  const round = (n: number | undefined) => (n === undefined ? null : Math.round(n));
  process.stdout.write(
    `${JSON.stringify(
      {
        loadBefore,
        loadAfter: load(),
        cpuSecondsDuringSteadyStep: cpuSeconds,
        dynamoDbCallsPerArticle: +(tableCalls / countedArticles).toFixed(2),
        perArticle,
        errors: errors.slice(0, 5),
        steady: {
          sent: +steady.achievedRate.toFixed(1),
          done: +steady.completedRate.toFixed(1),
          p50: round(steady.latency?.p50),
          p95: round(steady.latency?.p95),
          p99: round(steady.latency?.p99),
          max: round(steady.latency?.max),
          stages: steady.stages,
          backlogAfter1s: steady.backlogAfter1s,
          lost: steady.lost,
          publishErrors: steady.publishErrors,
          sustained: steady.sustained,
        },
      },
      null,
      2,
    )}\n`,
  );
} finally {
  tail.stop();
  await stack.stop();
}
