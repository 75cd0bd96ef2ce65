// `npm run load -- --articles N --concurrency C [--url URL]`: publishes N distinct
// articles, built from the samples, to a running local stack (`npm start`), waits until
// each is coded and announced, then checks the run from the outside:
//
//   - every article published once and stored exactly once (GET /articles/{id}: version 1,
//     the events and stances its ArticleCoded lists, no repeats);
//   - exactly one ArticleCoded per article, and exactly one DiplomaticEventCoded and one
//     StanceRecorded per stored event and stance, in the bus archive;
//   - the coder's dead-letter queue empty and no stream records given up (GET /health).
//
// It prints throughput and latency percentiles and exits non-zero when a check fails.
//
//   npm run load -- --articles 10000 --concurrency 32
//   npm run load -- --articles 500 --concurrency 8 --url http://127.0.0.1:4000 --json load.json
import { randomUUID } from "node:crypto";
import { open, readFile, stat, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { parseArgs } from "node:util";
import type { Article } from "../coder/types.js";

/** The articles the load publishes are ordinary articles (the coder's contract). */
export type LoadArticle = Article;

/** An event as the archive holds it (the EventBridge envelope), reduced to what is checked. */
export interface ArchivedEvent {
  "detail-type": string;
  detail: {
    eventKey?: string;
    articleId?: string;
    id?: string;
    version?: number;
    eventIds?: string[];
    stanceIds?: string[];
    codedAt?: string;
    event?: { id?: string };
    stance?: { id?: string };
  };
}

/** What GET /articles/{id} answered for an article (null: not found). */
export interface StoredView {
  article: { id: string; version: number };
  events: { id: string }[];
  stances: { id: string }[];
}

export interface RunEvidence {
  articleIds: readonly string[];
  /** Archive events of this run (others are ignored). */
  archive: readonly ArchivedEvent[];
  stored: ReadonlyMap<string, StoredView | null>;
  deadLetters: number;
  streamFailedRecords: number;
}

export interface Verification {
  ok: boolean;
  problems: string[];
  counts: {
    articles: number;
    published: number;
    articleCoded: number;
    diplomaticEventCoded: number;
    stanceRecorded: number;
    storedEvents: number;
    storedStances: number;
  };
}

const MAX_LISTED = 20;

function countBy(values: Iterable<string>): Map<string, number> {
  const counts = new Map<string, number>();
  for (const value of values) counts.set(value, (counts.get(value) ?? 0) + 1);
  return counts;
}

function sameSet(a: readonly string[], b: readonly string[]): boolean {
  if (a.length !== b.length) return false;
  const set = new Set(a);
  return b.every((x) => set.has(x));
}

/**
 * Checks a finished run: exactly once per article, per stored event and per stored
 * stance, in the store and on the bus. Pure, so the checks themselves are tested.
 */
export function verifyRun(evidence: RunEvidence): Verification {
  const problems: string[] = [];
  const ours = new Set(evidence.articleIds);
  const report = (kind: string, items: string[]) => {
    if (items.length === 0) return;
    const listed = items.slice(0, MAX_LISTED).join(", ");
    problems.push(`${kind} (${items.length}): ${listed}${items.length > MAX_LISTED ? ", …" : ""}`);
  };

  const ofType = (type: string) =>
    evidence.archive.filter((e) => e["detail-type"] === type && ours.has(articleIdOf(e) ?? ""));
  const published = ofType("ArticlePublished");
  const coded = ofType("ArticleCoded");
  const eventsCoded = ofType("DiplomaticEventCoded");
  const stancesRecorded = ofType("StanceRecorded");

  const publishedCounts = countBy(published.map((e) => articleIdOf(e) ?? ""));
  report(
    "articles never published",
    evidence.articleIds.filter((id) => !publishedCounts.has(id)),
  );
  report(
    "articles published more than once",
    [...publishedCounts].filter(([, n]) => n > 1).map(([id, n]) => `${id} ×${n}`),
  );

  const codedByArticle = new Map<string, ArchivedEvent[]>();
  for (const event of coded) {
    const id = articleIdOf(event) ?? "";
    codedByArticle.set(id, [...(codedByArticle.get(id) ?? []), event]);
  }
  report(
    "articles without ArticleCoded",
    evidence.articleIds.filter((id) => !codedByArticle.has(id)),
  );
  report(
    "articles with more than one ArticleCoded",
    [...codedByArticle].filter(([, list]) => list.length > 1).map(([id, list]) => `${id} ×${list.length}`),
  );

  for (const [kind, list] of [
    ["DiplomaticEventCoded", eventsCoded],
    ["StanceRecorded", stancesRecorded],
  ] as const) {
    report(
      `${kind} delivered more than once`,
      [...countBy(list.map((e) => e.detail.eventKey ?? ""))]
        .filter(([, n]) => n > 1)
        .map(([k, n]) => `${k} ×${n}`),
    );
  }
  const eventIdsOf = (
    id: string,
    list: readonly ArchivedEvent[],
    pick: (e: ArchivedEvent) => string | undefined,
  ) => list.filter((e) => articleIdOf(e) === id).map((e) => pick(e) ?? "");
  const eventsByArticle = groupBy(eventsCoded, articleIdOf);
  const stancesByArticle = groupBy(stancesRecorded, articleIdOf);

  const missingEvents: string[] = [];
  const unexpectedEvents: string[] = [];
  const notStored: string[] = [];
  const storedTwice: string[] = [];
  const storedMismatch: string[] = [];
  let storedEvents = 0;
  let storedStances = 0;
  for (const id of evidence.articleIds) {
    const announced = codedByArticle.get(id)?.[0];
    const view = evidence.stored.get(id);
    if (!view) {
      notStored.push(id);
    } else {
      storedEvents += view.events.length;
      storedStances += view.stances.length;
      const eventIds = view.events.map((e) => e.id);
      const stanceIds = view.stances.map((s) => s.id);
      if (
        view.article.version !== 1 ||
        new Set(eventIds).size !== eventIds.length ||
        new Set(stanceIds).size !== stanceIds.length
      ) {
        storedTwice.push(`${id} (version ${view.article.version})`);
      }
      if (
        announced &&
        (!sameSet(eventIds, announced.detail.eventIds ?? []) ||
          !sameSet(stanceIds, announced.detail.stanceIds ?? []))
      ) {
        storedMismatch.push(id);
      }
    }
    if (!announced) continue;
    const version = announced.detail.version;
    const events = (eventsByArticle.get(id) ?? []).filter((e) => e.detail.version === version);
    const stances = (stancesByArticle.get(id) ?? []).filter((e) => e.detail.version === version);
    const gotEvents = new Set(eventIdsOf(id, events, (e) => e.detail.event?.id));
    const gotStances = new Set(eventIdsOf(id, stances, (e) => e.detail.stance?.id));
    const wantEvents = announced.detail.eventIds ?? [];
    const wantStances = announced.detail.stanceIds ?? [];
    for (const want of wantEvents) if (!gotEvents.has(want)) missingEvents.push(`${id}/${want}`);
    for (const want of wantStances) if (!gotStances.has(want)) missingEvents.push(`${id}/${want}`);
    for (const got of gotEvents) if (!wantEvents.includes(got)) unexpectedEvents.push(`${id}/${got}`);
    for (const got of gotStances) if (!wantStances.includes(got)) unexpectedEvents.push(`${id}/${got}`);
  }
  report("articles not stored (GET /articles/{id} answered 404)", notStored);
  report("articles stored more than once (a second version or repeated items)", storedTwice);
  report("articles whose stored events or stances differ from their ArticleCoded", storedMismatch);
  report("events or stances listed in ArticleCoded but never announced", missingEvents);
  report("events or stances announced but not listed in ArticleCoded", unexpectedEvents);
  if (evidence.deadLetters > 0)
    problems.push(`the coder's dead-letter queue holds ${evidence.deadLetters} messages`);
  if (evidence.streamFailedRecords > 0)
    problems.push(`the stream poller gave up on ${evidence.streamFailedRecords} records`);

  return {
    ok: problems.length === 0,
    problems,
    counts: {
      articles: evidence.articleIds.length,
      published: published.length,
      articleCoded: coded.length,
      diplomaticEventCoded: eventsCoded.length,
      stanceRecorded: stancesRecorded.length,
      storedEvents,
      storedStances,
    },
  };
}

function articleIdOf(event: ArchivedEvent): string | undefined {
  return event["detail-type"] === "ArticlePublished" ? event.detail.id : event.detail.articleId;
}

function groupBy<T>(values: readonly T[], key: (value: T) => string | undefined): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const value of values) {
    const k = key(value) ?? "";
    const group = groups.get(k);
    if (group) group.push(value);
    else groups.set(k, [value]);
  }
  return groups;
}

/** The nearest-rank percentile of sorted values. */
export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length - 1, Math.max(0, rank - 1))]!;
}

/** N distinct articles: the samples in turn, each with its own id, title suffix and closing line. */
export function buildArticles(samples: readonly LoadArticle[], count: number, runId: string): LoadArticle[] {
  if (samples.length === 0) throw new Error("no sample articles to build from");
  return Array.from({ length: count }, (_, i) => {
    const sample = samples[i % samples.length]!;
    const id = `load-${runId}-${String(i).padStart(6, "0")}`;
    return {
      ...sample,
      id,
      title: `${sample.title} (${i + 1})`,
      body: `${sample.body}\n\nLoad run ${runId}, article ${i + 1} of ${count}.`,
      url: `https://example.org/load/${runId}/${i}`,
    };
  });
}

interface Health {
  status: string;
  archive?: string;
  dataDir?: string;
  queues?: Record<string, { visible: number; inFlight: number }>;
  stream?: { failedRecords?: number } | null;
}

async function readHealth(url: string): Promise<Health> {
  const res = await fetch(`${url}/health`);
  const body = (await res.json()) as Health;
  if (res.status !== 200 || body.status !== "ok") {
    throw new Error(`the stack at ${url} is not ready: GET /health answered ${res.status} ${body.status}`);
  }
  return body;
}

function deadLetterDepth(health: Health): number {
  return Object.entries(health.queues ?? {})
    .filter(([name]) => name.endsWith("-dlq"))
    .reduce((sum, [, q]) => sum + q.visible + q.inFlight, 0);
}

/** Reads the archive from `offset` on, keeping a partial last line for the next read. */
class ArchiveTail {
  private offset: number;
  private rest = "";
  constructor(
    private readonly path: string,
    offset: number,
  ) {
    this.offset = offset;
  }

  async read(): Promise<ArchivedEvent[]> {
    const handle = await open(this.path, "r").catch(() => undefined);
    if (!handle) return [];
    try {
      const { size } = await handle.stat();
      if (size <= this.offset) return [];
      const buffer = Buffer.alloc(size - this.offset);
      await handle.read(buffer, 0, buffer.length, this.offset);
      this.offset = size;
      const text = this.rest + buffer.toString("utf8");
      const lines = text.split("\n");
      this.rest = lines.pop() ?? "";
      return lines.filter((line) => line.length > 0).map((line) => JSON.parse(line) as ArchivedEvent);
    } finally {
      await handle.close();
    }
  }
}

async function runPool<T>(items: readonly T[], concurrency: number, work: (item: T) => Promise<void>) {
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.max(1, concurrency) }, async () => {
      while (next < items.length) {
        const item = items[next++]!;
        await work(item);
      }
    }),
  );
}

export interface LoadOptions {
  url: string;
  articles: number;
  concurrency: number;
  /** Give up waiting for the pipeline after this long. */
  timeoutMs: number;
  samples: readonly LoadArticle[];
  log?: (line: string) => void;
}

export interface LoadResult {
  verification: Verification;
  publishFailures: string[];
  durationsMs: { publish: number; total: number };
  /** Articles coded per second, first request to last ArticleCoded. */
  throughput: number;
  /** POST → ArticleCoded read from the archive, in ms (p50, p90, p99, max). */
  latencyMs: { p50: number; p90: number; p99: number; max: number };
  /** POST → codedAt (stored), in ms. */
  codedLatencyMs: { p50: number; p90: number; p99: number; max: number };
}

const summarize = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  return {
    p50: percentile(sorted, 50),
    p90: percentile(sorted, 90),
    p99: percentile(sorted, 99),
    max: sorted.at(-1) ?? Number.NaN,
  };
};

export async function runLoad(options: LoadOptions): Promise<LoadResult> {
  const log = options.log ?? ((line: string) => console.log(line));
  const url = options.url.replace(/\/$/, "");
  const health = await readHealth(url);
  const archivePath = health.archive ?? join(health.dataDir ?? ".attache", "archive.jsonl");
  const tail = new ArchiveTail(
    archivePath,
    await stat(archivePath).then(
      (s) => s.size,
      () => 0,
    ),
  );
  const runId = randomUUID().slice(0, 8);
  const articles = buildArticles(options.samples, options.articles, runId);
  const ids = articles.map((a) => a.id);
  const ours = new Set(ids);
  log(`load ${runId}: ${articles.length} articles, ${options.concurrency} at a time, to ${url}`);

  const sentAt = new Map<string, number>();
  const seenCodedAt = new Map<string, number>();
  const archive: ArchivedEvent[] = [];
  const absorb = async () => {
    const now = Date.now();
    for (const event of await tail.read()) {
      const id = articleIdOf(event);
      if (!id || !ours.has(id)) continue;
      archive.push(event);
      if (event["detail-type"] === "ArticleCoded" && !seenCodedAt.has(id)) seenCodedAt.set(id, now);
    }
  };

  const publishFailures: string[] = [];
  const started = Date.now();
  let polling = true;
  const poller = (async () => {
    while (polling) {
      await absorb();
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  })();
  let sent = 0;
  await runPool(articles, options.concurrency, async (article) => {
    sentAt.set(article.id, Date.now());
    const res = await fetch(`${url}/articles`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(article),
    }).catch((error: unknown) => ({ status: 0, text: async () => String(error) }));
    if (res.status !== 202) publishFailures.push(`${article.id}: ${res.status} ${await res.text()}`);
    else await res.text();
    sent += 1;
    if (sent % 1000 === 0) log(`  published ${sent}, coded ${seenCodedAt.size}`);
  });
  const publishMs = Date.now() - started;
  log(`published ${articles.length - publishFailures.length} in ${(publishMs / 1000).toFixed(1)} s`);

  const expected = articles.length - publishFailures.length;
  const deadline = Date.now() + options.timeoutMs;
  let lastReport = Date.now();
  while (seenCodedAt.size < expected && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 200));
    if (Date.now() - lastReport > 10_000) {
      lastReport = Date.now();
      log(`  coded ${seenCodedAt.size} of ${expected}`);
    }
  }
  // Let the emitter finish the last versions' events, then read everything once more.
  const codedDone = Date.now();
  await waitForQuiet(url);
  polling = false;
  await poller;
  await absorb();
  const totalMs = (seenCodedAt.size > 0 ? Math.max(...seenCodedAt.values()) : codedDone) - started;

  const stored = new Map<string, StoredView | null>();
  await runPool(ids, options.concurrency, async (id) => {
    const res = await fetch(`${url}/articles/${encodeURIComponent(id)}`);
    stored.set(id, res.status === 200 ? ((await res.json()) as StoredView) : null);
    if (res.status !== 200) await res.text();
  });
  const after = await readHealth(url);
  const verification = verifyRun({
    articleIds: ids.filter((id) => !publishFailures.some((f) => f.startsWith(`${id}:`))),
    archive,
    stored,
    deadLetters: deadLetterDepth(after),
    streamFailedRecords: (after.stream?.failedRecords ?? 0) - (health.stream?.failedRecords ?? 0),
  });
  const latencies = [...seenCodedAt].map(([id, at]) => at - sentAt.get(id)!);
  const codedLatencies = archive
    .filter((e) => e["detail-type"] === "ArticleCoded" && e.detail.codedAt)
    .map((e) => Date.parse(e.detail.codedAt!) - sentAt.get(articleIdOf(e)!)!);
  return {
    verification,
    publishFailures,
    durationsMs: { publish: publishMs, total: totalMs },
    throughput: seenCodedAt.size / (totalMs / 1000),
    latencyMs: summarize(latencies),
    codedLatencyMs: summarize(codedLatencies),
  };
}

/** Waits until the coder's queue is empty and the stream poller has caught up twice in a row. */
async function waitForQuiet(url: string): Promise<void> {
  let previous = "";
  for (let i = 0; i < 600; i += 1) {
    const health = await readHealth(url);
    const busy = Object.entries(health.queues ?? {})
      .filter(([name]) => name.endsWith("-coder"))
      .some(([, q]) => q.visible + q.inFlight > 0);
    const fingerprint = JSON.stringify(health.stream);
    if (!busy && fingerprint === previous) return;
    previous = fingerprint;
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
}

async function readSamples(path: string): Promise<LoadArticle[]> {
  const text = await readFile(path, "utf8");
  return text
    .split("\n")
    .filter((line) => line.trim().length > 0)
    .map((line) => JSON.parse(line) as LoadArticle);
}

function formatMs(stats: { p50: number; p90: number; p99: number; max: number }): string {
  const f = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
  return `p50 ${f(stats.p50)}, p90 ${f(stats.p90)}, p99 ${f(stats.p99)}, max ${f(stats.max)}`;
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      articles: { type: "string", default: "1000" },
      concurrency: { type: "string", default: "16" },
      url: { type: "string", default: `http://127.0.0.1:${process.env.PORT ?? "3000"}` },
      samples: { type: "string", default: "events/samples/articles.jsonl" },
      timeout: { type: "string", default: "3600" },
      json: { type: "string" },
    },
  });
  const articles = Number(values.articles);
  const concurrency = Number(values.concurrency);
  if (!Number.isInteger(articles) || articles < 1) throw new Error("--articles must be a positive integer");
  if (!Number.isInteger(concurrency) || concurrency < 1)
    throw new Error("--concurrency must be a positive integer");
  const result = await runLoad({
    url: values.url,
    articles,
    concurrency,
    timeoutMs: Number(values.timeout) * 1000,
    samples: await readSamples(values.samples),
  });
  const { verification: v } = result;
  console.log("");
  console.log(`articles        ${v.counts.articles} published, ${result.publishFailures.length} refused`);
  console.log(
    `archive         ${v.counts.published} ArticlePublished, ${v.counts.articleCoded} ArticleCoded, ${v.counts.diplomaticEventCoded} DiplomaticEventCoded, ${v.counts.stanceRecorded} StanceRecorded`,
  );
  console.log(`stored          ${v.counts.storedEvents} events, ${v.counts.storedStances} stances`);
  console.log(
    `throughput      ${result.throughput.toFixed(1)} articles/s (publishing took ${(result.durationsMs.publish / 1000).toFixed(1)} s, all coded after ${(result.durationsMs.total / 1000).toFixed(1)} s)`,
  );
  console.log(`latency         POST → ArticleCoded on the bus: ${formatMs(result.latencyMs)}`);
  console.log(`                POST → stored (codedAt):        ${formatMs(result.codedLatencyMs)}`);
  for (const failure of result.publishFailures.slice(0, 10)) console.log(`refused         ${failure}`);
  if (v.ok)
    console.log("verified        every article stored once, every derived event announced once, DLQ empty");
  for (const problem of v.problems) console.log(`PROBLEM         ${problem}`);
  if (values.json) await writeFile(values.json, `${JSON.stringify(result, null, 2)}\n`, "utf8");
  if (!v.ok || result.publishFailures.length > 0) process.exitCode = 1;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main().catch((error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exitCode = 1;
  });
}
