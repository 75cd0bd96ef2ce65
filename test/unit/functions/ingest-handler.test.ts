import { beforeEach, describe, expect, it } from "vitest";
import { MAX_BODY_CHARS } from "../../../events/article-published.js";
import { ARTICLES_SOURCE, DetailType } from "../../../events/routing.js";
import { createIngestHandler, type IngestHandler } from "../../../functions/ingest/create-ingest-handler.js";
import { FakeEventPublisher } from "../../fakes/fake-event-publisher.js";
import { createTestObservability, type TestObservability } from "../../fakes/observability.js";
import { buildPostArticlesEvent, readSampleArticle } from "./lambda-events.js";

const article = readSampleArticle("seed-china-fm");

interface ErrorBody {
  error: { code: string; message: string; issues: { path: string; message: string }[] };
}

describe("ingest handler (POST /articles)", () => {
  let publisher: FakeEventPublisher;
  let observability: TestObservability;
  let handler: IngestHandler;

  beforeEach(() => {
    publisher = new FakeEventPublisher();
    observability = createTestObservability();
    handler = createIngestHandler({
      publisher,
      logger: observability.logger,
      metrics: observability.metrics,
      ensureReady: () => publisher.assertBusExists(),
    });
  });

  async function post(body: unknown, headers?: Record<string, string>) {
    const raw = typeof body === "string" || body === null ? body : JSON.stringify(body);
    const result = await handler(buildPostArticlesEvent(raw as string | null, headers));
    return { status: result.statusCode, json: JSON.parse(result.body) as ErrorBody & { articleId?: string } };
  }

  it("answers 202 with the article id and puts ArticlePublished on the bus", async () => {
    const { status, json } = await post(article);
    expect(status).toBe(202);
    expect(json).toEqual({ articleId: "seed-001" });
    expect(publisher.published).toHaveLength(1);
    expect(publisher.published[0]).toMatchObject({
      source: ARTICLES_SOURCE,
      detailType: DetailType.ArticlePublished,
      detail: article,
    });
    expect(observability.recordedMetrics.get("ArticlesAccepted")).toBe(1);
  });

  it("accepts a base64-encoded body and a charset in the content type", async () => {
    const event = buildPostArticlesEvent(Buffer.from(JSON.stringify(article)).toString("base64"), {
      "content-type": "application/json; charset=utf-8",
    });
    const result = await handler({ ...event, isBase64Encoded: true });
    expect(result.statusCode).toBe(202);
  });

  it.each([
    ["malformed JSON", '{"id": "x",', 400, "MalformedJson", ""],
    ["an empty body", "", 400, "EmptyBody", ""],
    ["a missing title", { ...article, title: undefined }, 400, "ValidationFailed", "title"],
    ["a mistyped body", { ...article, body: 42 }, 400, "ValidationFailed", "body"],
    [
      "an invalid publishedAt",
      { ...article, publishedAt: "1 April 2025" },
      400,
      "ValidationFailed",
      "publishedAt",
    ],
    ["an invalid url", { ...article, url: "ftp://example.org/x" }, 400, "ValidationFailed", "url"],
    ["an id with a path separator", { ...article, id: "a/b" }, 400, "ValidationFailed", "id"],
    ["an unsupported language", { ...article, language: "fr" }, 400, "UnsupportedLanguage", "language"],
    [
      "a body over the size limit",
      { ...article, body: "x".repeat(MAX_BODY_CHARS + 1) },
      413,
      "PayloadTooLarge",
      "body",
    ],
    [
      "a title over the size limit",
      { ...article, title: "t".repeat(1_001) },
      413,
      "PayloadTooLarge",
      "title",
    ],
    ["a JSON array", [article], 400, "ValidationFailed", ""],
  ])("refuses %s naming the field", async (_name, body, status, code, path) => {
    const { status: actual, json } = await post(body);
    expect(actual).toBe(status);
    expect(json.error.code).toBe(code);
    expect(json.error.issues.map((i) => i.path)).toContain(path);
    expect(publisher.published).toHaveLength(0);
  });

  it("refuses a body of non-Latin text over the byte limit though under the character limit", async () => {
    const { status, json } = await post({ ...article, body: "文".repeat(120_000) });
    expect(status).toBe(413);
    expect(json.error.issues[0]?.path).toBe("body");
  });

  it("refuses a wrong or missing content type with 415", async () => {
    const wrong = await post(article, { "Content-Type": "text/plain" });
    expect(wrong.status).toBe(415);
    expect(wrong.json.error.issues[0]?.path).toBe("content-type");
    const missing = await post(article, {});
    expect(missing.status).toBe(415);
  });

  it("refuses a request over a megabyte before parsing it", async () => {
    const { status, json } = await post(`{"body": "${"x".repeat(1_000_001)}"}`);
    expect(status).toBe(413);
    expect(json.error.code).toBe("PayloadTooLarge");
  });

  it("answers 503 when the bus refuses the event, without claiming it was accepted", async () => {
    publisher.failWhen = () => "ThrottlingException";
    const { status, json } = await post(article);
    expect(status).toBe(503);
    expect(json.error.code).toBe("PublishFailed");
  });

  it("fails when the bus does not exist", async () => {
    publisher.busExists = false;
    await expect(handler(buildPostArticlesEvent(JSON.stringify(article)))).rejects.toThrow(/no such bus/);
  });
});
