// Where the aggregates live in the single table (functions/shared/table-schema.ts):
//
//   pk = AGGREGATED#<articleId>       sk = GATE                      newest version of the article seen
//   pk = AGGREGATED#<articleId>       sk = CONTRIB#<000001>#<E|S>#<id>  one marker per applied contribution
//   pk = CLUSTER#<clusterId>          sk = STATE                     cluster members and confirmation
//   pk = STANCEHISTORY#<h>#<t>        sk = STATE                     ordered polarity history of a pair
//   pk = STANCEHISTORY#<h>#<t>        sk = ENTRY#<entry key>         one stance of the history, with evidence
//   pk = DYADTREND#<source>#<target>  sk = STATE                     daily Goldstein totals of a directed pair
//   pk = DERIVED#<eventKey>           sk = DERIVED                   outbox: one derived event for the emitter
//
// Every STATE item carries `rev`, raised by each write: a write is conditional on the rev
// it read, so two aggregators updating one aggregate at once cannot lose an update.
// A marker is written in the same transaction as the change it records, on condition it
// did not exist: a redelivered or replayed contribution finds its marker and changes
// nothing. Markers hold what the contribution added, so a replaced version can be undone.
import * as z from "zod/mini";
import { DateWindowSchema } from "../../../events/aggregates.js";
import { ArticleIdSchema, PolaritySchema, VersionSchema } from "../../../events/common.js";
import { ClusterMemberSchema } from "../../../events/event-confirmed.js";
import { StanceObservationSchema } from "../../../events/stance-shifted.js";

export const AggregateItemType = {
  ArticleGate: "AggregateGate",
  Contribution: "AggregateContribution",
  Cluster: "EventCluster",
  StanceHistory: "StanceHistory",
  StanceHistoryEntry: "StanceHistoryEntry",
  DyadTrend: "DyadTrend",
  DerivedEvent: "DerivedEvent",
} as const;

export const STATE_SK = "STATE";
export const GATE_SK = "GATE";
export const DERIVED_SK = "DERIVED";
const CONTRIBUTION_PREFIX = "CONTRIB#";
const ENTRY_PREFIX = "ENTRY#";

export type ContributionKind = "event" | "stance";

const pad = (version: number) => String(version).padStart(6, "0");

export const createGateKey = (articleId: string) => ({ pk: `AGGREGATED#${articleId}`, sk: GATE_SK });

export function createContributionKey(
  articleId: string,
  version: number,
  kind: ContributionKind,
  itemId: string,
) {
  return {
    pk: `AGGREGATED#${articleId}`,
    sk: `${CONTRIBUTION_PREFIX}${pad(version)}#${kind === "event" ? "E" : "S"}#${itemId}`,
  };
}

/** sk bounds of an article's markers of versions 1 .. version-1, for a BETWEEN query. */
export function createOlderContributionRange(version: number): { from: string; to: string } {
  return { from: `${CONTRIBUTION_PREFIX}${pad(0)}`, to: `${CONTRIBUTION_PREFIX}${pad(version - 1)}#~` };
}

export const createClusterKey = (clusterId: string) => ({ pk: `CLUSTER#${clusterId}`, sk: STATE_SK });
export const createStanceHistoryKey = (holder: string, target: string) => ({
  pk: `STANCEHISTORY#${holder}#${target}`,
  sk: STATE_SK,
});
export const createStanceEntryItemKey = (holder: string, target: string, entryKey: string) => ({
  pk: `STANCEHISTORY#${holder}#${target}`,
  sk: `${ENTRY_PREFIX}${entryKey}`,
});
export const createDyadTrendKey = (source: string, target: string) => ({
  pk: `DYADTREND#${source}#${target}`,
  sk: STATE_SK,
});
export const createDerivedEventKey = (eventKey: string) => ({ pk: `DERIVED#${eventKey}`, sk: DERIVED_SK });

const KeySchema = z.object({ pk: z.string(), sk: z.string() });

export const ArticleGateItemSchema = z.extend(KeySchema, {
  type: z.literal(AggregateItemType.ArticleGate),
  articleId: ArticleIdSchema,
  version: VersionSchema,
});

const DyadEventSchema = z.object({
  source: z.string(),
  target: z.string(),
  date: z.iso.date(),
  goldsteinTenths: z.int(),
});

export const EventContributionSchema = z.object({
  kind: z.literal("event"),
  articleId: ArticleIdSchema,
  version: VersionSchema,
  itemId: z.string(),
  clusterId: z.string(),
  member: ClusterMemberSchema,
  dyad: z.nullable(DyadEventSchema),
});
export type EventContribution = z.infer<typeof EventContributionSchema>;

export const StanceContributionSchema = z.object({
  kind: z.literal("stance"),
  articleId: ArticleIdSchema,
  version: VersionSchema,
  itemId: z.string(),
  holder: z.string(),
  target: z.string(),
  entryKey: z.string(),
  polarity: PolaritySchema,
  observation: StanceObservationSchema,
});
export type StanceContribution = z.infer<typeof StanceContributionSchema>;

export const ContributionSchema = z.discriminatedUnion("kind", [
  EventContributionSchema,
  StanceContributionSchema,
]);
export type Contribution = z.infer<typeof ContributionSchema>;

export const ContributionItemSchema = z.extend(KeySchema, {
  type: z.literal(AggregateItemType.Contribution),
  contribution: ContributionSchema,
});

export const ClusterItemSchema = z.extend(KeySchema, {
  type: z.literal(AggregateItemType.Cluster),
  rev: z.int().check(z.minimum(1)),
  clusterId: z.string(),
  first: z.string(),
  second: z.string(),
  cameoRoot: z.string(),
  symmetric: z.boolean(),
  window: DateWindowSchema,
  members: z.array(ClusterMemberSchema),
  confirmed: z.boolean(),
  // Derived figures, kept on the item so a reader need not recompute them.
  articleCount: z.int(),
  publisherCount: z.int(),
  mentionCount: z.int(),
  firstSeen: z.nullable(z.string()),
  lastSeen: z.nullable(z.string()),
});

export const StanceHistoryItemSchema = z.extend(KeySchema, {
  type: z.literal(AggregateItemType.StanceHistory),
  rev: z.int().check(z.minimum(1)),
  holder: z.string(),
  target: z.string(),
  entries: z.array(z.object({ key: z.string(), polarity: PolaritySchema })),
});

export const StanceHistoryEntryItemSchema = z.extend(KeySchema, {
  type: z.literal(AggregateItemType.StanceHistoryEntry),
  entryKey: z.string(),
  observation: StanceObservationSchema,
});

export const DyadTrendItemSchema = z.extend(KeySchema, {
  type: z.literal(AggregateItemType.DyadTrend),
  rev: z.int().check(z.minimum(1)),
  source: z.string(),
  target: z.string(),
  days: z.array(
    z.object({ date: z.iso.date(), goldsteinTenths: z.int(), count: z.int().check(z.minimum(1)) }),
  ),
});

export const DerivedEventItemSchema = z.extend(KeySchema, {
  type: z.literal(AggregateItemType.DerivedEvent),
  eventKey: z.string(),
  source: z.string(),
  detailType: z.string(),
  detail: z.record(z.string(), z.unknown()),
});
export type DerivedEventItem = z.infer<typeof DerivedEventItemSchema>;
