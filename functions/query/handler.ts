// Lambda entry point for GET /articles/{id}: real adapters, wired once per cold start.
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { createDynamoDbArticleStore } from "../adapters/dynamodb-article-store.js";
import { readRequiredEnv } from "../shared/environment.js";
import { createObservability } from "../shared/observability.js";
import { createQueryHandler } from "./create-query-handler.js";

const tableName = readRequiredEnv("TABLE_NAME");
const { logger, metrics, tracer } = createObservability("query");
const store = createDynamoDbArticleStore({
  client: tracer.captureAWSv3Client(new DynamoDBClient({})),
  tableName,
});

export const handler = createQueryHandler({ store, logger, metrics });
