// End to end on the local stack: articles are POSTed at a steady rate (an open
// loop: the schedule never waits for answers, as independent publishers would
// not) and each one's latency runs from just before its POST to the moment its
// first DiplomaticEventCoded is read from the bus archive.
import type { Article } from "../coder/types.js";
import { type ArchiveTail, waitForArchive } from "./archive-tail.js";
import { type SampleSummary, summarizeSamples } from "./stats.js";

export interface StepResult {
  offeredRate: number;
  durationS: number;
  published: number;
  publishErrors: number;
  /** Articles per second actually sent (the schedule can slip on a loaded machine). */
  achievedRate: number;
  /** Publish → first DiplomaticEventCoded, for articles that produced events. */
  latency: SampleSummary | null;
  /** Publish → ArticleCoded, for every article. */
  codedLatency: SampleSummary | null;
  /** Medians of the stages: publish → ArticlePublished on the bus, → coder's clock, → first event on the bus. */
  stages: { ingestMs: number; queueAndCoderStartMs: number; coderToFirstEventMs: number } | null;
  articlesWithEvents: number;
  /** Articles not yet coded one second after the last publish. */
  backlogAfter1s: number;
  /** Articles never coded within the drain timeout. */
  lost: number;
  /** Coded articles per second over the step, from first publish to last ArticleCoded. */
  completedRate: number;
  /** p99 under the target and nothing left behind. */
  sustained: boolean;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export async function runLoadStep(options: {
  url: string;
  tail: ArchiveTail;
  articles: readonly Article[];
  rate: number;
  durationMs: number;
  idPrefix: string;
  p99TargetMs: number;
  drainTimeoutMs?: number;
}): Promise<StepResult> {
  const { url, tail, articles, rate, durationMs, idPrefix } = options;
  const total = Math.round((rate * durationMs) / 1000);
  const sent = new Map<string, number>();
  const requests: Promise<void>[] = [];
  let publishErrors = 0;
  const start = performance.now();
  for (let i = 0; i < total; i++) {
    const due = start + (i * 1000) / rate;
    const wait = due - performance.now();
    if (wait >= 1) await sleep(wait);
    const source = articles[i % articles.length] as Article;
    const article = { ...source, id: `${idPrefix}-${String(i).padStart(5, "0")}` };
    const body = JSON.stringify(article);
    sent.set(article.id, performance.now());
    requests.push(
      fetch(`${url}/articles`, { method: "POST", headers: { "content-type": "application/json" }, body })
        .then(async (response) => {
          await response.arrayBuffer();
          if (response.status !== 202) publishErrors += 1;
        })
        .catch(() => {
          publishErrors += 1;
        }),
    );
  }
  const lastSent = performance.now();
  await Promise.all(requests);

  const ids = [...sent.keys()];
  const coded = () => ids.filter((id) => tail.sightings.get(id)?.codedAt !== undefined).length;
  await waitForArchive(tail, () => performance.now() >= lastSent + 1000 || coded() === ids.length, 2000);
  const backlogAfter1s = ids.length - coded();
  await waitForArchive(tail, () => coded() === ids.length, options.drainTimeoutMs ?? 20_000);

  const latencies: number[] = [];
  const codedLatencies: number[] = [];
  const ingest: number[] = [];
  const queue: number[] = [];
  const coderToEvent: number[] = [];
  let lastCoded = start;
  for (const [id, sentAt] of sent) {
    const seen = tail.sightings.get(id);
    if (seen?.codedAt === undefined) continue;
    codedLatencies.push(seen.codedAt - sentAt);
    lastCoded = Math.max(lastCoded, seen.codedAt);
    if (seen.firstEventAt !== undefined) {
      latencies.push(seen.firstEventAt - sentAt);
      if (seen.publishedAt !== undefined && seen.coderClockAt !== undefined) {
        ingest.push(seen.publishedAt - sentAt);
        queue.push(seen.coderClockAt - seen.publishedAt);
        coderToEvent.push(seen.firstEventAt - seen.coderClockAt);
      }
    }
  }
  const latency = latencies.length > 0 ? summarizeSamples(latencies) : null;
  const lost = ids.length - codedLatencies.length;
  return {
    offeredRate: rate,
    durationS: durationMs / 1000,
    published: total,
    publishErrors,
    achievedRate: total / ((lastSent - start) / 1000 || 1),
    latency,
    codedLatency: codedLatencies.length > 0 ? summarizeSamples(codedLatencies) : null,
    stages:
      ingest.length > 0
        ? {
            ingestMs: summarizeSamples(ingest).p50,
            queueAndCoderStartMs: summarizeSamples(queue).p50,
            coderToFirstEventMs: summarizeSamples(coderToEvent).p50,
          }
        : null,
    articlesWithEvents: latencies.length,
    backlogAfter1s,
    lost,
    completedRate: codedLatencies.length / ((lastCoded - start) / 1000 || 1),
    sustained: latency !== null && latency.p99 < options.p99TargetMs && lost === 0 && publishErrors === 0,
  };
}
