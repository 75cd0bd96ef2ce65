// Lambda entry point for the coder queue: real adapters, wired once per cold start.
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { CODER_VERSION, codeArticle } from "../../coder/index.js";
import { createDynamoDbArticleStore } from "../adapters/dynamodb-article-store.js";
import { readRequiredEnv } from "../shared/environment.js";
import { createObservability } from "../shared/observability.js";
import { createCoderHandler } from "./create-coder-handler.js";

const tableName = readRequiredEnv("TABLE_NAME");
const { logger, metrics } = createObservability("coder");
const store = createDynamoDbArticleStore({
  client: new DynamoDBClient({}),
  tableName,
});

export const handler = createCoderHandler({
  store,
  codeArticle,
  clock: { now: () => new Date() },
  // Stored with each version so a re-coding after a coder release can be told apart.
  coderVersion: CODER_VERSION,
  logger,
  metrics,
});
