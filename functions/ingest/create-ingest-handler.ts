// POST /articles: validate at the edge, then put ArticlePublished on the bus. The answer
// is 202: coding happens asynchronously; GET /articles/{id} shows the result.
import type { Logger } from "@aws-lambda-powertools/logger";
import { type Metrics, MetricUnit } from "@aws-lambda-powertools/metrics";
import type { APIGatewayProxyEvent, APIGatewayProxyResult, Context } from "aws-lambda";
import { ArticleSchema, MAX_BODY_CHARS, MAX_TITLE_CHARS } from "../../events/article-published.js";
import { ARTICLES_SOURCE, DetailType } from "../../events/routing.js";
import { EventPublishError } from "../core/errors.js";
import type { EventPublisher } from "../core/ports.js";
import { readHeader, respondError, respondJson, toErrorIssues } from "../shared/http.js";

/**
 * Bytes of request body read at all: the largest valid article (200,000 characters of
 * body, 1,000 of title) as escaped JSON fits well inside, and anything larger is refused
 * before parsing.
 */
export const MAX_REQUEST_BYTES = 1_000_000;

export interface IngestDeps {
  publisher: EventPublisher;
  logger: Logger;
  metrics: Metrics;
  /** Checks run once per cold start (the bus exists). */
  ensureReady?: () => Promise<void>;
}

export type IngestHandler = (
  event: APIGatewayProxyEvent,
  context?: Context,
) => Promise<APIGatewayProxyResult>;

function decodeBody(event: APIGatewayProxyEvent): string {
  if (event.body == null) return "";
  return event.isBase64Encoded ? Buffer.from(event.body, "base64").toString("utf8") : event.body;
}

function isJsonContentType(value: string | undefined): boolean {
  if (!value) return false;
  const mediaType = value.split(";")[0]!.trim().toLowerCase();
  return (
    mediaType === "application/json" || (mediaType.startsWith("application/") && mediaType.endsWith("+json"))
  );
}

function validateRequest(
  event: APIGatewayProxyEvent,
): { article: ReturnType<typeof ArticleSchema.parse> } | { error: APIGatewayProxyResult } {
  const contentType = readHeader(event, "content-type");
  if (!isJsonContentType(contentType)) {
    return {
      error: respondError(415, "UnsupportedMediaType", "send the article as JSON", [
        {
          path: "content-type",
          message: `must be application/json, got ${contentType ? `"${contentType}"` : "none"}`,
        },
      ]),
    };
  }
  const raw = decodeBody(event);
  if (raw.trim() === "") {
    return {
      error: respondError(400, "EmptyBody", "the request has no body", [
        { path: "", message: "request body is empty" },
      ]),
    };
  }
  if (Buffer.byteLength(raw, "utf8") > MAX_REQUEST_BYTES) {
    return {
      error: respondError(413, "PayloadTooLarge", `the request is over ${MAX_REQUEST_BYTES} bytes`, [
        { path: "", message: `request body must be at most ${MAX_REQUEST_BYTES} bytes` },
      ]),
    };
  }
  let json: unknown;
  try {
    json = JSON.parse(raw);
  } catch (error) {
    return {
      error: respondError(400, "MalformedJson", "the body is not valid JSON", [
        { path: "", message: (error as Error).message },
      ]),
    };
  }
  const parsed = ArticleSchema.safeParse(json);
  if (parsed.success) return { article: parsed.data };

  const issues = toErrorIssues(parsed.error.issues);
  const tooBig = parsed.error.issues.some(
    (issue) => issue.code === "too_big" || (issue.code === "custom" && issue.path[0] === "body"),
  );
  if (tooBig) {
    return {
      error: respondError(
        413,
        "PayloadTooLarge",
        `the article is too large (title at most ${MAX_TITLE_CHARS} characters, body at most ${MAX_BODY_CHARS})`,
        issues,
      ),
    };
  }
  const onlyLanguage = parsed.error.issues.every((issue) => issue.path[0] === "language");
  if (onlyLanguage)
    return { error: respondError(400, "UnsupportedLanguage", "only English articles are coded", issues) };
  return { error: respondError(400, "ValidationFailed", "the article is not valid", issues) };
}

export function createIngestHandler(deps: IngestDeps): IngestHandler {
  const { logger, metrics, publisher } = deps;
  return async (event, context) => {
    if (context) logger.addContext(context);
    try {
      await deps.ensureReady?.();
      const validated = validateRequest(event);
      if ("error" in validated) {
        metrics.addMetric("ArticlesRejected", MetricUnit.Count, 1);
        logger.info("article rejected", {
          statusCode: validated.error.statusCode,
          response: JSON.parse(validated.error.body),
        });
        return validated.error;
      }
      const { article } = validated;
      try {
        await publisher.publish([
          { source: ARTICLES_SOURCE, detailType: DetailType.ArticlePublished, detail: article },
        ]);
      } catch (error) {
        logger.error("could not publish the article", {
          articleId: article.id,
          error: error as Error,
          failed: error instanceof EventPublishError ? error.failed.map((f) => f.errorCode) : undefined,
        });
        metrics.addMetric("ArticlePublishFailures", MetricUnit.Count, 1);
        return respondError(503, "PublishFailed", "the article could not be queued; retry later");
      }
      metrics.addMetric("ArticlesAccepted", MetricUnit.Count, 1);
      logger.info("article accepted", {
        articleId: article.id,
        titleChars: article.title.length,
        bodyChars: article.body.length,
      });
      return respondJson(
        202,
        { articleId: article.id },
        { location: `/articles/${encodeURIComponent(article.id)}` },
      );
    } finally {
      metrics.publishStoredMetrics();
    }
  };
}
