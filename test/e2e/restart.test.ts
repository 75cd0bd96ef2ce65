// Restarting on kept data (what --persist gives a user): the table is still
// there, and the stream poller resumes after its checkpoint instead of
// emitting everything again. The test run's DynamoDB Local stands in for the
// persisted engine: the table outlives the first stack as it would on disk.
import { randomUUID } from "node:crypto";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import type { Article } from "../../coder/types.js";
import { type LocalStack, type LocalStackOptions, startLocalStack } from "../../local/stack.js";

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
let dataDir: string | undefined;
let running: LocalStack | undefined;

afterAll(async () => {
  await running?.stop();
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
});

async function archiveLines(stack: LocalStack): Promise<string[]> {
  const text = await readFile(stack.archivePath, "utf8").catch(() => "");
  return text.split("\n").filter((line) => line.length > 0);
}

describe("restarting the local stack on the same table and data directory", { timeout: 90_000 }, () => {
  it("serves what was coded before and does not emit it again", async () => {
    dataDir = await mkdtemp(join(tmpdir(), "attache-restart-"));
    const options: LocalStackOptions = {
      port: 0,
      dataDir,
      dynamoDbEndpoint: process.env.ATTACHE_TEST_DYNAMODB_ENDPOINT!,
      tableName: `restart-${randomUUID()}`,
      log: () => undefined,
      coderQueue: { maxBatchingWindowMs: 20 },
      stream: { pollIntervalMs: 50 },
    };
    const seed = JSON.parse(
      await readFile(join(import.meta.dirname, "../../events/samples/articles/seed-china-fm.json"), "utf8"),
    ) as Article;

    running = await startLocalStack(options);
    const first = running;
    const posted = await fetch(`${first.url}/articles`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(seed),
    });
    expect(posted.status).toBe(202);
    // Coded and fully emitted: ArticleCoded is in the archive.
    let before: string[] = [];
    while (!before.some((line) => line.includes('"detail-type":"ArticleCoded"'))) {
      await sleep(100);
      before = await archiveLines(first);
    }
    // Let the poller reach the end of the shard and checkpoint it.
    const health = async (stack: LocalStack) =>
      (await (await fetch(`${stack.url}/health`)).json()) as { stream: { records: number } };
    const stored = (await health(first)).stream.records;
    expect(stored).toBeGreaterThan(0);
    await first.stop();
    running = undefined;

    // The same port: the handlers' clients, made at their cold start, still point at it.
    const port = Number(new URL(first.url).port);
    await expect(startLocalStack({ ...options, port: 0 })).rejects.toThrow(/same port/);
    running = await startLocalStack({ ...options, port });
    const second = running;
    const res = await fetch(`${second.url}/articles/${seed.id}`);
    expect(res.status).toBe(200);
    // A write after the restart is emitted, and only it: the poller resumed after its checkpoint.
    const again = await fetch(`${second.url}/articles`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ ...seed, id: `after-restart-${randomUUID()}` }),
    });
    expect(again.status).toBe(202);
    let after: string[] = [];
    while (after.filter((line) => line.includes('"detail-type":"ArticleCoded"')).length < 2) {
      await sleep(100);
      after = await archiveLines(second);
    }
    const codedIds = after
      .map((line) => JSON.parse(line) as { "detail-type": string; detail: { articleId?: string } })
      .filter((event) => event["detail-type"] === "ArticleCoded")
      .map((event) => event.detail.articleId);
    expect(codedIds[0]).toBe(seed.id);
    expect(codedIds[1]).toMatch(/^after-restart-/);
    expect(codedIds).toHaveLength(2);
  });
});
