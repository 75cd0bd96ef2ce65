import { describe, expect, it } from "vitest";
import {
  chunkEntries,
  createEventBridgePublisher,
  ENTRY_TOO_LARGE,
  MAX_REQUEST_BYTES,
} from "../../../functions/adapters/eventbridge-publisher.js";
import { EventBusNotFoundError, EventPublishError } from "../../../functions/core/errors.js";
import type { BusEntry } from "../../../functions/core/ports.js";
import { FakeEventBridgeClient } from "../../fakes/fake-eventbridge-client.js";

const entry = (n: number, detail: Record<string, unknown> = {}): BusEntry => ({
  source: "attache.coder",
  detailType: "DiplomaticEventCoded",
  detail: { n, ...detail },
});

function createPublisher(client: FakeEventBridgeClient, maxAttempts = 4) {
  const sleeps: number[] = [];
  const publisher = createEventBridgePublisher({
    client,
    eventBusName: "attache-bus",
    maxAttempts,
    baseDelayMs: 100,
    sleep: async (ms) => {
      sleeps.push(ms);
    },
    random: () => 0.5,
  });
  return { publisher, sleeps };
}

const sentNumbers = (entries: { Detail?: string }[]) => entries.map((e) => JSON.parse(e.Detail!).n as number);

describe("EventBridge publisher", () => {
  it("sends at most 10 entries a call, in order, on the configured bus", async () => {
    const client = new FakeEventBridgeClient();
    const { publisher } = createPublisher(client);
    await publisher.publish(Array.from({ length: 23 }, (_, i) => entry(i)));
    expect(client.putEventsCalls.map((c) => c.length)).toEqual([10, 10, 3]);
    expect(client.putEventsCalls.flatMap(sentNumbers)).toEqual(Array.from({ length: 23 }, (_, i) => i));
    expect(client.putEventsCalls[0]![0]).toMatchObject({
      EventBusName: "attache-bus",
      Source: "attache.coder",
    });
  });

  it("splits calls so no request exceeds 1 MB", async () => {
    const client = new FakeEventBridgeClient();
    const { publisher } = createPublisher(client);
    const big = "x".repeat(400_000);
    await publisher.publish([entry(0, { big }), entry(1, { big }), entry(2, { big }), entry(3)]);
    expect(client.putEventsCalls.map(sentNumbers)).toEqual([
      [0, 1],
      [2, 3],
    ]);
  });

  it("chunks by count and size", () => {
    const sizes = [600_000, 500_000, 10, 10];
    expect(chunkEntries(sizes.map((bytes) => ({ bytes }))).map((c) => c.length)).toEqual([1, 3]);
    expect(chunkEntries(Array.from({ length: 11 }, () => ({ bytes: 1 }))).map((c) => c.length)).toEqual([
      10, 1,
    ]);
  });

  it("resends only the entries that failed, with growing backoff", async () => {
    const client = new FakeEventBridgeClient();
    // Entries 2 and 5 fail on the first call; entry 5 fails again on the second.
    client.answer = (e, call) => {
      const n = JSON.parse(e.Detail!).n as number;
      if ((call === 1 && (n === 2 || n === 5)) || (call === 2 && n === 5)) {
        return { ErrorCode: "ThrottlingException", ErrorMessage: "Rate exceeded" };
      }
      return { EventId: `id-${n}` };
    };
    const { publisher, sleeps } = createPublisher(client);
    await publisher.publish(Array.from({ length: 8 }, (_, i) => entry(i)));
    expect(client.putEventsCalls.map(sentNumbers)).toEqual([[0, 1, 2, 3, 4, 5, 6, 7], [2, 5], [5]]);
    expect(sleeps).toEqual([50, 100]);
  });

  it("gives up after its attempts and names the entries that never got through", async () => {
    const client = new FakeEventBridgeClient();
    client.answer = (e) =>
      JSON.parse(e.Detail!).n === 1
        ? { ErrorCode: "InternalFailure", ErrorMessage: "boom" }
        : { EventId: "ok" };
    const { publisher } = createPublisher(client, 3);
    const error = await publisher.publish([entry(0), entry(1), entry(2)]).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(EventPublishError);
    expect((error as EventPublishError).failed).toEqual([
      { index: 1, entry: entry(1), errorCode: "InternalFailure", errorMessage: "boom" },
    ]);
    expect(client.putEventsCalls.map(sentNumbers)).toEqual([[0, 1, 2], [1], [1]]);
  });

  it("retries a call that threw, then reports its error name", async () => {
    const client = new FakeEventBridgeClient();
    client.throwOnCall = (call) =>
      call === 1 ? Object.assign(new Error("socket hang up"), { name: "TimeoutError" }) : undefined;
    const { publisher } = createPublisher(client);
    await publisher.publish([entry(0), entry(1)]);
    expect(client.putEventsCalls.map(sentNumbers)).toEqual([
      [0, 1],
      [0, 1],
    ]);

    const always = new FakeEventBridgeClient();
    always.throwOnCall = () => Object.assign(new Error("down"), { name: "ServiceUnavailable" });
    const failing = createPublisher(always, 2).publisher;
    const error = (await failing.publish([entry(0)]).catch((e: unknown) => e)) as EventPublishError;
    expect(error.failed.map((f) => f.errorCode)).toEqual(["ServiceUnavailable"]);
  });

  it("refuses an entry too large for any call before sending, and still sends the rest", async () => {
    const client = new FakeEventBridgeClient();
    const { publisher } = createPublisher(client);
    const error = (await publisher
      .publish([entry(0), entry(1, { huge: "x".repeat(MAX_REQUEST_BYTES) }), entry(2)])
      .catch((e: unknown) => e)) as EventPublishError;
    expect(error).toBeInstanceOf(EventPublishError);
    expect(error.failed.map((f) => [f.index, f.errorCode])).toEqual([[1, ENTRY_TOO_LARGE]]);
    expect(client.putEventsCalls.flatMap(sentNumbers)).toEqual([0, 2]);
  });

  it("treats a result without an event id as failed", async () => {
    const client = new FakeEventBridgeClient();
    client.answer = (_e, call) => (call === 1 ? {} : { EventId: "ok" });
    const { publisher } = createPublisher(client);
    await publisher.publish([entry(0)]);
    expect(client.putEventsCalls).toHaveLength(2);
  });

  it("checks that the bus exists", async () => {
    const client = new FakeEventBridgeClient();
    await expect(createPublisher(client).publisher.assertBusExists()).resolves.toBeUndefined();
    client.existingBuses.clear();
    await expect(createPublisher(client).publisher.assertBusExists()).rejects.toBeInstanceOf(
      EventBusNotFoundError,
    );
    expect(client.describeCalls).toEqual(["attache-bus", "attache-bus"]);
  });
});
