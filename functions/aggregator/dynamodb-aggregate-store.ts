// The aggregates on the single DynamoDB table (layout in ../core/aggregates/aggregate-items.ts).
// Every change is one TransactWriteItems: the contribution's marker, the aggregates it
// changes (each conditional on the revision that was read), the outbox items of the
// events it derives, and for an apply a check that the article's gate is still at this
// version. The cancellation reasons say which condition failed, and so what to do next.
import { channel } from "node:diagnostics_channel";
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import {
  BatchGetCommand,
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
import { type ClusterState, summarizeCluster } from "../core/aggregates/clusters.js";
import type { DyadTrendState } from "../core/aggregates/dyad-trends.js";
import { AggregateWriteError } from "../core/aggregates/errors.js";
import {
  type AggregateStore,
  type AggregateWrite,
  type CommitOutcome,
  contributionId,
  type DerivedEventEntry,
  type GroupCommitOutcome,
  type GroupWrite,
  pairId,
  type Snapshot,
  type Versioned,
} from "../core/aggregates/ports.js";
import type { StanceHistoryState } from "../core/aggregates/stance-history.js";
import { TABLE_WRITTEN_CHANNEL } from "../core/ports.js";

const tableWritten = channel(TABLE_WRITTEN_CHANNEL);

export interface DynamoDbAggregateStoreOptions {
  client: DynamoDBClient | Pick<DynamoDBDocumentClient, "send">;
  tableName: string;
}

type TransactItem = NonNullable<TransactWriteCommandInput["TransactItems"]>[number];
type Key = { pk: string; sk: string };

/** BatchGetItem's limit on keys per call. */
export const BATCH_GET_LIMIT = 100;
/** TransactWriteItems' limit on actions per call. */
export const MAX_TRANSACTION_ACTIONS = 100;
/** Rounds of UnprocessedKeys resent before giving up. */
const MAX_BATCH_GET_ROUNDS = 8;

const keyId = (key: Key) => `${key.pk}\u0000${key.sk}`;

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

function clusterItem(state: ClusterState, expectedRev: number): Record<string, unknown> {
  const summary = summarizeCluster(state);
  return {
    ...createClusterKey(state.clusterId),
    type: AggregateItemType.Cluster,
    rev: expectedRev + 1,
    ...state,
    articleCount: summary.articleCount,
    publisherCount: summary.publisherCount,
    mentionCount: summary.mentionCount,
    firstSeen: summary.firstSeen,
    lastSeen: summary.lastSeen,
  };
}

function outboxItem(derived: DerivedEventEntry): Record<string, unknown> {
  return {
    ...createDerivedEventKey(derived.eventKey),
    type: AggregateItemType.DerivedEvent,
    eventKey: derived.eventKey,
    source: AGGREGATES_SOURCE,
    detailType: derived.detailType,
    detail: derived.detail,
  };
}

function toCluster(item: Record<string, unknown>): Versioned<ClusterState> {
  const parsed = ClusterItemSchema.parse(item);
  const { clusterId, first, second, cameoRoot, symmetric, window, members, confirmed } = parsed;
  return {
    rev: parsed.rev,
    state: { clusterId, first, second, cameoRoot, symmetric, window, members, confirmed },
  };
}

function toDyadTrend(item: Record<string, unknown>): Versioned<DyadTrendState> {
  const parsed = DyadTrendItemSchema.parse(item);
  return { rev: parsed.rev, state: { source: parsed.source, target: parsed.target, days: parsed.days } };
}

function toStanceHistory(item: Record<string, unknown>): Versioned<StanceHistoryState> {
  const parsed = StanceHistoryItemSchema.parse(item);
  return {
    rev: parsed.rev,
    state: { holder: parsed.holder, target: parsed.target, entries: parsed.entries },
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

  /**
   * BatchGetItem, consistent, in chunks of 100 distinct keys, resending UnprocessedKeys:
   * one round trip where a GetItem per key made one each.
   */
  async function getItems(keys: readonly Key[]): Promise<Map<string, Record<string, unknown>>> {
    const found = new Map<string, Record<string, unknown>>();
    const unique = [...new Map(keys.map((key) => [keyId(key), key])).values()];
    await Promise.all(
      Array.from({ length: Math.ceil(unique.length / BATCH_GET_LIMIT) }, async (_, chunk) => {
        let pending: Key[] = unique.slice(chunk * BATCH_GET_LIMIT, (chunk + 1) * BATCH_GET_LIMIT);
        for (let round = 0; pending.length > 0; round += 1) {
          if (round >= MAX_BATCH_GET_ROUNDS) {
            throw new AggregateWriteError(`${pending.length} reads from ${TableName} stayed unprocessed`);
          }
          if (round > 0) await new Promise((resolve) => setTimeout(resolve, 10 * 2 ** round));
          const answer = await doc.send(
            new BatchGetCommand({ RequestItems: { [TableName]: { Keys: pending, ConsistentRead: true } } }),
          );
          for (const item of answer.Responses?.[TableName] ?? []) {
            found.set(keyId(item as Key), item);
          }
          pending = (answer.UnprocessedKeys?.[TableName]?.Keys ?? []) as Key[];
        }
      }),
    );
    return found;
  }

  function contributionKey(contribution: Contribution) {
    return createContributionKey(
      contribution.articleId,
      contribution.version,
      contribution.kind,
      contribution.itemId,
    );
  }

  // The actions both transaction builders (one message, a batch's group) are made of.
  function putMarker(contribution: Contribution): TransactItem {
    return {
      Put: {
        TableName,
        Item: { ...contributionKey(contribution), type: AggregateItemType.Contribution, contribution },
        ConditionExpression: "attribute_not_exists(pk)",
      },
    };
  }

  function checkGate(articleId: string, version: number): TransactItem {
    return {
      ConditionCheck: {
        TableName,
        Key: createGateKey(articleId),
        ConditionExpression: "#version = :version",
        ExpressionAttributeNames: { "#version": "version" },
        ExpressionAttributeValues: { ":version": version },
      },
    };
  }

  /** An aggregate written at its next revision, only if no one wrote it since it was read. */
  function putRevised(item: Record<string, unknown>, expectedRev: number): TransactItem {
    return { Put: { TableName, Item: item, ...revisionCondition(expectedRev) } };
  }

  function putCluster({ state, expectedRev }: { state: ClusterState; expectedRev: number }): TransactItem {
    return putRevised(clusterItem(state, expectedRev), expectedRev);
  }

  function putDyad({ state, expectedRev }: { state: DyadTrendState; expectedRev: number }): TransactItem {
    const key = createDyadTrendKey(state.source, state.target);
    return putRevised(
      { ...key, type: AggregateItemType.DyadTrend, rev: expectedRev + 1, ...state },
      expectedRev,
    );
  }

  function putStanceHistory({
    state,
    expectedRev,
  }: {
    state: StanceHistoryState;
    expectedRev: number;
  }): TransactItem {
    const key = createStanceHistoryKey(state.holder, state.target);
    return putRevised(
      { ...key, type: AggregateItemType.StanceHistory, rev: expectedRev + 1, ...state },
      expectedRev,
    );
  }

  function putStanceEntry(
    state: StanceHistoryState,
    entry: { key: string; observation: StanceObservation },
  ): TransactItem {
    return {
      Put: {
        TableName,
        Item: {
          ...createStanceEntryItemKey(state.holder, state.target, entry.key),
          type: AggregateItemType.StanceHistoryEntry,
          entryKey: entry.key,
          observation: entry.observation,
        },
      },
    };
  }

  function putOutbox(derived: DerivedEventEntry): TransactItem {
    return { Put: { TableName, Item: outboxItem(derived) } };
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
      add("marker", putMarker(contribution));
      add("gate", checkGate(contribution.articleId, contribution.version));
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
    if (write.cluster) add("aggregate", putCluster(write.cluster));
    if (write.dyad) add("aggregate", putDyad(write.dyad));
    if (write.stanceHistory) {
      const { state, putEntry, deleteEntryKey } = write.stanceHistory;
      add("aggregate", putStanceHistory(write.stanceHistory));
      if (putEntry) add("entry", putStanceEntry(state, putEntry));
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
      add("outbox", putOutbox(derived));
    }
    return { items, roles };
  }

  /** The transaction of a group, and for each action whose condition it is (marker, gate, aggregate). */
  function buildGroupTransaction(write: GroupWrite): {
    items: TransactItem[];
    owners: Array<{ role: "marker" | "gate" | "aggregate" | "other"; id: string }>;
  } {
    const items: TransactItem[] = [];
    const owners: Array<{ role: "marker" | "gate" | "aggregate" | "other"; id: string }> = [];
    const add = (role: "marker" | "gate" | "aggregate" | "other", id: string, item: TransactItem) => {
      owners.push({ role, id });
      items.push(item);
    };
    for (const contribution of write.applies)
      add("marker", contributionId(contribution), putMarker(contribution));
    for (const { articleId, version } of write.gates) add("gate", articleId, checkGate(articleId, version));
    for (const cluster of write.clusters) add("aggregate", cluster.state.clusterId, putCluster(cluster));
    for (const dyad of write.dyads)
      add("aggregate", pairId(dyad.state.source, dyad.state.target), putDyad(dyad));
    for (const history of write.stanceHistories) {
      const { state } = history;
      add("aggregate", pairId(state.holder, state.target), putStanceHistory(history));
      for (const entry of history.putEntries) add("other", entry.key, putStanceEntry(state, entry));
    }
    const seen = new Set<string>();
    for (const derived of write.derivedEvents) {
      if (seen.has(derived.eventKey)) continue;
      seen.add(derived.eventKey);
      add("other", derived.eventKey, putOutbox(derived));
    }
    return { items, owners };
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
      return item ? toCluster(item) : null;
    },

    async readDyadTrend(source, target) {
      const item = await getItem(createDyadTrendKey(source, target));
      return item ? toDyadTrend(item) : null;
    },

    async readStanceHistory(holder, target) {
      const item = await getItem(createStanceHistoryKey(holder, target));
      return item ? toStanceHistory(item) : null;
    },

    async readStanceObservationsOf(requests) {
      const items = await getItems(
        requests.flatMap(({ holder, target, entryKeys }) =>
          entryKeys.map((key) => createStanceEntryItemKey(holder, target, key)),
        ),
      );
      const found = new Map<string, Map<string, StanceObservation>>();
      for (const { holder, target, entryKeys } of requests) {
        const observations = found.get(pairId(holder, target)) ?? new Map<string, StanceObservation>();
        found.set(pairId(holder, target), observations);
        for (const key of entryKeys) {
          const item = items.get(keyId(createStanceEntryItemKey(holder, target, key)));
          if (item) observations.set(key, StanceHistoryEntryItemSchema.parse(item).observation);
        }
      }
      return found;
    },

    async readSnapshot(request) {
      const keys: Key[] = [
        ...request.articleIds.map(createGateKey),
        ...request.contributions.map(contributionKey),
        ...request.clusterIds.map(createClusterKey),
        ...request.dyads.map((d) => createDyadTrendKey(d.source, d.target)),
        ...request.stanceHistories.map((h) => createStanceHistoryKey(h.holder, h.target)),
      ];
      const items = await getItems(keys);
      const snapshot: Snapshot = {
        gates: new Map(),
        contributions: new Set(),
        clusters: new Map(),
        dyads: new Map(),
        stanceHistories: new Map(),
      };
      for (const articleId of request.articleIds) {
        const item = items.get(keyId(createGateKey(articleId)));
        if (item) snapshot.gates.set(articleId, ArticleGateItemSchema.parse(item).version);
      }
      for (const contribution of request.contributions) {
        if (items.has(keyId(contributionKey(contribution))))
          snapshot.contributions.add(contributionId(contribution));
      }
      for (const clusterId of request.clusterIds) {
        const item = items.get(keyId(createClusterKey(clusterId)));
        if (item) snapshot.clusters.set(clusterId, toCluster(item));
      }
      for (const { source, target } of request.dyads) {
        const item = items.get(keyId(createDyadTrendKey(source, target)));
        if (item) snapshot.dyads.set(pairId(source, target), toDyadTrend(item));
      }
      for (const { holder, target } of request.stanceHistories) {
        const item = items.get(keyId(createStanceHistoryKey(holder, target)));
        if (item) snapshot.stanceHistories.set(pairId(holder, target), toStanceHistory(item));
      }
      return snapshot;
    },

    async commitGroup(write): Promise<GroupCommitOutcome> {
      const { items, owners } = buildGroupTransaction(write);
      if (items.length === 0) return { status: "committed" };
      if (items.length > MAX_TRANSACTION_ACTIONS) return { status: "too-large" };
      try {
        await doc.send(new TransactWriteCommand({ TransactItems: items }));
        if (tableWritten.hasSubscribers) tableWritten.publish({ table: TableName });
        return { status: "committed" };
      } catch (error) {
        const name = errorName(error);
        if (name === "TransactionInProgressException") {
          return { status: "cancelled", done: [], staleArticles: [], conflict: true };
        }
        if (name !== "TransactionCanceledException") {
          throw new AggregateWriteError(`aggregate transaction on ${TableName} failed`, { cause: error });
        }
        const codes = (
          (error as { CancellationReasons?: { Code?: string }[] }).CancellationReasons ?? []
        ).map((reason) => reason.Code ?? "None");
        const done: string[] = [];
        const staleArticles: string[] = [];
        let conflict = codes.some((code) => RETRY_CODES.has(code));
        codes.forEach((code, i) => {
          if (code !== "ConditionalCheckFailed") return;
          const owner = owners[i];
          if (owner?.role === "marker") done.push(owner.id);
          else if (owner?.role === "gate") staleArticles.push(owner.id);
          else conflict = true;
        });
        if (done.length === 0 && staleArticles.length === 0 && !conflict) {
          throw new AggregateWriteError(
            `aggregate transaction on ${TableName} cancelled: ${codes.join(", ")}`,
            { cause: error },
          );
        }
        return { status: "cancelled", done, staleArticles, conflict };
      }
    },

    async readStanceObservations(holder, target, entryKeys) {
      const found = new Map<string, StanceObservation>();
      const items = await getItems(entryKeys.map((key) => createStanceEntryItemKey(holder, target, key)));
      for (const key of entryKeys) {
        const item = items.get(keyId(createStanceEntryItemKey(holder, target, key)));
        if (item) found.set(key, StanceHistoryEntryItemSchema.parse(item).observation);
      }
      return found;
    },

    async commit(write): Promise<CommitOutcome> {
      const { items, roles } = buildTransaction(write);
      if (items.length === 0) return "committed";
      try {
        await doc.send(new TransactWriteCommand({ TransactItems: items }));
        if (tableWritten.hasSubscribers) tableWritten.publish({ table: TableName });
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
