// Times the coder against the word-split floor in one process, alternating the
// two round by round so whatever else the machine does slows both alike, and
// reports the median. Also times loading (compiling dictionaries and rules) and
// can summarise a V8 CPU profile. Not a test: timings belong in reports, not
// assertions.
//
//   npx tsx scripts/profile-coder.ts [--size 2000] [--rounds 7] [--against ../other/coder/index.ts]
//   npx tsx scripts/profile-coder.ts --summarise profile.cpuprofile [--top 25]
//
// For a CPU profile of the main thread (tsx runs a loader thread of its own),
// bundle first and profile the plain JavaScript:
//   npx esbuild scripts/profile-coder.ts --bundle --platform=node --format=esm \
//     --outfile=/tmp/profile-coder.mjs
//   node --cpu-prof --cpu-prof-dir=/tmp/prof /tmp/profile-coder.mjs --corpus articles.jsonl --rounds 3
//   npx tsx scripts/profile-coder.ts --summarise /tmp/prof/<file>.cpuprofile
import { readFileSync } from "node:fs";
import { pathToFileURL } from "node:url";
import { parseArgs } from "node:util";
import { buildCorpus } from "../bench/corpus.js";
import type { Article } from "../coder/types.js";

const { values } = parseArgs({
  options: {
    size: { type: "string", default: "2000" },
    rounds: { type: "string", default: "7" },
    summarise: { type: "string" },
    top: { type: "string", default: "25" },
    /** JSON Lines of articles instead of the built corpus (a bundled copy cannot find the samples). */
    corpus: { type: "string" },
    /** Another checkout's coder/index.ts, timed in alternation with this one (same process, same load). */
    against: { type: "string" },
    /** With --summarise: hottest source lines instead of functions. */
    lines: { type: "boolean", default: false },
  },
});

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  positionTicks?: Array<{ line: number; ticks: number }>;
}

/** Ticks per source line (V8 records them per node), hottest first. */
function summariseLines(path: string, top: number): void {
  const profile = JSON.parse(readFileSync(path, "utf8")) as { nodes: ProfileNode[] };
  const ticks = new Map<string, number>();
  let total = 0;
  for (const node of profile.nodes) {
    for (const p of node.positionTicks ?? []) {
      const key = `${node.callFrame.functionName || "(anonymous)"}:${p.line}`;
      ticks.set(key, (ticks.get(key) ?? 0) + p.ticks);
      total += p.ticks;
    }
  }
  const rows = [...ticks.entries()].sort((a, b) => b[1] - a[1]).slice(0, top);
  process.stdout.write(`total ${total} ticks\n`);
  for (const [key, n] of rows)
    process.stdout.write(`${String(n).padStart(7)} ${((n / total) * 100).toFixed(1).padStart(5)}%  ${key}\n`);
}

/** Self time per function (summed over call paths), largest first. */
function summariseProfile(path: string, top: number): void {
  const profile = JSON.parse(readFileSync(path, "utf8")) as {
    nodes: ProfileNode[];
    samples: number[];
    timeDeltas: number[];
  };
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const self = new Map<string, number>();
  let total = 0;
  for (let i = 0; i < profile.samples.length; i++) {
    const node = byId.get(profile.samples[i]!);
    const dt = (profile.timeDeltas[i + 1] ?? 0) / 1000;
    if (!node) continue;
    const { functionName, url, lineNumber } = node.callFrame;
    const file = url.replace(/^file:\/\//, "").replace(/^.*\/(coder|scripts|bench|node_modules)\//, "$1/");
    const key = `${functionName || "(anonymous)"}  ${file}${url ? `:${lineNumber + 1}` : ""}`;
    self.set(key, (self.get(key) ?? 0) + dt);
    total += dt;
  }
  const rows = [...self.entries()].sort((a, b) => b[1] - a[1]).slice(0, top);
  process.stdout.write(`total ${total.toFixed(0)} ms\n`);
  for (const [key, ms] of rows)
    process.stdout.write(
      `${ms.toFixed(1).padStart(9)} ms ${((ms / total) * 100).toFixed(1).padStart(5)}%  ${key}\n`,
    );
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[s.length >> 1]!;
}

/** The floor: the least any coder must do, read the text once and cut it into words. */
function splitWords(batch: readonly Article[]): number {
  let words = 0;
  for (const a of batch) words += a.title.split(/\s+/).length + a.body.split(/\s+/).length;
  return words;
}

async function measure(size: number, rounds: number): Promise<void> {
  const loadStart = performance.now();
  // Imported here, not at the top, so the load time (parse JSON + compile) is measured.
  const { codeArticle } = await import("../coder/index.js");
  const loadMs = performance.now() - loadStart;
  const articles = values.corpus
    ? readFileSync(values.corpus, "utf8")
        .split("\n")
        .filter((l) => l.trim())
        .map((l) => JSON.parse(l) as Article)
        .slice(0, size)
    : buildCorpus(size).articles;
  const words = articles.reduce((n, a) => n + a.body.split(/\s+/).filter(Boolean).length, 0);
  const firstStart = performance.now();
  codeArticle(articles[0]!);
  const firstMs = performance.now() - firstStart;

  const other = values.against
    ? ((await import(pathToFileURL(values.against).href)) as { codeArticle: typeof codeArticle }).codeArticle
    : undefined;
  other?.(articles[0]!);
  const otherMs: number[] = [];
  const coderMs: number[] = [];
  const floorMs: number[] = [];
  let events = 0;
  for (let r = 0; r < rounds; r++) {
    if (other) {
      const t = performance.now();
      for (const a of articles) other(a);
      otherMs.push(performance.now() - t);
    }
    // The floor pass is short, so it is repeated and its median kept.
    const floors: number[] = [];
    for (let i = 0; i < 5; i++) {
      const t = performance.now();
      splitWords(articles);
      floors.push(performance.now() - t);
    }
    floorMs.push(median(floors));
    const t = performance.now();
    events = 0;
    for (const a of articles) events += codeArticle(a).events.length;
    coderMs.push(performance.now() - t);
  }
  const coder = median(coderMs);
  const floor = median(floorMs);
  const ratios = coderMs.map((c, i) => c / floorMs[i]!);
  process.stdout.write(
    `${JSON.stringify(
      {
        articles: articles.length,
        words,
        events,
        loadMs: Math.round(loadMs),
        firstArticleMs: Number(firstMs.toFixed(2)),
        coderMsMedian: Math.round(coder),
        floorMsMedian: Number(floor.toFixed(1)),
        articlesPerSecond: Math.round((articles.length / coder) * 1000),
        ratioToFloor: Number((coder / floor).toFixed(1)),
        ratioMedianOfRounds: Number(median(ratios).toFixed(1)),
        ...(other
          ? {
              againstMsMedian: Math.round(median(otherMs)),
              speedupOverAgainst: Number((median(otherMs) / coder).toFixed(2)),
              speedupMedianOfRounds: Number(median(otherMs.map((o, i) => o / coderMs[i]!)).toFixed(2)),
            }
          : {}),
        coderMs: coderMs.map(Math.round),
        floorMs: floorMs.map((x) => Number(x.toFixed(1))),
      },
      null,
      2,
    )}\n`,
  );
}

if (values.summarise && values.lines) summariseLines(values.summarise, Number(values.top));
else if (values.summarise) summariseProfile(values.summarise, Number(values.top));
else await measure(Number(values.size), Number(values.rounds));
