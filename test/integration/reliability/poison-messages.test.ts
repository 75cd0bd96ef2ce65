// Poison messages: a message that always fails leaves the coder's queue for the DLQ after
// the configured receives, carrying the reason it failed, while the rest of its batch is
// coded on the first receive. A message that failed for a reason since fixed comes back
// from the DLQ with a redrive and is coded. The real coder handler, on the local queue,
// under a hand-moved clock.
import { describe, expect, it } from "vitest";
import { createCoderHandler } from "../../../functions/coder/create-coder-handler.js";
import { StoreWriteError } from "../../../functions/core/errors.js";
import type { ArticleVersion, CurrentVersion, SaveOutcome } from "../../../functions/core/ports.js";
import { createLambdaContext } from "../../../local/lambda-context.js";
import { type DeadLetter, LocalQueue, QueueConsumer, redriveMessages } from "../../../local/queue.js";
import { codeArticleFake } from "../../fakes/fake-coder.js";
import { InMemoryArticleStore } from "../../fakes/in-memory-article-store.js";
import { createTestObservability } from "../../fakes/observability.js";
import { createArticlePublishedEnvelope, createShortArticle } from "../../support/articles.js";

/** A store whose saves fail while `broken` is set, like a table whose writes are refused. */
class BreakableStore extends InMemoryArticleStore {
  broken = false;
  override async saveVersion(next: ArticleVersion, previous: CurrentVersion | null): Promise<SaveOutcome> {
    if (this.broken) throw new StoreWriteError("the table refused the write (simulated outage)");
    return super.saveVersion(next, previous);
  }
}

function setup(maxReceiveCount = 3) {
  let now = 1_000_000;
  const clock = () => now;
  const deadLetters: DeadLetter[] = [];
  const dlq = new LocalQueue({
    name: "coder-dlq",
    region: "us-east-1",
    account: "1",
    visibilityTimeoutMs: 1_000,
    clock,
  });
  const queue = new LocalQueue({
    name: "coder",
    region: "us-east-1",
    account: "1",
    visibilityTimeoutMs: 30_000,
    maxReceiveCount,
    deadLetterQueue: dlq,
    clock,
    onDeadLetter: (deadLetter) => deadLetters.push(deadLetter),
  });
  const store = new BreakableStore();
  const observability = createTestObservability();
  const handler = createCoderHandler({
    store,
    codeArticle: codeArticleFake,
    clock: { now: () => new Date("2025-04-01T12:00:10Z") },
    coderVersion: "test",
    ...observability,
  });
  const responses: unknown[] = [];
  const consumer = new QueueConsumer(
    queue,
    async (event, context) => {
      const response = await handler(event, context);
      responses.push(response);
      return response;
    },
    {
      batchSize: 10,
      maxBatchingWindowMs: 0,
      createContext: () =>
        createLambdaContext({ functionName: "coder", region: "us-east-1", account: "1", timeoutMs: 60_000 }),
    },
  );
  /** Polls until the queue is empty, stepping past each visibility timeout; returns the invocations. */
  const drain = async () => {
    let invocations = 0;
    for (let round = 0; round < 20 && queue.stats().visible + queue.stats().inFlight > 0; round += 1) {
      if ((await consumer.pollOnce()).invoked) invocations += 1;
      now += 30_000;
    }
    return invocations;
  };
  const send = (detail: unknown) => queue.send(JSON.stringify(createArticlePublishedEnvelope(detail)));
  return { queue, dlq, store, deadLetters, responses, consumer, drain, send, observability };
}

describe("poison messages on the coder's queue", () => {
  it("codes the rest of the batch at once and moves the poison message to the DLQ after 3 receives, with why", async () => {
    const t = setup(3);
    const good1 = createShortArticle("poison-good-1");
    const good2 = createShortArticle("poison-good-2");
    t.send(good1);
    const poisonId = t.send({ ...createShortArticle("poison-bad-1"), publishedAt: "yesterday" });
    const notJsonId = t.queue.send("{ this is not json");
    t.send(good2);

    const first = await t.consumer.pollOnce();
    // The handler names only the two bad messages; the good ones are coded and deleted.
    expect(t.responses[0]).toEqual({
      batchItemFailures: [{ itemIdentifier: poisonId }, { itemIdentifier: notJsonId }],
    });
    expect(first.succeeded).toHaveLength(2);
    expect(await t.store.getCurrentVersion(good1.id)).toMatchObject({ version: 1 });
    expect(await t.store.getCurrentVersion(good2.id)).toMatchObject({ version: 1 });

    await t.drain();
    expect(t.queue.stats()).toEqual({ visible: 0, inFlight: 0 });
    expect(t.deadLetters.map((d) => [d.message.messageId, d.message.receiveCount])).toEqual([
      [poisonId, 3],
      [notJsonId, 3],
    ]);
    // The reason travels with the dead letter: the field and the problem, not a generic note.
    const [poison, notJson] = t.dlq.peek();
    expect(poison?.messageAttributes.failureReason).toMatch(
      /^InvalidInputError: message is not a valid ArticlePublished event \(detail\.publishedAt: must be an ISO 8601 date-time/,
    );
    expect(poison?.messageAttributes.failureReason).toContain("(receive 3 at ");
    expect(notJson?.messageAttributes.failureReason).toMatch(/^InvalidInputError: message body is not JSON/);
    expect(t.observability.recordedMetrics.get("PoisonMessages")).toBe(6);
  });

  it("re-drives a message that failed during an outage once the outage is fixed, and codes it once", async () => {
    const t = setup(2);
    const article = createShortArticle("redrive-1");
    t.store.broken = true;
    t.send(article);
    await t.drain();
    expect(t.deadLetters).toHaveLength(1);
    expect(t.dlq.peek()[0]?.messageAttributes.failureReason).toMatch(
      /^StoreWriteError: the table refused the write \(simulated outage\)/,
    );
    expect(await t.store.getCurrentVersion(article.id)).toBeNull();

    t.store.broken = false;
    expect(redriveMessages(t.dlq, t.queue)).toEqual({ moved: 1 });
    expect(t.dlq.stats()).toEqual({ visible: 0, inFlight: 0 });
    // Back on the queue as it was published: same body, a fresh receive count, no failure notes.
    const [back] = t.queue.peek();
    expect(back?.receiveCount).toBe(0);
    expect(back?.messageAttributes).toEqual({});

    await t.drain();
    expect(await t.store.getCurrentVersion(article.id)).toMatchObject({ version: 1 });
    expect(t.dlq.stats().visible).toBe(0);

    // A second redrive of the same article (an operator re-driving twice) changes nothing.
    t.send(article);
    await t.drain();
    expect(t.store.saveCalls).toBe(1);
  });
});
