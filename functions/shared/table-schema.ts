// The single-table layout, shared by the CDK stack (infra/), the local stack
// (local/) and the store adapter, so all three create and read the same table.
// Pure data: no AWS imports.
//
// Access patterns it serves (no scans on a request path):
//   by article ............ pk = ARTICLE#<articleId>
//   by actor and date ..... index byActor:  gsi1pk = ACTOR#<entity>,         gsi1sk = <date>#<eventId>
//   by target and date .... index byTarget: gsi2pk = TARGET#<entity>,        gsi2sk = <date>#<eventId>
//   by actor pair and date  index byDyad:   gsi3pk = DYAD#<source>#<target>, gsi3sk = <date>#<eventId>
//   latest stance ......... pk = STANCE#<holder>#<target>, sk = <date>#<articleId>#<stanceId>, newest last
//   every event by date ... index byDate:   type = Event,                    gsi1sk = <date>#<eventId>
//
// byDate reuses attributes every event item already has (its item type and its byActor sort
// key), so it is sparse without new attributes: only items with a gsi1sk (events) are in it.
// It serves questions with no actor in them ("the latest events", the 30-day network). All
// events share one index partition; its write ceiling (about 1,000 items a second) is two
// orders of magnitude above the coder's rate (a few events a second per article stream).
// Should that ever bind, shard the partition key (Event#0..n) and merge the shards on read.

export const TABLE_PARTITION_KEY = "pk";
export const TABLE_SORT_KEY = "sk";
/** Attribute DynamoDB's TTL reads (epoch seconds), for items that may expire. */
export const TABLE_TTL_ATTRIBUTE = "expiresAt";
/** The stream carries both images so the outbox can tell inserts from supersessions. */
export const TABLE_STREAM_VIEW = "NEW_AND_OLD_IMAGES" as const;

export interface IndexDefinition {
  indexName: string;
  partitionKey: string;
  sortKey: string;
}

export const GLOBAL_SECONDARY_INDEXES: readonly IndexDefinition[] = [
  { indexName: "byActor", partitionKey: "gsi1pk", sortKey: "gsi1sk" },
  { indexName: "byTarget", partitionKey: "gsi2pk", sortKey: "gsi2sk" },
  { indexName: "byDyad", partitionKey: "gsi3pk", sortKey: "gsi3sk" },
  { indexName: "byDate", partitionKey: "type", sortKey: "gsi1sk" },
];
