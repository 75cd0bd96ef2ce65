// A second reference for cold starts: a handler whose whole work is one DynamoDB GetItem
// through the AWS SDK client, bundled exactly as the real functions are. Every Attaché
// function that touches DynamoDB pays at least this before any code of its own runs:
// loading and initialising the client, then signing, connecting and waiting for the first
// answer. Its ratio to the empty handler is the floor under the cold-start target.
import { DynamoDBClient, GetItemCommand } from "@aws-sdk/client-dynamodb";
import { TABLE_PARTITION_KEY, TABLE_SORT_KEY } from "../functions/shared/table-schema.js";

const tableName = process.env.TABLE_NAME;
if (!tableName) throw new Error("TABLE_NAME is not set");
const client = new DynamoDBClient({});

export const handler = async (): Promise<{ statusCode: number; body: string }> => {
  await client.send(
    new GetItemCommand({
      TableName: tableName,
      Key: { [TABLE_PARTITION_KEY]: { S: "ARTICLE#sdk-floor" }, [TABLE_SORT_KEY]: { S: "META" } },
    }),
  );
  return { statusCode: 200, body: "" };
};
