// Reads every aggregate of a test table into plain objects, for comparisons: clusters,
// stance histories (with their entries) and dyad trends, without the bookkeeping that
// depends on how many writes it took (revisions), plus the outbox.
import type { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { DynamoDBDocumentClient, ScanCommand } from "@aws-sdk/lib-dynamodb";
import { AggregateItemType } from "../../../functions/core/aggregates/aggregate-items.js";

export interface AggregateSnapshot {
  clusters: Record<string, unknown>;
  stanceHistories: Record<string, unknown>;
  stanceEntries: Record<string, unknown>;
  dyadTrends: Record<string, unknown>;
  derivedEventKeys: string[];
  markers: number;
}

export async function readAggregates(client: DynamoDBClient, tableName: string): Promise<AggregateSnapshot> {
  const doc = DynamoDBDocumentClient.from(client);
  const items: Record<string, unknown>[] = [];
  let ExclusiveStartKey: Record<string, unknown> | undefined;
  do {
    const page = await doc.send(
      new ScanCommand({ TableName: tableName, ConsistentRead: true, ExclusiveStartKey }),
    );
    items.push(...(page.Items ?? []));
    ExclusiveStartKey = page.LastEvaluatedKey;
  } while (ExclusiveStartKey);
  const snapshot: AggregateSnapshot = {
    clusters: {},
    stanceHistories: {},
    stanceEntries: {},
    dyadTrends: {},
    derivedEventKeys: [],
    markers: 0,
  };
  for (const item of items) {
    const { rev: _rev, ...rest } = item as { rev?: number } & Record<string, unknown>;
    const key = `${String(item.pk)}|${String(item.sk)}`;
    switch (item.type) {
      case AggregateItemType.Cluster: {
        // Whether EventConfirmed was sent depends on the order reports came in; the members do not.
        const { confirmed: _confirmed, ...cluster } = rest;
        snapshot.clusters[key] = cluster;
        break;
      }
      case AggregateItemType.StanceHistory:
        snapshot.stanceHistories[key] = rest;
        break;
      case AggregateItemType.StanceHistoryEntry:
        snapshot.stanceEntries[key] = rest;
        break;
      case AggregateItemType.DyadTrend:
        snapshot.dyadTrends[key] = rest;
        break;
      case AggregateItemType.DerivedEvent:
        snapshot.derivedEventKeys.push(String(item.eventKey));
        break;
      case AggregateItemType.Contribution:
        snapshot.markers += 1;
        break;
    }
  }
  snapshot.derivedEventKeys.sort();
  return snapshot;
}
