// Test helper: a uniquely named table on the run's DynamoDB Local, so test files never
// see each other's data.
import { randomUUID } from "node:crypto";
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { createTable } from "../../functions/shared/create-table.js";

export function createTestClient(): DynamoDBClient {
  const endpoint = process.env.ATTACHE_TEST_DYNAMODB_ENDPOINT;
  if (!endpoint)
    throw new Error("ATTACHE_TEST_DYNAMODB_ENDPOINT is not set: run through vitest's global setup");
  return new DynamoDBClient({
    endpoint,
    region: "us-east-1",
    credentials: { accessKeyId: "local", secretAccessKey: "local" },
  });
}

export async function createTestTable(
  client: DynamoDBClient,
  prefix = "attache-test",
): Promise<{ tableName: string; streamArn?: string }> {
  const tableName = `${prefix}-${randomUUID().slice(0, 8)}`;
  return createTable(client, tableName);
}
