// The aggregates on the single DynamoDB table (layout in ../core/aggregates/aggregate-items.ts).
// Every change is one TransactWriteItems: the contribution's marker, the aggregates it
// changes (each conditional on the revision that was read), the outbox items of the
// events it derives, and for an apply a check that the article's gate is still at this
// version. The cancellation reasons say which condition failed, and so what to do next.
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import {
  DynamoDBDocumentClient,
  GetCommand,
  QueryCommand,
  TransactWriteCommand,
  type TransactWriteCommandInput,
  UpdateCommand,
} from "@aws-sdk/lib-dynamodb";
import { AGGREGATES_SOURCE } from "../../events/routing.js";
import type { StanceObservation } from "../../events/stance-shifted.js";
import {
  AggregateItemType,
  ArticleGateItemSchema,
  ClusterItemSchema,
  type Contribution,
  ContributionItemSchema,
  createClusterKey,
  createContributionKey,
  createDerivedEventKey,
  createDyadTrendKey,
  createGateKey,
  createOlderContributionRange,
  createStanceEntryItemKey,
  createStanceHistoryKey,
  DyadTrendItemSchema,
  StanceHistoryEntryItemSchema,
  StanceHistoryItemSchema,
} from "../core/aggregates/aggregate-items.js";
import { summarizeCluster } from "../core/aggregates/clusters.js";
import { AggregateWriteError } from "../core/aggregates/errors.js";
import type { AggregateStore, AggregateWrite, CommitOutcome } from "../core/aggregates/ports.js";

export interface DynamoDbAggregateStoreOptions {
  client: DynamoDBClient | Pick<DynamoDBDocumentClient, "send">;
  tableName: string;
}

type TransactItem = NonNullable<TransactWriteCommandInput["TransactItems"]>[number];

/** Codes of a cancelled transaction that mean "someone else got there first": read again. */
const RETRY_CODES = new Set(["TransactionConflict", "ThrottlingError", "ProvisionedThroughputExceeded"]);

function errorName(error: unknown): string {
  return (error as { name?: string })?.name ?? "";
}

/** A Put of a STATE item that must still be at `expectedRev` (or absent for 0). */
function revisionCondition(expectedRev: number) {
  return expectedRev === 0
    ? { ConditionExpression: "attribute_not_exists(pk)" }
    : {
        ConditionExpression: "#rev = :rev",
        ExpressionAttributeNames: { "#rev": "rev" },
        ExpressionAttributeValues: { ":rev": expectedRev },
      };
}

export function createDynamoDbAggregateStore(options: DynamoDbAggregateStoreOptions): AggregateStore {
  const doc =
    options.client instanceof DynamoDBClient
      ? DynamoDBDocumentClient.from(options.client, { marshallOptions: { removeUndefinedValues: true } })
      : options.client;
  const TableName = options.tableName;

  async function getItem(key: { pk: string; sk: string }): Promise<Record<string, unknown> | undefined> {
    const { Item } = await doc.send(new GetCommand({ TableName, Key: key, ConsistentRead: true }));
    return Item;
  }

  function contributionKey(contribution: Contribution) {
    return createContributionKey(
      contribution.articleId,
      contribution.version,
      contribution.kind,
      contribution.itemId,
    );
  }

  function buildTransaction(write: AggregateWrite): { items: TransactItem[]; roles: string[] } {
    const items: TransactItem[] = [];
    const roles: string[] = [];
    const add = (role: string, item: TransactItem) => {
      roles.push(role);
      items.push(item);
    };
    if (write.apply) {
      const { contribution } = write.apply;
      add("marker", {
        Put: {
          TableName,
          Item: { ...contributionKey(contribution), type: AggregateItemType.Contribution, contribution },
          ConditionExpression: "attribute_not_exists(pk)",
        },
      });
      add("gate", {
        ConditionCheck: {
          TableName,
          Key: createGateKey(contribution.articleId),
          ConditionExpression: "#version = :version",
          ExpressionAttributeNames: { "#version": "version" },
          ExpressionAttributeValues: { ":version": contribution.version },
        },
      });
    }
    if (write.revert) {
      add("marker", {
        Delete: {
          TableName,
          Key: contributionKey(write.revert.contribution),
          ConditionExpression: "attribute_exists(pk)",
        },
      });
    }
    if (write.cluster) {
      const { state, expectedRev } = write.cluster;
      const summary = summarizeCluster(state);
      add("aggregate", {
        Put: {
          TableName,
          Item: {
            ...createClusterKey(state.clusterId),
            type: AggregateItemType.Cluster,
            rev: expectedRev + 1,
            ...state,
            articleCount: summary.articleCount,
            publisherCount: summary.publisherCount,
            mentionCount: summary.mentionCount,
            firstSeen: summary.firstSeen,
            lastSeen: summary.lastSeen,
          },
          ...revisionCondition(expectedRev),
        },
      });
    }
    if (write.dyad) {
      const { state, expectedRev } = write.dyad;
      add("aggregate", {
        Put: {
          TableName,
          Item: {
            ...createDyadTrendKey(state.source, state.target),
            type: AggregateItemType.DyadTrend,
            rev: expectedRev + 1,
            ...state,
          },
          ...revisionCondition(expectedRev),
        },
      });
    }
    if (write.stanceHistory) {
      const { state, expectedRev, putEntry, deleteEntryKey } = write.stanceHistory;
      add("aggregate", {
        Put: {
          TableName,
          Item: {
            ...createStanceHistoryKey(state.holder, state.target),
            type: AggregateItemType.StanceHistory,
            rev: expectedRev + 1,
            ...state,
          },
          ...revisionCondition(expectedRev),
        },
      });
      if (putEntry) {
        add("entry", {
          Put: {
            TableName,
            Item: {
              ...createStanceEntryItemKey(state.holder, state.target, putEntry.key),
              type: AggregateItemType.StanceHistoryEntry,
              entryKey: putEntry.key,
              observation: putEntry.observation,
            },
          },
        });
      }
      if (deleteEntryKey) {
        add("entry", {
          Delete: { TableName, Key: createStanceEntryItemKey(state.holder, state.target, deleteEntryKey) },
        });
      }
    }
    const seen = new Set<string>();
    for (const derived of write.derivedEvents) {
      if (seen.has(derived.eventKey)) continue;
      seen.add(derived.eventKey);
      // A plain Put: a derived event found again (the same crossing after a revision) rewrites
      // its outbox item, a MODIFY the emitter does not publish, so it is announced once.
      add("outbox", {
        Put: {
          TableName,
          Item: {
            ...createDerivedEventKey(derived.eventKey),
            type: AggregateItemType.DerivedEvent,
            eventKey: derived.eventKey,
            source: AGGREGATES_SOURCE,
            detailType: derived.detailType,
            detail: derived.detail,
          },
        },
      });
    }
    return { items, roles };
  }

  return {
    async advanceGate(articleId, version) {
      try {
        await doc.send(
          new UpdateCommand({
            TableName,
            Key: createGateKey(articleId),
            UpdateExpression: "SET #type = :type, articleId = :articleId, #version = :version",
            ConditionExpression: "attribute_not_exists(pk) OR #version < :version",
            ExpressionAttributeNames: { "#type": "type", "#version": "version" },
            ExpressionAttributeValues: {
              ":type": AggregateItemType.ArticleGate,
              ":articleId": articleId,
              ":version": version,
            },
          }),
        );
        return version;
      } catch (error) {
        if (errorName(error) !== "ConditionalCheckFailedException") throw error;
        const item = await getItem(createGateKey(articleId));
        return item ? ArticleGateItemSchema.parse(item).version : version;
      }
    },

    async listOlderContributions(articleId, version) {
      if (version <= 1) return [];
      const range = createOlderContributionRange(version);
      const contributions: Contribution[] = [];
      let ExclusiveStartKey: Record<string, unknown> | undefined;
      do {
        const page = await doc.send(
          new QueryCommand({
            TableName,
            KeyConditionExpression: "pk = :pk AND sk BETWEEN :from AND :to",
            ExpressionAttributeValues: {
              ":pk": createGateKey(articleId).pk,
              ":from": range.from,
              ":to": range.to,
            },
            ConsistentRead: true,
            ExclusiveStartKey,
          }),
        );
        for (const item of page.Items ?? [])
          contributions.push(ContributionItemSchema.parse(item).contribution);
        ExclusiveStartKey = page.LastEvaluatedKey;
      } while (ExclusiveStartKey);
      return contributions;
    },

    async hasContribution(articleId, version, kind, itemId) {
      return (await getItem(createContributionKey(articleId, version, kind, itemId))) !== undefined;
    },

    async readCluster(clusterId) {
      const item = await getItem(createClusterKey(clusterId));
      if (!item) return null;
      const parsed = ClusterItemSchema.parse(item);
      const { clusterId: id, first, second, cameoRoot, symmetric, window, members, confirmed } = parsed;
      return {
        rev: parsed.rev,
        state: { clusterId: id, first, second, cameoRoot, symmetric, window, members, confirmed },
      };
    },

    async readDyadTrend(source, target) {
      const item = await getItem(createDyadTrendKey(source, target));
      if (!item) return null;
      const parsed = DyadTrendItemSchema.parse(item);
      return { rev: parsed.rev, state: { source: parsed.source, target: parsed.target, days: parsed.days } };
    },

    async readStanceHistory(holder, target) {
      const item = await getItem(createStanceHistoryKey(holder, target));
      if (!item) return null;
      const parsed = StanceHistoryItemSchema.parse(item);
      return {
        rev: parsed.rev,
        state: { holder: parsed.holder, target: parsed.target, entries: parsed.entries },
      };
    },

    async readStanceObservations(holder, target, entryKeys) {
      const found = new Map<string, StanceObservation>();
      await Promise.all(
        entryKeys.map(async (key) => {
          const item = await getItem(createStanceEntryItemKey(holder, target, key));
          if (item) found.set(key, StanceHistoryEntryItemSchema.parse(item).observation);
        }),
      );
      return found;
    },

    async commit(write): Promise<CommitOutcome> {
      const { items, roles } = buildTransaction(write);
      if (items.length === 0) return "committed";
      try {
        await doc.send(new TransactWriteCommand({ TransactItems: items }));
        return "committed";
      } catch (error) {
        const name = errorName(error);
        if (name === "TransactionInProgressException") return "conflict";
        if (name !== "TransactionCanceledException") {
          throw new AggregateWriteError(`aggregate transaction on ${TableName} failed`, { cause: error });
        }
        const codes = (
          (error as { CancellationReasons?: { Code?: string }[] }).CancellationReasons ?? []
        ).map((reason) => reason.Code ?? "None");
        const failedRoles = new Set(
          codes.flatMap((code, i) => (code === "ConditionalCheckFailed" ? [roles[i]] : [])),
        );
        if (failedRoles.has("marker")) return "already-done";
        if (failedRoles.has("gate")) return "stale-version";
        if (failedRoles.has("aggregate") || codes.some((code) => RETRY_CODES.has(code))) return "conflict";
        throw new AggregateWriteError(
          `aggregate transaction on ${TableName} cancelled: ${codes.join(", ")}`,
          {
            cause: error,
          },
        );
      }
    },
  };
}
