// One DynamoDB Local for the whole test run. Integration and end-to-end tests
// read its endpoint from ATTACHE_TEST_DYNAMODB_ENDPOINT and create their own
// uniquely named tables, so test files never see each other's data.
import { type DynamoDbLocal, startDynamoDbLocal } from "../local/dynamodb-local.js";

let engine: DynamoDbLocal | undefined;

export async function setup(): Promise<void> {
  engine = await startDynamoDbLocal({ startTimeoutMs: 60_000 });
  process.env.ATTACHE_TEST_DYNAMODB_ENDPOINT = engine.endpoint;
}

export async function teardown(): Promise<void> {
  await engine?.stop();
}
