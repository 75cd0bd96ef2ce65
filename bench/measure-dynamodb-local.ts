// `npx tsx bench/measure-dynamodb-local.ts`: how many article versions a second DynamoDB
// Local can store on this machine, alone: one TransactWriteItems of 30 event-shaped items
// (the coder's write of an average article, with the index keys it carries) against
// BatchWriteItem of the same items, each at 1 to 8 callers at once, after a warm-up so the
// JVM has compiled its hot paths. It tells the engine's own ceiling apart from the rest of
// the local pipeline (section 3 of BENCHMARKS.md).
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { BatchWriteCommand, DynamoDBDocumentClient, TransactWriteCommand } from "@aws-sdk/lib-dynamodb";
import { createTable } from "../functions/shared/create-table.js";
import { startDynamoDbLocal } from "../local/dynamodb-local.js";

const ITEMS_PER_ARTICLE = 30;
const TABLE = "attache-bench-probe";
const dynamoDbLocal = await startDynamoDbLocal({});
const client = new DynamoDBClient({
  endpoint: dynamoDbLocal.endpoint,
  region: "us-east-1",
  credentials: { accessKeyId: "local", secretAccessKey: "local" },
});
const doc = DynamoDBDocumentClient.from(client);
try {
  await createTable(client, TABLE);
  // About the size of a stored event (1 KB), on all three actor indexes and the date index.
  const padding = "x".repeat(700);
  const itemOf = (article: number, i: number) => ({
    pk: `ARTICLE#probe-${article}`,
    sk: `EVENT#${String(i).padStart(4, "0")}`,
    type: "Event",
    gsi1pk: `ACTOR#A${i % 7}`,
    gsi1sk: `2025-01-0${1 + (i % 9)}#${article}#${i}`,
    gsi2pk: `TARGET#B${i % 5}`,
    gsi2sk: `2025-01-01#${article}#${i}`,
    gsi3pk: `DYAD#A${i % 7}#B${i % 5}`,
    gsi3sk: `2025-01-01#${article}#${i}`,
    padding,
  });
  let next = 0;
  const writeByTransaction = async () => {
    const article = next++;
    await doc.send(
      new TransactWriteCommand({
        TransactItems: Array.from({ length: ITEMS_PER_ARTICLE }, (_, i) => ({
          Put: { TableName: TABLE, Item: itemOf(article, i) },
        })),
      }),
    );
  };
  const writeByBatch = async () => {
    const article = next++;
    const items = Array.from({ length: ITEMS_PER_ARTICLE }, (_, i) => itemOf(article, i));
    for (let k = 0; k < items.length; k += 25) {
      const { UnprocessedItems } = await doc.send(
        new BatchWriteCommand({
          RequestItems: { [TABLE]: items.slice(k, k + 25).map((Item) => ({ PutRequest: { Item } })) },
        }),
      );
      if (UnprocessedItems && Object.keys(UnprocessedItems).length > 0)
        throw new Error("DynamoDB Local left items unprocessed");
    }
  };
  const measure = async (write: () => Promise<void>, callers: number, articles: number) => {
    let started = 0;
    const start = performance.now();
    await Promise.all(
      Array.from({ length: callers }, async () => {
        while (started < articles) {
          started++;
          await write();
        }
      }),
    );
    return articles / ((performance.now() - start) / 1000);
  };
  await measure(writeByTransaction, 4, 300);
  await measure(writeByBatch, 4, 300);
  const rows: Array<{ callers: number; transaction: number; batch: number }> = [];
  for (const callers of [1, 2, 4, 8]) {
    rows.push({
      callers,
      transaction: await measure(writeByTransaction, callers, 400),
      batch: await measure(writeByBatch, callers, 400),
    });
  }
  process.stdout.write("callers  transactions/s  batch-written articles/s\n");
  for (const row of rows) {
    process.stdout.write(
      `${String(row.callers).padStart(7)}  ${row.transaction.toFixed(1).padStart(14)}  ${row.batch.toFixed(1).padStart(24)}\n`,
    );
  }
} finally {
  client.destroy();
  await dynamoDbLocal.stop();
}
