import { beforeEach, describe, expect, it } from "vitest";
import { processArticle } from "../../../functions/core/process-article.js";
import { createQueryHandler, type QueryHandler } from "../../../functions/query/create-query-handler.js";
import { codeArticleFake } from "../../fakes/fake-coder.js";
import { InMemoryArticleStore } from "../../fakes/in-memory-article-store.js";
import { createTestObservability } from "../../fakes/observability.js";
import { buildGetArticleEvent, readSampleArticle } from "./lambda-events.js";

const article = { ...readSampleArticle("japan-brazil-energy") };

describe("query handler (GET /articles/{id})", () => {
  let store: InMemoryArticleStore;
  let handler: QueryHandler;

  beforeEach(() => {
    store = new InMemoryArticleStore();
    const { logger, metrics } = createTestObservability();
    handler = createQueryHandler({ store, logger, metrics });
  });

  it("answers 404 before the article is coded", async () => {
    const result = await handler(buildGetArticleEvent(article.id));
    expect(result.statusCode).toBe(404);
    expect(JSON.parse(result.body).error).toMatchObject({ code: "NotFound", issues: [{ path: "id" }] });
  });

  it("answers the current version with its events and stances", async () => {
    await processArticle(article, {
      store,
      codeArticle: codeArticleFake,
      clock: { now: () => new Date("2025-03-12T09:31:00Z") },
      coderVersion: "test-coder@1",
    });
    const result = await handler(buildGetArticleEvent(article.id));
    expect(result.statusCode).toBe(200);
    const body = JSON.parse(result.body);
    expect(Object.keys(body).sort()).toEqual(["article", "events", "stances"]);
    expect(body.article).toMatchObject({ id: article.id, body: article.body, version: 1 });
    expect(body.events).toEqual(codeArticleFake(article).events);
    expect(body.stances).toEqual(codeArticleFake(article).stances);
  });

  it("decodes a percent-encoded id", async () => {
    await processArticle(article, {
      store,
      codeArticle: codeArticleFake,
      clock: { now: () => new Date("2025-03-12T09:31:00Z") },
      coderVersion: "test-coder@1",
    });
    const result = await handler(buildGetArticleEvent(article.id.replace(/-/g, "%2D")));
    expect(result.statusCode).toBe(200);
  });

  it.each([["a/b"], [""], ["x".repeat(201)], ["%E0%A4%A"]])(
    "answers 400 naming the id for %j",
    async (id) => {
      const result = await handler(buildGetArticleEvent(id));
      expect(result.statusCode).toBe(400);
      expect(JSON.parse(result.body).error.issues[0].path).toBe("id");
    },
  );

  it("answers 400 when the path has no id", async () => {
    const result = await handler(buildGetArticleEvent(undefined));
    expect(result.statusCode).toBe(400);
  });
});
