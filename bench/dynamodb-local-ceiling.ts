// How much DynamoDB Local, alone and warm, can take on this machine: single-item writes
// (the shape of most of the pipeline's calls) and whole article versions written in one
// TransactWriteItems (the coder's commit), each from several callers at once. The end-to-end
// figures are read against it: a pipeline whose calls per second come near this ceiling
// queues in front of the engine, whatever the code around it does.
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import {
  BatchWriteCommand,
  DynamoDBDocumentClient,
  PutCommand,
  TransactWriteCommand,
} from "@aws-sdk/lib-dynamodb";
import { createTable } from "../functions/shared/create-table.js";
import { startDynamoDbLocal } from "../local/dynamodb-local.js";

/** Items in an average article version: its events and stances (section 5 counts about 30). */
export const ITEMS_PER_ARTICLE = 30;

export interface CeilingRow {
  callers: number;
  /** PutItem calls answered per second, one event-sized item each. */
  putsPerSecond: number;
  /** Article versions per second, each one TransactWriteItems of ITEMS_PER_ARTICLE items. */
  transactionsPerSecond: number;
  /** Article versions per second written by BatchWriteItem (25 items a call), no transaction. */
  batchedArticlesPerSecond: number;
}

export interface DynamoDbLocalCeiling {
  itemsPerArticle: number;
  rows: CeilingRow[];
}

/**
 * Starts a DynamoDB Local of its own (the engine's JVM flags, in memory), warms it up, and
 * measures each write shape at each number of concurrent callers.
 */
export async function measureDynamoDbLocalCeiling(
  options: { callers?: readonly number[]; operations?: number } = {},
): Promise<DynamoDbLocalCeiling> {
  const callersList = options.callers ?? [1, 2, 4, 8];
  const operations = options.operations ?? 400;
  const table = "attache-bench-ceiling";
  const engine = await startDynamoDbLocal({});
  const client = new DynamoDBClient({
    endpoint: engine.endpoint,
    region: "us-east-1",
    credentials: { accessKeyId: "local", secretAccessKey: "local" },
  });
  const doc = DynamoDBDocumentClient.from(client);
  try {
    await createTable(client, table);
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
    const put = async () => {
      await doc.send(new PutCommand({ TableName: table, Item: itemOf(next++, 0) }));
    };
    const transact = async () => {
      const article = next++;
      await doc.send(
        new TransactWriteCommand({
          TransactItems: Array.from({ length: ITEMS_PER_ARTICLE }, (_, i) => ({
            Put: { TableName: table, Item: itemOf(article, i) },
          })),
        }),
      );
    };
    const batch = async () => {
      const article = next++;
      const items = Array.from({ length: ITEMS_PER_ARTICLE }, (_, i) => itemOf(article, i));
      for (let k = 0; k < items.length; k += 25) {
        const { UnprocessedItems } = await doc.send(
          new BatchWriteCommand({
            RequestItems: { [table]: items.slice(k, k + 25).map((Item) => ({ PutRequest: { Item } })) },
          }),
        );
        if (UnprocessedItems && Object.keys(UnprocessedItems).length > 0)
          throw new Error("DynamoDB Local left items unprocessed");
      }
    };
    /** Operations completed per second, `callers` of them in flight at once. */
    const rate = async (write: () => Promise<void>, callers: number, count: number) => {
      let started = 0;
      const start = performance.now();
      await Promise.all(
        Array.from({ length: callers }, async () => {
          while (started < count) {
            started++;
            await write();
          }
        }),
      );
      return count / ((performance.now() - start) / 1000);
    };
    // Warm-up: the JVM compiles its hot paths first, at about half the speed it then keeps.
    await rate(put, 4, operations);
    await rate(transact, 4, operations / 2);
    await rate(batch, 4, operations / 2);
    const rows: CeilingRow[] = [];
    for (const callers of callersList) {
      rows.push({
        callers,
        putsPerSecond: await rate(put, callers, operations * 2),
        transactionsPerSecond: await rate(transact, callers, operations),
        batchedArticlesPerSecond: await rate(batch, callers, operations),
      });
    }
    return { itemsPerArticle: ITEMS_PER_ARTICLE, rows };
  } finally {
    client.destroy();
    await engine.stop();
  }
}
