// A lower-priority consumer (the local aggregator) waits while another is busy, but only
// up to its limit beyond the batching window, so it is never starved.
import { describe, expect, it } from "vitest";
import { createLambdaContext } from "../../../local/lambda-context.js";
import { LocalQueue, QueueConsumer } from "../../../local/queue.js";

function setUp(busy: { value: boolean }) {
  let now = 1_000_000;
  const queue = new LocalQueue({
    name: "yielding",
    region: "us-east-1",
    account: "000000000000",
    visibilityTimeoutMs: 10_000,
    clock: () => now,
  });
  const invoked: number[] = [];
  const consumer = new QueueConsumer(
    queue,
    async (event) => {
      invoked.push(event.Records.length);
      return { batchItemFailures: [] };
    },
    {
      batchSize: 10,
      maxBatchingWindowMs: 100,
      yieldWhile: () => busy.value,
      maxYieldMs: 2_000,
      createContext: () =>
        createLambdaContext({ functionName: "f", region: "us-east-1", account: "0", timeoutMs: 1000 }),
    },
  );
  return { queue, consumer, invoked, advance: (ms: number) => (now += ms) };
}

describe("a yielding queue consumer", () => {
  it("waits while the other consumer is busy and goes once it is idle", async () => {
    const busy = { value: true };
    const { queue, consumer, invoked, advance } = setUp(busy);
    for (let i = 0; i < 10; i += 1) queue.send(`m${i}`);
    // A full batch is due at once, but the other consumer is busy.
    expect((await consumer.pollOnce()).invoked).toBe(false);
    advance(500);
    expect((await consumer.pollOnce()).invoked).toBe(false);
    busy.value = false;
    expect((await consumer.pollOnce()).succeeded).toHaveLength(10);
    expect(invoked).toEqual([10]);
  });

  it("goes anyway once its messages have waited the window and the limit", async () => {
    const busy = { value: true };
    const { queue, consumer, advance } = setUp(busy);
    queue.send("only");
    advance(2_099);
    expect((await consumer.pollOnce()).invoked).toBe(false);
    advance(1);
    expect((await consumer.pollOnce()).succeeded).toHaveLength(1);
  });
});
