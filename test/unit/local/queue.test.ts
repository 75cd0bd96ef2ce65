// The queue and its consumer under a hand-moved clock: every step in time is
// explicit, so nothing here depends on how fast the machine is.
import type { SQSBatchResponse, SQSEvent } from "aws-lambda";
import { describe, expect, it } from "vitest";
import { createLambdaContext } from "../../../local/lambda-context.js";
import { type DeadLetter, InvocationTimeoutError, LocalQueue, QueueConsumer } from "../../../local/queue.js";

function setup(options: { batchSize?: number; windowMs?: number; maxReceiveCount?: number } = {}) {
  let now = 1_000_000;
  const clock = () => now;
  const deadLetters: DeadLetter[] = [];
  const dlq = new LocalQueue({
    name: "dlq",
    region: "us-east-1",
    account: "1",
    visibilityTimeoutMs: 1000,
    clock,
  });
  const queue = new LocalQueue({
    name: "work",
    region: "us-east-1",
    account: "1",
    visibilityTimeoutMs: 30_000,
    maxReceiveCount: options.maxReceiveCount ?? 3,
    deadLetterQueue: dlq,
    clock,
    onDeadLetter: (d) => deadLetters.push(d),
  });
  const invocations: SQSEvent[] = [];
  let respond: (event: SQSEvent) => Promise<SQSBatchResponse | undefined> = async () => undefined;
  const consumer = new QueueConsumer(
    queue,
    async (event) => {
      invocations.push(event);
      return respond(event);
    },
    {
      batchSize: options.batchSize ?? 3,
      maxBatchingWindowMs: options.windowMs ?? 500,
      createContext: () =>
        createLambdaContext({ functionName: "f", region: "us-east-1", account: "1", timeoutMs: 1 }),
    },
  );
  return {
    queue,
    dlq,
    consumer,
    invocations,
    deadLetters,
    advance: (ms: number) => {
      now += ms;
    },
    respondWith: (fn: typeof respond) => {
      respond = fn;
    },
    bodies: (event: SQSEvent | undefined) => event?.Records.map((r) => r.body) ?? [],
  };
}

describe("batching", () => {
  it("waits for the batching window unless a full batch is ready", async () => {
    const t = setup({ batchSize: 3, windowMs: 500 });
    t.queue.send("a");
    t.queue.send("b");
    expect((await t.consumer.pollOnce()).invoked).toBe(false);
    t.advance(499);
    expect((await t.consumer.pollOnce()).invoked).toBe(false);
    t.advance(1);
    const outcome = await t.consumer.pollOnce();
    expect(outcome.invoked).toBe(true);
    expect(t.bodies(t.invocations[0])).toEqual(["a", "b"]);
  });

  it("invokes at once with a full batch, oldest first, never more than the batch size", async () => {
    const t = setup({ batchSize: 3, windowMs: 60_000 });
    for (const body of ["1", "2", "3", "4", "5"]) t.queue.send(body);
    await t.consumer.pollOnce();
    expect(t.bodies(t.invocations[0])).toEqual(["1", "2", "3"]);
    expect((await t.consumer.pollOnce()).invoked).toBe(false);
    t.advance(60_000);
    await t.consumer.pollOnce();
    expect(t.bodies(t.invocations[1])).toEqual(["4", "5"]);
  });

  it("hands the handler SQS records as Lambda shapes them", async () => {
    const t = setup({ batchSize: 1 });
    const id = t.queue.send('{"hello":"world"}');
    await t.consumer.pollOnce();
    const record = t.invocations[0]!.Records[0]!;
    expect(record).toMatchObject({
      messageId: id,
      body: '{"hello":"world"}',
      eventSource: "aws:sqs",
      eventSourceARN: "arn:aws:sqs:us-east-1:1:work",
      awsRegion: "us-east-1",
      md5OfBody: "fbc24bcc7a1794758fc1327fcfebdaf6",
      attributes: { ApproximateReceiveCount: "1", SentTimestamp: "1000000" },
    });
    expect(record.receiptHandle).not.toBe("");
  });

  it("deletes a batch that succeeded", async () => {
    const t = setup({ batchSize: 2 });
    t.queue.send("a");
    t.queue.send("b");
    const outcome = await t.consumer.pollOnce();
    expect(outcome.succeeded).toHaveLength(2);
    expect(t.queue.stats()).toEqual({ visible: 0, inFlight: 0 });
  });
});

describe("partial batch responses", () => {
  it("retries only the reported messages, after the visibility timeout", async () => {
    const t = setup({ batchSize: 3 });
    const [a, b, c] = ["a", "b", "c"].map((body) => t.queue.send(body));
    t.respondWith(async () => ({ batchItemFailures: [{ itemIdentifier: b! }] }));
    const first = await t.consumer.pollOnce();
    expect(first.succeeded.sort()).toEqual([a, c].sort());
    expect(first.failed).toEqual([b]);
    expect(t.queue.stats()).toEqual({ visible: 0, inFlight: 1 });

    // Invisible until the visibility timeout ends.
    t.advance(29_999);
    expect((await t.consumer.pollOnce()).invoked).toBe(false);
    t.advance(1 + 500);
    t.respondWith(async () => undefined);
    await t.consumer.pollOnce();
    const retry = t.invocations[1]!.Records;
    expect(retry.map((r) => r.body)).toEqual(["b"]);
    expect(retry[0]!.attributes.ApproximateReceiveCount).toBe("2");
    expect(t.queue.stats()).toEqual({ visible: 0, inFlight: 0 });
  });

  it("treats a thrown error as the whole batch failing", async () => {
    const t = setup({ batchSize: 2 });
    t.queue.send("a");
    t.queue.send("b");
    t.respondWith(async () => {
      throw new Error("table unavailable");
    });
    const outcome = await t.consumer.pollOnce();
    expect(outcome.failed).toHaveLength(2);
    expect(t.queue.peek().map((m) => m.lastFailure)).toEqual([
      expect.stringContaining("Error: table unavailable"),
      expect.stringContaining("Error: table unavailable"),
    ]);
  });

  it("treats an identifier that is not in the batch as the whole batch failing, as Lambda does", async () => {
    const t = setup({ batchSize: 2 });
    t.queue.send("a");
    t.queue.send("b");
    t.respondWith(async () => ({ batchItemFailures: [{ itemIdentifier: "not-a-message" }] }));
    const outcome = await t.consumer.pollOnce();
    expect(outcome.failed).toHaveLength(2);
    expect(outcome.succeeded).toHaveLength(0);
  });

  it("an empty batchItemFailures list means every message succeeded", async () => {
    const t = setup({ batchSize: 1 });
    t.queue.send("a");
    t.respondWith(async () => ({ batchItemFailures: [] }));
    expect((await t.consumer.pollOnce()).succeeded).toHaveLength(1);
  });
});

describe("redrive to the dead-letter queue", () => {
  it("moves a message after maxReceiveCount receives, with the failure reason attached", async () => {
    const t = setup({ batchSize: 1, maxReceiveCount: 2 });
    const id = t.queue.send("poison");
    t.respondWith(async (event) => ({
      batchItemFailures: [{ itemIdentifier: event.Records[0]!.messageId }],
    }));
    await t.consumer.pollOnce();
    t.advance(30_000);
    await t.consumer.pollOnce();
    expect(t.invocations).toHaveLength(2);
    t.advance(30_000);
    // The third receive finds it over the limit: redriven, not delivered.
    expect((await t.consumer.pollOnce()).invoked).toBe(false);
    expect(t.invocations).toHaveLength(2);
    expect(t.queue.stats()).toEqual({ visible: 0, inFlight: 0 });

    const [dead] = t.dlq.peek();
    expect(dead?.body).toBe("poison");
    expect(dead?.messageAttributes).toMatchObject({
      sourceQueue: "work",
      sourceMessageId: id,
      receiveCount: "2",
      failureReason: expect.stringContaining("batchItemFailures"),
    });
    expect(t.deadLetters).toHaveLength(1);
    expect(t.deadLetters[0]!.reason).toContain("receive 2");
  });

  it("keeps healthy messages flowing while one is retried", async () => {
    const t = setup({ batchSize: 2, maxReceiveCount: 1 });
    t.queue.send("bad");
    t.queue.send("good");
    t.respondWith(async (event) => ({
      batchItemFailures: event.Records.filter((r) => r.body === "bad").map((r) => ({
        itemIdentifier: r.messageId,
      })),
    }));
    await t.consumer.pollOnce();
    t.queue.send("later");
    t.advance(30_000);
    await t.consumer.pollOnce();
    expect(t.invocations.map((i) => t.bodies(i))).toEqual([["bad", "good"], ["later"]]);
    expect(t.dlq.peek().map((m) => m.body)).toEqual(["bad"]);
  });

  it("a dead-letter queue requires maxReceiveCount", () => {
    const dlq = new LocalQueue({ name: "d", region: "r", account: "1", visibilityTimeoutMs: 1 });
    expect(
      () =>
        new LocalQueue({
          name: "q",
          region: "r",
          account: "1",
          visibilityTimeoutMs: 1,
          deadLetterQueue: dlq,
        }),
    ).toThrow(RangeError);
  });
});

describe("the function timeout", () => {
  it("fails an invocation that never answers, so the queue keeps moving", async () => {
    const queue = new LocalQueue({
      name: "slow",
      region: "us-east-1",
      account: "1",
      visibilityTimeoutMs: 1000,
    });
    const errors: unknown[] = [];
    const consumer = new QueueConsumer(queue, () => new Promise<never>(() => undefined), {
      batchSize: 1,
      maxBatchingWindowMs: 0,
      timeoutMs: 20,
      createContext: () =>
        createLambdaContext({ functionName: "f", region: "r", account: "1", timeoutMs: 20 }),
      onInvocationError: (error) => errors.push(error),
    });
    queue.send("stuck");
    const outcome = await consumer.pollOnce();
    expect(outcome.failed).toHaveLength(1);
    expect(errors[0]).toBeInstanceOf(InvocationTimeoutError);
    expect(queue.peek()[0]!.lastFailure).toContain("Task timed out after 0.02 seconds");
  });
});

describe("the running consumer", () => {
  it("drains what is sent and stops cleanly", async () => {
    const queue = new LocalQueue({
      name: "live",
      region: "us-east-1",
      account: "1",
      visibilityTimeoutMs: 1000,
    });
    const received: string[] = [];
    let release: () => void = () => undefined;
    const allDone = new Promise<void>((resolve) => {
      release = resolve;
    });
    const consumer = new QueueConsumer(
      queue,
      async (event) => {
        received.push(...event.Records.map((r) => r.body));
        if (received.length === 3) release();
        return undefined;
      },
      {
        batchSize: 10,
        maxBatchingWindowMs: 0,
        createContext: () =>
          createLambdaContext({ functionName: "f", region: "r", account: "1", timeoutMs: 1 }),
      },
    );
    consumer.start();
    queue.send("x");
    queue.send("y");
    queue.send("z");
    await allDone;
    await consumer.stop();
    expect(received.sort()).toEqual(["x", "y", "z"]);
    expect(queue.stats()).toEqual({ visible: 0, inFlight: 0 });
  });
});

describe("concurrent batches", () => {
  /** A consumer whose invocations wait until the test releases them, one by one. */
  function holdingConsumer(options: { concurrency: number; batchSize: number; clock?: () => number }) {
    const queue = new LocalQueue({
      name: "parallel",
      region: "us-east-1",
      account: "1",
      visibilityTimeoutMs: 60_000,
      ...(options.clock ? { clock: options.clock } : {}),
    });
    const held: Array<{ ids: string[]; finish: (response?: SQSBatchResponse) => void }> = [];
    const inFlight = new Map<string, number>();
    const deliveries: string[] = [];
    let maxInFlight = 0;
    let overlaps = 0;
    let wake: () => void = () => undefined;
    const consumer = new QueueConsumer(
      queue,
      (event) =>
        new Promise<SQSBatchResponse | undefined>((resolve) => {
          const ids = event.Records.map((r) => r.messageId);
          for (const id of ids) {
            if (inFlight.has(id)) overlaps += 1;
            inFlight.set(id, (inFlight.get(id) ?? 0) + 1);
            deliveries.push(id);
          }
          held.push({
            ids,
            finish: (response) => {
              for (const id of ids) inFlight.delete(id);
              resolve(response);
            },
          });
          maxInFlight = Math.max(maxInFlight, held.length);
          wake();
        }),
      {
        batchSize: options.batchSize,
        maxBatchingWindowMs: 0,
        maxConcurrency: options.concurrency,
        createContext: () =>
          createLambdaContext({ functionName: "f", region: "r", account: "1", timeoutMs: 1 }),
      },
    );
    /** Resolves once `n` invocations are held (the consumer runs on its own timers). */
    const untilHeld = (n: number) =>
      new Promise<void>((resolve) => {
        wake = () => {
          if (held.length >= n) resolve();
        };
        wake();
      });
    return {
      queue,
      consumer,
      held,
      deliveries,
      untilHeld,
      stats: () => ({ maxInFlight, overlaps }),
    };
  }

  it("keeps up to maxConcurrency batches in flight, never one message in two of them", async () => {
    const t = holdingConsumer({ concurrency: 4, batchSize: 3 });
    const sent = Array.from({ length: 25 }, (_, i) => t.queue.send(`m${i}`));
    t.consumer.start();
    await t.untilHeld(4);
    expect(t.consumer.inFlightBatches).toBe(4);
    expect(t.queue.stats()).toEqual({ visible: 25 - 12, inFlight: 12 });
    // Finish them out of order, as concurrent invocations do.
    let finished = 0;
    while (finished < 9) {
      await t.untilHeld(Math.min(4, 9 - finished));
      const batch = t.held.splice(t.held.length - 1, 1)[0]!;
      batch.finish();
      finished += 1;
    }
    await t.consumer.stop();
    expect(t.stats()).toEqual({ maxInFlight: 4, overlaps: 0 });
    expect([...t.deliveries].sort()).toEqual([...sent].sort());
    expect(t.queue.stats()).toEqual({ visible: 0, inFlight: 0 });
  });

  it("a failed message of one batch is not handed to another batch before its visibility timeout", async () => {
    let now = 5_000_000;
    const t = holdingConsumer({ concurrency: 3, batchSize: 2, clock: () => now });
    const ids = ["a", "b", "c", "d"].map((body) => t.queue.send(body));
    t.consumer.start();
    await t.untilHeld(2);
    const first = t.held.shift()!;
    first.finish({ batchItemFailures: [{ itemIdentifier: first.ids[0]! }] });
    t.held.shift()!.finish();
    // Nothing is visible while the failed message's timeout runs: no new batch starts.
    await new Promise((resolve) => setImmediate(resolve));
    expect(t.queue.stats()).toEqual({ visible: 0, inFlight: 1 });
    expect(t.held).toHaveLength(0);
    now += 60_000;
    t.queue.send("e");
    await t.untilHeld(1);
    t.held.shift()!.finish();
    await t.consumer.stop();
    expect(t.deliveries.filter((id) => id === first.ids[0])).toHaveLength(2);
    expect(t.deliveries).toHaveLength(ids.length + 2);
    expect(t.stats().overlaps).toBe(0);
    expect(t.queue.stats()).toEqual({ visible: 0, inFlight: 0 });
  });

  it("does not receive a message again while its invocation runs past the visibility timeout", async () => {
    let now = 7_000_000;
    const t = holdingConsumer({ concurrency: 3, batchSize: 1, clock: () => now });
    const slow = t.queue.send("slow");
    t.consumer.start();
    await t.untilHeld(1);
    now += 120_000;
    const next = t.queue.send("next");
    await t.untilHeld(2);
    expect(t.held.map((h) => h.ids)).toEqual([[slow], [next]]);
    for (const batch of t.held.splice(0)) batch.finish();
    await t.consumer.stop();
    expect(t.deliveries).toEqual([slow, next]);
    expect(t.stats().overlaps).toBe(0);
  });

  it("refuses a concurrency below one", () => {
    const queue = new LocalQueue({ name: "q", region: "r", account: "1", visibilityTimeoutMs: 1 });
    expect(
      () =>
        new QueueConsumer(queue, async () => undefined, {
          batchSize: 1,
          maxBatchingWindowMs: 0,
          maxConcurrency: 0,
          createContext: () =>
            createLambdaContext({ functionName: "f", region: "r", account: "1", timeoutMs: 1 }),
        }),
    ).toThrow(RangeError);
  });
});
