// Creates the single table from table-schema.ts on any DynamoDB endpoint (DynamoDB Local
// in tests and the local stack). The deployed table comes from the CDK stack, which reads
// the same schema module, so both describe one layout.
import {
  CreateTableCommand,
  type CreateTableCommandInput,
  type DynamoDBClient,
  ResourceInUseException,
  waitUntilTableExists,
} from "@aws-sdk/client-dynamodb";
import {
  GLOBAL_SECONDARY_INDEXES,
  TABLE_PARTITION_KEY,
  TABLE_SORT_KEY,
  TABLE_STREAM_VIEW,
} from "./table-schema.js";

export class CreateTableError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = "CreateTableError";
  }
}

export interface CreateTableOptions {
  /** Whether the table has a stream (the emitter's input). Default true. */
  stream?: boolean;
  /** How long to wait for ACTIVE. */
  maxWaitSeconds?: number;
}

/** The CreateTable request for the table layout, for callers that want to inspect or tweak it. */
export function describeTableInput(
  tableName: string,
  options: CreateTableOptions = {},
): CreateTableCommandInput {
  const keyAttributes = [TABLE_PARTITION_KEY, TABLE_SORT_KEY];
  for (const index of GLOBAL_SECONDARY_INDEXES) keyAttributes.push(index.partitionKey, index.sortKey);
  return {
    TableName: tableName,
    BillingMode: "PAY_PER_REQUEST",
    AttributeDefinitions: [...new Set(keyAttributes)].map((name) => ({
      AttributeName: name,
      AttributeType: "S",
    })),
    KeySchema: [
      { AttributeName: TABLE_PARTITION_KEY, KeyType: "HASH" },
      { AttributeName: TABLE_SORT_KEY, KeyType: "RANGE" },
    ],
    GlobalSecondaryIndexes: GLOBAL_SECONDARY_INDEXES.map((index) => ({
      IndexName: index.indexName,
      KeySchema: [
        { AttributeName: index.partitionKey, KeyType: "HASH" },
        { AttributeName: index.sortKey, KeyType: "RANGE" },
      ],
      Projection: { ProjectionType: "ALL" },
    })),
    ...(options.stream === false
      ? {}
      : { StreamSpecification: { StreamEnabled: true, StreamViewType: TABLE_STREAM_VIEW } }),
  };
}

/**
 * Creates the table and waits until it is ACTIVE. Returns the stream ARN when the table
 * has a stream. A table that already exists is left as it is (so restarts reuse data).
 */
export async function createTable(
  client: DynamoDBClient,
  tableName: string,
  options: CreateTableOptions = {},
): Promise<{ tableName: string; streamArn?: string; created: boolean }> {
  let created = true;
  try {
    await client.send(new CreateTableCommand(describeTableInput(tableName, options)));
  } catch (error) {
    if (!(error instanceof ResourceInUseException)) {
      throw new CreateTableError(`could not create table ${tableName}`, { cause: error });
    }
    created = false;
  }
  try {
    const result = await waitUntilTableExists(
      { client, maxWaitTime: options.maxWaitSeconds ?? 60, minDelay: 1, maxDelay: 2 },
      { TableName: tableName },
    );
    const streamArn = result.reason?.Table?.LatestStreamArn as string | undefined;
    return { tableName, created, ...(streamArn ? { streamArn } : {}) };
  } catch (error) {
    throw new CreateTableError(`table ${tableName} did not become ACTIVE`, { cause: error });
  }
}
