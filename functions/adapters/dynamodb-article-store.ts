// The article store on one DynamoDB table (layout in ../core/item-layout.ts).
//
// Writing a version: when all its writes fit one TransactWriteItems (100 actions, 4 MB),
// they go in one transaction with a client request token, so a version is stored whole or
// not at all. A larger version writes its new event/stance items first (BatchWriteItem,
// retrying UnprocessedItems), then commits the META and version items in a transaction,
// then deletes the previous version's items: readers follow META, so they never see a
// version without its items. Either way the META write is conditional on the version
// read before coding: a racing duplicate of the same content finds its work done
// (success), a racing different content is refused (ConcurrentVersionError, retried).

import { createHash } from "node:crypto";
import { channel } from "node:diagnostics_channel";
import {
  DynamoDBClient,
  IdempotentParameterMismatchException,
  TransactionCanceledException,
  TransactionInProgressException,
} from "@aws-sdk/client-dynamodb";
import {
  BatchWriteCommand,
  DynamoDBDocumentClient,
  GetCommand,
  QueryCommand,
  type QueryCommandInput,
  TransactWriteCommand,
  type TransactWriteCommandInput,
} from "@aws-sdk/lib-dynamodb";
import { ConcurrentVersionError, StoreWriteError } from "../core/errors.js";
import {
  ArticleMetaItemSchema,
  ArticleVersionItemSchema,
  buildVersionItems,
  createArticlePk,
  createEventSkPrefix,
  createLatestStanceKey,
  createStanceSkPrefix,
  createVersionSk,
  EventItemSchema,
  META_SK,
  StanceItemSchema,
  type TableKey,
  toStoredArticle,
} from "../core/item-layout.js";
import {
  type ArticleStore,
  type ArticleVersion,
  type CodedArticleView,
  type CurrentVersion,
  type SaveOutcome,
  TABLE_WRITTEN_CHANNEL,
} from "../core/ports.js";

export const MAX_TRANSACTION_ACTIONS = 100;
/** Below DynamoDB's 4 MB per transaction, leaving room for attribute-name overhead. */
export const MAX_TRANSACTION_BYTES = 3_500_000;
export const BATCH_WRITE_LIMIT = 25;

export interface DynamoDbArticleStoreOptions {
  /** A low-level client (wrapped in a DocumentClient here) or anything that sends DocumentClient commands. */
  client: DynamoDBClient | Pick<DynamoDBDocumentClient, "send">;
  tableName: string;
  /** Our own retries, on top of the SDK's, for unprocessed items and transaction conflicts. */
  maxAttempts?: number;
  baseDelayMs?: number;
  sleep?: (ms: number) => Promise<void>;
  random?: () => number;
}

type Item = Record<string, unknown> & TableKey;
type WriteRequest = { PutRequest: { Item: Item } } | { DeleteRequest: { Key: TableKey } };

const tableWritten = channel(TABLE_WRITTEN_CHANNEL);

const defaultSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

function keyOf(item: TableKey): TableKey {
  return { pk: item.pk, sk: item.sk };
}

function keyString(key: TableKey): string {
  return `${key.pk}\u0000${key.sk}`;
}

/**
 * Same table, article, version and content → same token, so a resent transaction is a
 * no-op for 10 minutes. Tokens are shared by every table of the account and region, so
 * the table name is part of it: two stages coding the same article must not collide.
 */
function createRequestToken(
  tableName: string,
  articleId: string,
  version: number,
  contentHash: string,
): string {
  return createHash("sha256")
    .update(`${tableName}|${articleId}|${version}|${contentHash}`)
    .digest("hex")
    .slice(0, 36);
}

function errorName(error: unknown): string {
  return (error as { name?: string })?.name ?? "";
}

/** Error names DynamoDB uses for "too fast, try again" (table, index, account or request rate). */
const THROTTLING_ERRORS = new Set([
  "ProvisionedThroughputExceededException",
  "ThrottlingException",
  "RequestLimitExceeded",
  "LimitExceededException",
]);

/**
 * Throttling and server-side errors are worth another try; anything else (validation,
 * missing table, a failed condition) would fail the same way again. The SDK retries
 * these too, but its retry quota runs dry under sustained throttling and it then
 * surfaces them at once: without our own retries each one would cost the article a
 * queue redelivery, a whole visibility timeout later.
 */
export function isTransientError(error: unknown): boolean {
  const name = errorName(error);
  if (THROTTLING_ERRORS.has(name)) return true;
  if (name === "InternalServerError" || name === "ServiceUnavailable") return true;
  const status = (error as { $metadata?: { httpStatusCode?: number } })?.$metadata?.httpStatusCode;
  return status !== undefined && status >= 500;
}

export function createDynamoDbArticleStore(options: DynamoDbArticleStoreOptions): ArticleStore {
  const doc =
    options.client instanceof DynamoDBClient
      ? DynamoDBDocumentClient.from(options.client, { marshallOptions: { removeUndefinedValues: true } })
      : options.client;
  const table = options.tableName;
  const maxAttempts = options.maxAttempts ?? 6;
  const baseDelayMs = options.baseDelayMs ?? 50;
  const sleep = options.sleep ?? defaultSleep;
  const random = options.random ?? Math.random;

  const backoff = (attempt: number) =>
    sleep(Math.floor(random() * Math.min(2_000, baseDelayMs * 2 ** attempt)));

  /** Sends a read or an idempotent write, retrying throttling and server errors with backoff. */
  async function retrying<T>(operation: () => Promise<T>): Promise<T> {
    for (let attempt = 0; ; attempt += 1) {
      try {
        return await operation();
      } catch (error) {
        if (!isTransientError(error) || attempt + 1 >= maxAttempts) throw error;
        await backoff(attempt + 1);
      }
    }
  }

  async function queryAll(input: Omit<QueryCommandInput, "TableName">): Promise<Record<string, unknown>[]> {
    const items: Record<string, unknown>[] = [];
    let ExclusiveStartKey: Record<string, unknown> | undefined;
    do {
      const page = await retrying(() =>
        doc.send(new QueryCommand({ ...input, TableName: table, ExclusiveStartKey })),
      );
      items.push(...(page.Items ?? []));
      ExclusiveStartKey = page.LastEvaluatedKey;
    } while (ExclusiveStartKey);
    return items;
  }

  async function readMeta(articleId: string): Promise<CurrentVersion | null> {
    const { Item } = await retrying(() =>
      doc.send(
        new GetCommand({
          TableName: table,
          Key: { pk: createArticlePk(articleId), sk: META_SK },
          ConsistentRead: true,
        }),
      ),
    );
    if (!Item) return null;
    const meta = ArticleMetaItemSchema.parse(Item);
    return { articleId: meta.articleId, version: meta.version, contentHash: meta.contentHash };
  }

  /** The keys a version's event, stance and latest-stance items sit under. */
  async function listVersionKeys(articleId: string, contentHash: string): Promise<TableKey[]> {
    const pk = createArticlePk(articleId);
    const [events, stances] = await Promise.all(
      [createEventSkPrefix(contentHash), createStanceSkPrefix(contentHash)].map((prefix) =>
        queryAll({
          KeyConditionExpression: "pk = :pk AND begins_with(sk, :prefix)",
          ExpressionAttributeValues: { ":pk": pk, ":prefix": prefix },
          ConsistentRead: true,
        }),
      ),
    );
    const keys: TableKey[] = (events ?? []).map((item) => keyOf(item as Item));
    for (const raw of stances ?? []) {
      const item = StanceItemSchema.parse(raw);
      keys.push(keyOf(item), createLatestStanceKey(item.stance, item.articleId, item.publishedAt));
    }
    return keys;
  }

  /** BatchWriteItem in chunks of 25, resending UnprocessedItems with backoff. */
  async function batchWrite(requests: WriteRequest[]): Promise<void> {
    for (let start = 0; start < requests.length; start += BATCH_WRITE_LIMIT) {
      let pending = requests.slice(start, start + BATCH_WRITE_LIMIT);
      for (let attempt = 0; pending.length > 0; attempt += 1) {
        if (attempt >= maxAttempts) {
          throw new StoreWriteError(
            `${pending.length} writes to ${table} stayed unprocessed after ${maxAttempts} attempts`,
          );
        }
        if (attempt > 0) await backoff(attempt);
        const batch = pending;
        const result = await retrying(() =>
          doc.send(new BatchWriteCommand({ RequestItems: { [table]: batch } })),
        );
        pending = (result.UnprocessedItems?.[table] ?? []) as WriteRequest[];
      }
    }
  }

  /** After a refused commit: is our content there already (success) or did another content win? */
  async function resolveConflict(next: ArticleVersion, cause: unknown): Promise<SaveOutcome> {
    const current = await readMeta(next.article.id);
    if (current && current.contentHash === next.contentHash) {
      return { status: "already-stored", version: current.version };
    }
    throw new ConcurrentVersionError(
      `article ${next.article.id} changed while version ${next.version} was being stored (now version ${current?.version ?? "none"})`,
      { cause },
    );
  }

  /** Runs a transaction; retries conflicts and throttling; maps a failed condition to resolveConflict. */
  async function commit(next: ArticleVersion, input: TransactWriteCommandInput): Promise<SaveOutcome> {
    for (let attempt = 0; ; attempt += 1) {
      try {
        await doc.send(new TransactWriteCommand(input));
        if (tableWritten.hasSubscribers) tableWritten.publish({ table });
        return { status: "stored", version: next.version };
      } catch (error) {
        const retryable = (() => {
          if (
            error instanceof TransactionInProgressException ||
            errorName(error) === "TransactionInProgressException"
          ) {
            return true;
          }
          if (
            error instanceof TransactionCanceledException ||
            errorName(error) === "TransactionCanceledException"
          ) {
            const codes = ((error as TransactionCanceledException).CancellationReasons ?? []).map(
              (r) => r.Code ?? "None",
            );
            if (codes.includes("ConditionalCheckFailed")) return "conflict";
            if (
              codes.some(
                (c) =>
                  c === "TransactionConflict" ||
                  c === "ThrottlingError" ||
                  c === "ProvisionedThroughputExceeded",
              )
            ) {
              return true;
            }
            throw new StoreWriteError(
              `transaction for article ${next.article.id} cancelled: ${codes.join(", ")}`,
              {
                cause: error,
              },
            );
          }
          if (
            error instanceof IdempotentParameterMismatchException ||
            errorName(error) === "IdempotentParameterMismatchException"
          ) {
            // The same token was used with other parameters (another delivery, other codedAt): same version, so decide by content.
            return "conflict";
          }
          // Nothing was written: the same transaction (same token) may simply be sent again.
          return isTransientError(error);
        })();
        if (retryable === "conflict") return resolveConflict(next, error);
        if (!retryable || attempt + 1 >= maxAttempts) {
          throw new StoreWriteError(`could not store version ${next.version} of article ${next.article.id}`, {
            cause: error,
          });
        }
        await backoff(attempt + 1);
      }
    }
  }

  return {
    getCurrentVersion: readMeta,

    async saveVersion(next, previous) {
      const items = buildVersionItems(next);
      const metaCondition = previous
        ? {
            ConditionExpression: "#version = :previousVersion AND contentHash = :previousHash",
            ExpressionAttributeNames: { "#version": "version" },
            ExpressionAttributeValues: {
              ":previousVersion": previous.version,
              ":previousHash": previous.contentHash,
            },
          }
        : { ConditionExpression: "attribute_not_exists(pk)" };
      const commitActions: NonNullable<TransactWriteCommandInput["TransactItems"]> = [
        { Put: { TableName: table, Item: items.meta, ...metaCondition } },
        { Put: { TableName: table, Item: items.version, ConditionExpression: "attribute_not_exists(pk)" } },
      ];
      const puts: Item[] = [...items.events, ...items.stances, ...items.latestStances];
      const putKeys = new Set(puts.map((item) => keyString(item)));
      // Keys the new version rewrites (a latest-stance item of an unchanged stance) are overwritten, not deleted.
      const deletes = previous
        ? (await listVersionKeys(previous.articleId, previous.contentHash)).filter(
            (key) => !putKeys.has(keyString(key)),
          )
        : [];
      const ClientRequestToken = createRequestToken(table, next.article.id, next.version, next.contentHash);

      const actionCount = commitActions.length + puts.length + deletes.length;
      const approxBytes = JSON.stringify([items, deletes]).length;
      if (actionCount <= MAX_TRANSACTION_ACTIONS && approxBytes <= MAX_TRANSACTION_BYTES) {
        return commit(next, {
          ClientRequestToken,
          // The version item last: its stream record (→ ArticleCoded) then follows its
          // events and stances on the article's partition, so a subscriber that waits for
          // ArticleCoded usually has the rest already.
          TransactItems: [
            ...puts.map((Item) => ({ Put: { TableName: table, Item } })),
            ...deletes.map((Key) => ({ Delete: { TableName: table, Key } })),
            ...commitActions,
          ],
        });
      }

      // Too large for one transaction: items first, then the commit, then the clean-up.
      await batchWrite(puts.map((Item) => ({ PutRequest: { Item } })));
      let outcome: SaveOutcome;
      try {
        outcome = await commit(next, { ClientRequestToken, TransactItems: commitActions });
      } catch (error) {
        if (error instanceof ConcurrentVersionError) {
          // Another content won: remove the event and stance items only this content wrote
          // (content-hashed keys, so none belongs to the winner).
          const ours = [...items.events, ...items.stances].map((item) => ({
            DeleteRequest: { Key: keyOf(item) },
          }));
          await batchWrite(ours).catch(() => undefined);
        }
        throw error;
      }
      if (outcome.status === "stored") await batchWrite(deletes.map((Key) => ({ DeleteRequest: { Key } })));
      return outcome;
    },

    async getCodedArticle(articleId) {
      const current = await readMeta(articleId);
      if (!current) return null;
      const pk = createArticlePk(articleId);
      const [versionResult, eventItems, stanceItems] = await Promise.all([
        retrying(() =>
          doc.send(
            new GetCommand({
              TableName: table,
              Key: { pk, sk: createVersionSk(current.version) },
              ConsistentRead: true,
            }),
          ),
        ),
        queryAll({
          KeyConditionExpression: "pk = :pk AND begins_with(sk, :prefix)",
          ExpressionAttributeValues: { ":pk": pk, ":prefix": createEventSkPrefix(current.contentHash) },
          ConsistentRead: true,
        }),
        queryAll({
          KeyConditionExpression: "pk = :pk AND begins_with(sk, :prefix)",
          ExpressionAttributeValues: { ":pk": pk, ":prefix": createStanceSkPrefix(current.contentHash) },
          ConsistentRead: true,
        }),
      ]);
      if (!versionResult.Item) return null;
      const version = ArticleVersionItemSchema.parse(versionResult.Item);
      // Keep the coder's order, which the version item records.
      const eventOrder = new Map(version.eventIds.map((id, i) => [id, i]));
      const stanceOrder = new Map(version.stanceIds.map((id, i) => [id, i]));
      const events = eventItems
        .map((item) => EventItemSchema.parse(item).event)
        .sort((a, b) => (eventOrder.get(a.id) ?? 0) - (eventOrder.get(b.id) ?? 0));
      const stances = stanceItems
        .map((item) => StanceItemSchema.parse(item).stance)
        .sort((a, b) => (stanceOrder.get(a.id) ?? 0) - (stanceOrder.get(b.id) ?? 0));
      const view: CodedArticleView = { article: toStoredArticle(version), events, stances };
      return view;
    },
  };
}
