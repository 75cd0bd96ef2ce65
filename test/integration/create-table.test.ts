import { DescribeTableCommand } from "@aws-sdk/client-dynamodb";
import { describe, expect, it } from "vitest";
import { createTable } from "../../functions/shared/create-table.js";
import { GLOBAL_SECONDARY_INDEXES, TABLE_STREAM_VIEW } from "../../functions/shared/table-schema.js";
import { createTestClient, createTestTable } from "./create-table.js";

describe("createTable", () => {
  it("creates the table with its indexes and a stream, and leaves an existing table alone", async () => {
    const client = createTestClient();
    const { tableName, streamArn } = await createTestTable(client);
    expect(streamArn).toMatch(/stream/);
    const { Table } = await client.send(new DescribeTableCommand({ TableName: tableName }));
    expect(Table?.GlobalSecondaryIndexes?.map((i) => i.IndexName).sort()).toEqual(
      GLOBAL_SECONDARY_INDEXES.map((i) => i.indexName).sort(),
    );
    expect(Table?.StreamSpecification?.StreamViewType).toBe(TABLE_STREAM_VIEW);
    const again = await createTable(client, tableName);
    expect(again.created).toBe(false);
    expect(again.streamArn).toBe(streamArn);
  });
});
