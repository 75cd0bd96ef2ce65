// Child process: the coder's throughput and its word-split floor, measured in
// the same fresh process and alternated round by round, so whatever else the
// machine does at the time slows both alike. The parent pins this process to
// one core and reads the JSON line it prints.
import { parseArgs } from "node:util";
import { codeArticle } from "../coder/index.js";
import type { Article } from "../coder/types.js";
import { buildCorpus } from "./corpus.js";

const { values } = parseArgs({
  options: {
    size: { type: "string", default: "2000" },
    rounds: { type: "string", default: "3" },
    "floor-repeats": { type: "string", default: "5" },
  },
});
const size = Number(values.size);
const rounds = Number(values.rounds);
const floorRepeats = Number(values["floor-repeats"]);

const corpus = buildCorpus(size);
const articles = corpus.articles;

/** The floor: the least any coder must do, read the text once and cut it into words. */
function splitWords(batch: readonly Article[]): number {
  let words = 0;
  for (const article of batch) {
    words += article.title.split(/\s+/).length + article.body.split(/\s+/).length;
  }
  return words;
}

function codeAll(batch: readonly Article[]): { events: number; stances: number } {
  let events = 0;
  let stances = 0;
  for (const article of batch) {
    const coded = codeArticle(article);
    events += coded.events.length;
    stances += coded.stances.length;
  }
  return { events, stances };
}

// Warm-up slices: enough for the JIT to compile the hot paths, small next to a pass.
const warmUp = articles.slice(0, Math.min(100, articles.length));
// Wall time, and this process's CPU time (user + system, all its threads): on a shared
// machine the process is sometimes descheduled, which wall time counts and CPU time does not.
const cpuMs = () => {
  const usage = process.cpuUsage();
  return (usage.user + usage.system) / 1000;
};
const results: Array<{ coderMs: number; floorMs: number; coderCpuMs: number; floorCpuMs: number }> = [];
// One whole pass first, timed but kept apart: V8 compiles the coder's large functions
// through several tiers over the first thousands of articles (on this one core, so the
// compiler's work counts too), and a warm Lambda codes batch after batch at the speed
// reached after that, which is what the rounds measure. The first pass is reported
// beside them, so the warming cost is not hidden.
const firstStart = performance.now();
const firstStartCpu = cpuMs();
codeAll(articles);
const firstPass = { coderMs: performance.now() - firstStart, coderCpuMs: cpuMs() - firstStartCpu };
let events = 0;
let stances = 0;
let words = 0;
for (let round = 0; round < rounds; round++) {
  splitWords(warmUp);
  // The floor pass takes a few milliseconds, so it is repeated and its median kept,
  // which keeps a single scheduler hiccup from deciding the ratio.
  const floorTimes: Array<{ wall: number; cpu: number }> = [];
  for (let i = 0; i < floorRepeats; i++) {
    const start = performance.now();
    const startCpu = cpuMs();
    words = splitWords(articles);
    floorTimes.push({ wall: performance.now() - start, cpu: cpuMs() - startCpu });
  }
  floorTimes.sort((a, b) => a.wall - b.wall);
  const floor = floorTimes[floorTimes.length >> 1] as { wall: number; cpu: number };
  codeAll(warmUp);
  const start = performance.now();
  const startCpu = cpuMs();
  ({ events, stances } = codeAll(articles));
  const coderCpuMs = cpuMs() - startCpu;
  const coderMs = performance.now() - start;
  results.push({ coderMs, floorMs: floor.wall, coderCpuMs, floorCpuMs: floor.cpu });
}

process.stdout.write(
  `${JSON.stringify({
    articles: articles.length,
    bytes: corpus.bytes,
    words: corpus.words,
    splitWords: words,
    events,
    stances,
    description: corpus.description,
    firstPass,
    rounds: results,
  })}\n`,
);
