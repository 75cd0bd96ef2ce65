// `npx tsx bench/measure-dynamodb-local.ts`: how much DynamoDB Local can store on this
// machine, alone (bench/dynamodb-local-ceiling.ts): single-item puts, article versions of
// 30 items in one TransactWriteItems, and the same items by BatchWriteItem, each at 1 to 8
// callers at once, after a warm-up. `npm run bench` measures the same in section 3.
import { measureDynamoDbLocalCeiling } from "./dynamodb-local-ceiling.js";

const ceiling = await measureDynamoDbLocalCeiling();
process.stdout.write("callers  puts/s  transactions/s  batch-written articles/s\n");
for (const row of ceiling.rows) {
  process.stdout.write(
    `${String(row.callers).padStart(7)}  ${row.putsPerSecond.toFixed(0).padStart(6)}  ${row.transactionsPerSecond.toFixed(1).padStart(14)}  ${row.batchedArticlesPerSecond.toFixed(1).padStart(24)}\n`,
  );
}
