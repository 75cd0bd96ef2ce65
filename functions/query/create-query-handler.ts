// GET /articles/{id}: the current version with its events and stances; 404 until coded.
import type { Logger } from "@aws-lambda-powertools/logger";
import { type Metrics, MetricUnit } from "@aws-lambda-powertools/metrics";
import type { APIGatewayProxyEvent, APIGatewayProxyResult, Context } from "aws-lambda";
import { ArticleIdSchema } from "../../events/common.js";
import type { ArticleStore } from "../core/ports.js";
import { respondError, respondJson, toErrorIssues } from "../shared/http.js";

export interface QueryDeps {
  store: Pick<ArticleStore, "getCodedArticle">;
  logger: Logger;
  metrics: Metrics;
}

export type QueryHandler = (event: APIGatewayProxyEvent, context?: Context) => Promise<APIGatewayProxyResult>;

/** API Gateway may pass the id still percent-encoded; a malformed escape is just an invalid id. */
function decodePathParameter(raw: string): string {
  try {
    return decodeURIComponent(raw);
  } catch {
    return raw;
  }
}

export function createQueryHandler(deps: QueryDeps): QueryHandler {
  const { logger, metrics } = deps;
  return async (event, context) => {
    if (context) logger.addContext(context);
    try {
      if (event.httpMethod && event.httpMethod.toUpperCase() !== "GET") {
        return respondError(405, "MethodNotAllowed", `${event.httpMethod} is not supported here; use GET`);
      }
      const rawId = event.pathParameters?.id;
      const id = rawId === undefined ? undefined : decodePathParameter(rawId);
      const parsed = ArticleIdSchema.safeParse(id);
      if (!parsed.success) {
        const issues = toErrorIssues(parsed.error.issues).map((issue) => ({ ...issue, path: "id" }));
        return respondError(400, "InvalidArticleId", "the article id is not valid", issues);
      }
      const view = await deps.store.getCodedArticle(parsed.data);
      if (!view) {
        metrics.addMetric("ArticlesNotFound", MetricUnit.Count, 1);
        return respondError(404, "NotFound", `article ${parsed.data} has not been coded (yet)`, [
          { path: "id", message: "no coded article with this id" },
        ]);
      }
      metrics.addMetric("ArticlesRead", MetricUnit.Count, 1);
      logger.info("article read", { articleId: parsed.data, version: view.article.version });
      return respondJson(200, view);
    } finally {
      metrics.publishStoredMetrics();
    }
  };
}
