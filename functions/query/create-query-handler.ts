// The read API: GET /articles/{id} (the current version with its events and stances; 404
// until coded), GET /events, GET /dyads, GET /dyads/{a}/{b}, GET /actors/{entity} and
// GET /clusters/{id} (read-routes.ts). API Gateway names the matched resource in
// `event.resource`; the local server fills it the same way.
import type { Logger } from "@aws-lambda-powertools/logger";
import { type Metrics, MetricUnit } from "@aws-lambda-powertools/metrics";
import type { APIGatewayProxyEvent, APIGatewayProxyResult, Context } from "aws-lambda";
import { ArticleIdSchema } from "../../events/common.js";
import type { ArticleStore } from "../core/ports.js";
import { respondError, respondJson, toErrorIssues } from "../shared/http.js";
import type { QueryReader } from "./read-model.js";
import { createReadRoutes, InvalidParameterError } from "./read-routes.js";

export interface QueryDeps {
  store: Pick<ArticleStore, "getCodedArticle">;
  /** The events, dyads, actors and clusters routes; a handler without one serves articles only. */
  reader?: QueryReader;
  logger: Logger;
  metrics: Metrics;
}

export type QueryHandler = (event: APIGatewayProxyEvent, context?: Context) => Promise<APIGatewayProxyResult>;

/** The resources this handler answers, as API Gateway names them. */
export const QUERY_RESOURCES = [
  "/articles/{id}",
  "/events",
  "/dyads",
  "/dyads/{a}/{b}",
  "/actors/{entity}",
  "/clusters/{id}",
] as const;
export type QueryResource = (typeof QUERY_RESOURCES)[number];

/** API Gateway may pass the id still percent-encoded; a malformed escape is just an invalid id. */
function decodePathParameter(raw: string): string {
  try {
    return decodeURIComponent(raw);
  } catch {
    return raw;
  }
}

/** Metric names per route, so dashboards can tell the routes apart. */
const ROUTE_METRICS: Record<Exclude<QueryResource, "/articles/{id}">, string> = {
  "/events": "EventsListed",
  "/dyads": "NetworksRead",
  "/dyads/{a}/{b}": "DyadsRead",
  "/actors/{entity}": "ActorsRead",
  "/clusters/{id}": "ClustersRead",
};

export function createQueryHandler(deps: QueryDeps): QueryHandler {
  const { logger, metrics } = deps;
  const routes = deps.reader ? createReadRoutes(deps.reader) : undefined;

  async function answerArticle(event: APIGatewayProxyEvent): Promise<APIGatewayProxyResult> {
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
  }

  return async (event, context) => {
    if (context) logger.addContext(context);
    try {
      if (event.httpMethod && event.httpMethod.toUpperCase() !== "GET") {
        return respondError(405, "MethodNotAllowed", `${event.httpMethod} is not supported here; use GET`);
      }
      // Before the read routes existed, API Gateway sent this handler only /articles/{id}.
      const resource = event.resource || "/articles/{id}";
      if (resource === "/articles/{id}") return await answerArticle(event);
      if (!routes) {
        return respondError(404, "NotFound", `no route for GET ${resource}`);
      }
      try {
        let result: APIGatewayProxyResult;
        switch (resource) {
          case "/events":
            result = await routes.answerEvents(event);
            break;
          case "/dyads":
            result = await routes.answerDyadList(event);
            break;
          case "/dyads/{a}/{b}":
            result = await routes.answerDyad(event);
            break;
          case "/actors/{entity}":
            result = await routes.answerActor(event);
            break;
          case "/clusters/{id}":
            result = await routes.answerCluster(event);
            break;
          default:
            return respondError(404, "NotFound", `no route for GET ${resource}`);
        }
        metrics.addMetric(ROUTE_METRICS[resource], MetricUnit.Count, 1);
        return result;
      } catch (error) {
        if (error instanceof InvalidParameterError) {
          metrics.addMetric("InvalidQueries", MetricUnit.Count, 1);
          const names = error.issues.map((issue) => issue.path).join(", ");
          return respondError(400, "InvalidParameter", `invalid parameter: ${names}`, error.issues);
        }
        throw error;
      }
    } finally {
      metrics.publishStoredMetrics();
    }
  };
}
