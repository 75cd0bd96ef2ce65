// Lambda entry point for the aggregator queue: real adapters, wired once per cold start.
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { createAggregator } from "../core/aggregates/aggregate-contribution.js";
import { readAggregationConfig } from "../core/aggregates/config.js";
import { readRequiredEnv } from "../shared/environment.js";
import { createObservability } from "../shared/observability.js";
import { createAggregatorHandler } from "./create-aggregator-handler.js";
import { createDynamoDbAggregateStore } from "./dynamodb-aggregate-store.js";

const tableName = readRequiredEnv("TABLE_NAME");
// Read at cold start: a bad setting stops the function before it aggregates anything.
const config = readAggregationConfig(process.env);
const { logger, metrics } = createObservability("aggregator");
const store = createDynamoDbAggregateStore({
  client: new DynamoDBClient({}),
  tableName,
});

export const handler = createAggregatorHandler({
  aggregate: createAggregator({ store, config }),
  logger,
  metrics,
});
