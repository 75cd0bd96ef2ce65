// The one definition of what the event bus carries and how it is routed.
// The CDK rules (infra/) and the local bus (local/) both read these patterns,
// so local routing cannot drift from the deployed one. Pure data: no imports.

/** `source` of every event Attaché itself emits. */
export const CODER_SOURCE = "attache.coder";
/** `source` that ArticlePublished must carry, from the API or from publishers on the bus. */
export const ARTICLES_SOURCE = "attache.articles";
/**
 * `source` of the events derived across articles (confirmed events, stance shifts,
 * dyad trends): a subscriber can take every cross-article event with one source match.
 */
export const AGGREGATES_SOURCE = "attache.aggregates";

export const DetailType = {
  ArticlePublished: "ArticlePublished",
  ArticleCoded: "ArticleCoded",
  DiplomaticEventCoded: "DiplomaticEventCoded",
  StanceRecorded: "StanceRecorded",
  EventConfirmed: "EventConfirmed",
  StanceShifted: "StanceShifted",
  DyadTrendChanged: "DyadTrendChanged",
} as const;
export type DetailType = (typeof DetailType)[keyof typeof DetailType];

/** An EventBridge event pattern (the subset of the pattern language we use). */
export type EventPattern = Record<string, unknown>;

export interface RouteDefinition {
  /** Stable id: the CDK rule's construct id and the local route's name. */
  id: string;
  description: string;
  pattern: EventPattern;
}

/** Articles to the coder's queue. */
export const articlePublishedRoute: RouteDefinition = {
  id: "ArticlePublishedToCoder",
  description: "Every published article goes to the coder's queue.",
  pattern: { source: [ARTICLES_SOURCE], "detail-type": [DetailType.ArticlePublished] },
};

/**
 * The example subscriber: conflict events (quad class 3 verbal, 4 material)
 * to a queue a downstream team reads. Copy this shape to subscribe to anything.
 */
export const conflictEventsRoute: RouteDefinition = {
  id: "ConflictEventsToSubscriber",
  description: "Example subscriber: DiplomaticEventCoded with CAMEO quad class 3 or 4.",
  pattern: {
    source: [CODER_SOURCE],
    "detail-type": [DetailType.DiplomaticEventCoded],
    detail: { event: { cameo: { quadClass: [3, 4] } } },
  },
};

/**
 * The coder's output to the aggregator's queue. The aggregator reads the bus rather than
 * the table stream so that replaying the archive into a fresh stack rebuilds the same
 * clusters, stance histories and trends. ArticleCoded is included because a revision or
 * retraction (`supersedes`) must withdraw the old version's contributions even when the
 * new version has no events or stances of its own.
 */
export const aggregatorRoute: RouteDefinition = {
  id: "CodedOutputToAggregator",
  description: "DiplomaticEventCoded, StanceRecorded and ArticleCoded to the aggregator's queue.",
  pattern: {
    source: [CODER_SOURCE],
    "detail-type": [DetailType.DiplomaticEventCoded, DetailType.StanceRecorded, DetailType.ArticleCoded],
  },
};

export const routes: readonly RouteDefinition[] = [
  articlePublishedRoute,
  conflictEventsRoute,
  aggregatorRoute,
];
