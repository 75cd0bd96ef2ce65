// The whole pipeline in one process: the API, the bus, the coder's queue, the
// table and its stream, the emitter, and the archive, with the real handlers
// and the real coder. It reuses the test run's DynamoDB Local on its own table.
import { randomUUID } from "node:crypto";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { EventBridgeClient, PutEventsCommand } from "@aws-sdk/client-eventbridge";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { codeArticle } from "../../coder/index.js";
import type { Article, CodedEvent, Stance } from "../../coder/types.js";
import type { EventEnvelope } from "../../local/event-bus.js";
import { type LocalStack, startLocalStack } from "../../local/stack.js";

const seedPath = join(import.meta.dirname, "../../events/samples/articles/seed-china-fm.json");

let stack: LocalStack;
let dataDir: string;
let seed: Article;
const lines: string[] = [];
const errors: string[] = [];

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Polls until `probe` returns a value; the test's own timeout bounds the wait. */
async function eventually<T>(probe: () => Promise<T | undefined>): Promise<T> {
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    await sleep(100);
  }
}

async function readArchive(): Promise<EventEnvelope[]> {
  const text = await readFile(stack.archivePath, "utf8").catch(() => "");
  return text
    .split("\n")
    .filter((line) => line.length > 0)
    .map((line) => JSON.parse(line) as EventEnvelope);
}

interface Answer {
  article: Article;
  events: CodedEvent[];
  stances: Stance[];
}

async function waitUntilCoded(id: string): Promise<Answer> {
  return eventually(async () => {
    const res = await fetch(`${stack.url}/articles/${encodeURIComponent(id)}`);
    if (res.status === 404) {
      await res.body?.cancel();
      return undefined;
    }
    expect(res.status).toBe(200);
    return (await res.json()) as Answer;
  });
}

/** Waits until the emitter has put ArticleCoded for `id` on the bus, then returns the archive. */
async function waitForArticleCoded(id: string): Promise<EventEnvelope[]> {
  return eventually(async () => {
    const archive = await readArchive();
    const coded = archive.some(
      (e) => e["detail-type"] === "ArticleCoded" && (e.detail as { articleId?: string }).articleId === id,
    );
    return coded ? archive : undefined;
  });
}

beforeAll(async () => {
  seed = JSON.parse(await readFile(seedPath, "utf8")) as Article;
  dataDir = await mkdtemp(join(tmpdir(), "attache-e2e-"));
  stack = await startLocalStack({
    port: 0,
    dataDir,
    dynamoDbEndpoint: process.env.ATTACHE_TEST_DYNAMODB_ENDPOINT!,
    tableName: `e2e-${randomUUID()}`,
    log: (line) => lines.push(line),
    logError: (line) => errors.push(line),
    // Quick redelivery, so the dead-letter path runs within a test.
    coderQueue: { maxBatchingWindowMs: 20, visibilityTimeoutMs: 100, maxReceiveCount: 2 },
    stream: { pollIntervalMs: 50 },
  });
});

afterAll(async () => {
  await stack?.stop();
  await rm(dataDir, { recursive: true, force: true });
});

// Generous: on a busy shared machine the first coding can take a while; nothing here is timed.
describe("the local stack, end to end", { timeout: 90_000 }, () => {
  it("answers /health with ok and names its parts", async () => {
    const res = await fetch(`${stack.url}/health`);
    expect(res.status).toBe(200);
    const health = await res.json();
    expect(health).toMatchObject({
      status: "ok",
      table: stack.tableName,
      eventBus: { name: stack.eventBusName },
      archive: stack.archivePath,
      stream: { streamArn: expect.stringContaining(stack.tableName) },
    });
    expect(stack.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
  });

  it("codes the seed article posted to the API, stores it, and emits every derived event", async () => {
    const posted = await fetch(`${stack.url}/articles`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(seed),
    });
    expect(posted.status).toBe(202);
    expect(await posted.json()).toEqual({ articleId: seed.id });

    const answer = await waitUntilCoded(seed.id);
    expect(answer.article).toMatchObject({ id: seed.id, title: seed.title });
    expect(answer.events.length).toBeGreaterThanOrEqual(1);

    // What the API serves is what the coder computes from the text, nothing canned.
    const expected = codeArticle(seed);
    expect(answer.events.map((e) => e.id).sort()).toEqual(expected.events.map((e) => e.id).sort());
    expect(answer.stances.map((s) => s.id).sort()).toEqual(expected.stances.map((s) => s.id).sort());
    for (const event of answer.events) {
      expect(event.evidence.text).toBe(
        seed[event.evidence.field].slice(event.evidence.start, event.evidence.end),
      );
    }

    // The outbox: one DiplomaticEventCoded per stored event, one StanceRecorded per stance.
    const archive = await waitForArticleCoded(seed.id);
    const about = (type: string) =>
      archive.filter(
        (e) => e["detail-type"] === type && (e.detail as { articleId?: string }).articleId === seed.id,
      );
    const diplomatic = about("DiplomaticEventCoded");
    expect(diplomatic.map((e) => (e.detail as { event: CodedEvent }).event.id).sort()).toEqual(
      answer.events.map((e) => e.id).sort(),
    );
    expect(about("StanceRecorded")).toHaveLength(answer.stances.length);
    expect(about("ArticleCoded")).toHaveLength(1);
    expect(about("ArticleCoded")[0]!.detail).toMatchObject({
      articleId: seed.id,
      eventCount: answer.events.length,
      stanceCount: answer.stances.length,
    });
    expect(
      archive.filter(
        (e) => e["detail-type"] === "ArticlePublished" && e.detail && (e.detail as Article).id === seed.id,
      ),
    ).toHaveLength(1);
    for (const envelope of diplomatic) {
      expect(envelope).toMatchObject({ version: "0", source: "attache.coder", region: "us-east-1" });
      expect(envelope.id).toMatch(/^[0-9a-f-]{36}$/);
    }

    // And the user saw it flow by.
    expect(
      lines.some((line) => line.startsWith("DiplomaticEventCoded") && line.includes(`(${seed.id})`)),
    ).toBe(true);
    expect(errors).toEqual([]);
  });

  it("codes an article a publisher puts on the bus itself, through the EventBridge API", async () => {
    const article: Article = { ...seed, id: `direct-${randomUUID()}` };
    const client = new EventBridgeClient({
      region: "us-east-1",
      endpoint: stack.url,
      credentials: { accessKeyId: "local", secretAccessKey: "local" },
    });
    try {
      const answer = await client.send(
        new PutEventsCommand({
          Entries: [
            {
              EventBusName: stack.eventBusName,
              Source: "attache.articles",
              DetailType: "ArticlePublished",
              Detail: JSON.stringify(article),
            },
          ],
        }),
      );
      expect(answer.FailedEntryCount).toBe(0);
    } finally {
      client.destroy();
    }
    const coded = await waitUntilCoded(article.id);
    expect(coded.events.length).toBeGreaterThanOrEqual(1);
  });

  it("moves an article the coder cannot take to the dead-letter queue, with the reason", async () => {
    // Publishers on the bus skip the API's validation; the coder refuses what is not an article.
    const id = `broken-${randomUUID()}`;
    const client = new EventBridgeClient({
      region: "us-east-1",
      endpoint: stack.url,
      credentials: { accessKeyId: "local", secretAccessKey: "local" },
    });
    try {
      await client.send(
        new PutEventsCommand({
          Entries: [
            {
              EventBusName: stack.eventBusName,
              Source: "attache.articles",
              DetailType: "ArticlePublished",
              Detail: JSON.stringify({ id, title: "no body, no date" }),
            },
          ],
        }),
      );
    } finally {
      client.destroy();
    }
    const deadLetter = await eventually(async () => {
      const text = await readFile(join(dataDir, "dead-letters.jsonl"), "utf8").catch(() => "");
      return text
        .split("\n")
        .filter((line) => line.includes(id))
        .map((line) => JSON.parse(line) as { receiveCount: number; reason: string; body: string })[0];
    });
    expect(deadLetter.receiveCount).toBe(2);
    // Either the handler's own error (a whole batch failing) or its partial batch response.
    expect(deadLetter.reason).toMatch(/InvalidInputError|batchItemFailures/);
    expect(deadLetter.reason).toContain("receive 2");
    expect((JSON.parse(deadLetter.body) as EventEnvelope).detail).toMatchObject({ id });
    const health = (await (await fetch(`${stack.url}/health`)).json()) as {
      queues: Record<string, { visible: number }>;
    };
    expect(health.queues["attache-local-coder-dlq"]!.visible).toBeGreaterThanOrEqual(1);
    expect(
      errors.some((line) => line.startsWith("dead letter") && line.includes("attache-local-coder-dlq")),
    ).toBe(true);
    const res = await fetch(`${stack.url}/articles/${id}`);
    expect(res.status).toBe(404);
  });

  it("passes the ingest handler's validation answers through unchanged", async () => {
    const res = await fetch(`${stack.url}/articles`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ ...seed, publishedAt: "yesterday" }),
    });
    expect(res.status).toBe(400);
    const body = (await res.json()) as { error: { issues: Array<{ path: string }> } };
    expect(body.error.issues.map((issue) => issue.path)).toContain("publishedAt");
  });

  it("answers 404 for an article that was never published", async () => {
    const res = await fetch(`${stack.url}/articles/never-${randomUUID()}`);
    expect(res.status).toBe(404);
  });
});
