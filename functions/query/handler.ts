// Lambda entry point for the read API (GET /articles/{id}, /events, /dyads, /dyads/{a}/{b},
// /actors/{entity}, /clusters/{id}): real adapters, wired once per cold start. The function's
// role may only read the table.
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { createDynamoDbArticleStore } from "../adapters/dynamodb-article-store.js";
import { readRequiredEnv } from "../shared/environment.js";
import { createObservability } from "../shared/observability.js";
import { createQueryHandler } from "./create-query-handler.js";
import { createDynamoDbQueryReader } from "./dynamodb-read-model.js";

const tableName = readRequiredEnv("TABLE_NAME");
const confirmationPublishers = Number(process.env.CONFIRMATION_PUBLISHERS ?? "") || undefined;
const { logger, metrics } = createObservability("query");
const client = new DynamoDBClient({});
const store = createDynamoDbArticleStore({ client, tableName });
const reader = createDynamoDbQueryReader({
  client,
  tableName,
  ...(confirmationPublishers === undefined ? {} : { confirmationPublishers }),
});

export const handler = createQueryHandler({ store, reader, logger, metrics });
