// The outbox rule: a derived event for each stored article version, event and stance,
// read off the table's stream, so the bus carries exactly what the table holds.
//   INSERT ArticleVersion item → ArticleCoded
//   INSERT Event item          → DiplomaticEventCoded
//   INSERT Stance item         → StanceRecorded
//   INSERT DerivedEvent item   → its EventConfirmed, StanceShifted or DyadTrendChanged (the
//     aggregator's outbox; a later MODIFY of the same key is the same event, not emitted again)
//   MODIFY of one of those where `version` changed → the same as an INSERT (a content that
//     came back after an interrupted clean-up rewrites an old item under a new version)
//   anything else (META, latest-stance projection, REMOVE of superseded items) → nothing;
//     subscribers learn of a replacement from ArticleCoded.supersedes.
import type * as z from "zod/mini";
import type { ArticleCodedDetail } from "../../events/article-coded.js";
import { eventCatalog } from "../../events/catalog.js";
import type { DiplomaticEventCodedDetail } from "../../events/diplomatic-event-coded.js";
import { CODER_SOURCE, DetailType } from "../../events/routing.js";
import type { StanceRecordedDetail } from "../../events/stance-recorded.js";
import { AggregateItemType, DerivedEventItemSchema } from "./aggregates/aggregate-items.js";
import { computeClusterId } from "./aggregates/cluster-key.js";
import { InvalidInputError } from "./errors.js";
import { createArticleCodedKey, createDiplomaticEventKey, createStanceKey } from "./event-keys.js";
import { ArticleVersionItemSchema, EventItemSchema, ItemType, StanceItemSchema } from "./item-layout.js";
import type { BusEntry } from "./ports.js";

export interface StreamChange {
  /** The record's stream sequence number, reported back on failure. */
  sequenceNumber: string;
  eventName: "INSERT" | "MODIFY" | "REMOVE";
  newImage?: Record<string, unknown>;
  oldImage?: Record<string, unknown>;
}

export type DerivedEntry = { kind: "emit"; entry: BusEntry } | { kind: "skip"; reason: string };

function parseItem<T extends z.ZodMiniType>(schema: T, image: Record<string, unknown>): z.infer<T> {
  const result = schema.safeParse(image);
  if (!result.success) {
    throw new InvalidInputError(
      `stream image of ${String(image.pk)} / ${String(image.sk)} does not match its item layout`,
      result.error.issues.map((issue) => ({ path: issue.path.join("."), message: issue.message })),
      { cause: result.error },
    );
  }
  return result.data;
}

/** Items written before a field was added lack it; such an item cannot be announced in full. */
function requireField<T extends { pk: string; sk: string }, K extends keyof T>(
  item: T,
  field: K,
): NonNullable<T[K]> {
  const value = item[field];
  if (value === undefined || value === null) {
    throw new InvalidInputError(`stream image of ${item.pk} / ${item.sk} lacks ${String(field)}`, [
      { path: String(field), message: "required" },
    ]);
  }
  return value as NonNullable<T[K]>;
}

/** An outbox item of the aggregator, checked against its published schema before it reaches the bus. */
function deriveAggregateEntry(image: Record<string, unknown>): BusEntry {
  const item = parseItem(DerivedEventItemSchema, image);
  const entry = eventCatalog.find((e) => e.detailType === item.detailType && e.source === item.source);
  if (!entry) {
    throw new InvalidInputError(`outbox item ${item.pk} has unknown detail-type ${item.detailType}`);
  }
  const detail = entry.detail.safeParse(item.detail);
  if (!detail.success) {
    throw new InvalidInputError(
      `outbox item ${item.pk} does not match the ${item.detailType} schema`,
      detail.error.issues.map((issue) => ({ path: issue.path.join("."), message: issue.message })),
      { cause: detail.error },
    );
  }
  return { source: item.source, detailType: item.detailType, detail: item.detail };
}

function isNewVersionOfItem(change: StreamChange): boolean {
  if (change.eventName === "INSERT") return true;
  if (change.eventName !== "MODIFY") return false;
  return change.oldImage?.version !== change.newImage?.version;
}

export function deriveBusEntry(change: StreamChange): DerivedEntry {
  const image = change.newImage;
  if (!image) return { kind: "skip", reason: `${change.eventName} without a new image` };
  const type = image.type;
  if (type === AggregateItemType.DerivedEvent) {
    if (change.eventName !== "INSERT")
      return { kind: "skip", reason: `${change.eventName} of an item already emitted` };
    return { kind: "emit", entry: deriveAggregateEntry(image) };
  }
  const emittable = type === ItemType.ArticleVersion || type === ItemType.Event || type === ItemType.Stance;
  if (!emittable) return { kind: "skip", reason: `item type ${String(type)} is not emitted` };
  if (!isNewVersionOfItem(change))
    return { kind: "skip", reason: `${change.eventName} of an item already emitted` };

  if (type === ItemType.ArticleVersion) {
    const item = parseItem(ArticleVersionItemSchema, image);
    const detail: ArticleCodedDetail = {
      eventKey: createArticleCodedKey(item.articleId, item.version),
      articleId: item.articleId,
      version: item.version,
      contentHash: item.contentHash,
      publishedAt: item.article.publishedAt,
      source: item.article.source,
      url: item.article.url,
      title: item.article.title,
      eventCount: item.eventIds.length,
      stanceCount: item.stanceIds.length,
      eventIds: item.eventIds,
      stanceIds: item.stanceIds,
      codedAt: item.codedAt,
      coderVersion: item.coderVersion,
      ...(item.supersedes === undefined ? {} : { supersedes: item.supersedes }),
    };
    return { kind: "emit", entry: { source: CODER_SOURCE, detailType: DetailType.ArticleCoded, detail } };
  }
  if (type === ItemType.Event) {
    const item = parseItem(EventItemSchema, image);
    const detail: DiplomaticEventCodedDetail = {
      eventKey: createDiplomaticEventKey(item.articleId, item.version, item.event.id),
      articleId: item.articleId,
      version: item.version,
      event: item.event,
      clusterId: item.clusterId ?? computeClusterId(item.event),
      publisher: requireField(item, "publisher"),
      publishedAt: requireField(item, "publishedAt"),
    };
    return {
      kind: "emit",
      entry: { source: CODER_SOURCE, detailType: DetailType.DiplomaticEventCoded, detail },
    };
  }
  const item = parseItem(StanceItemSchema, image);
  const detail: StanceRecordedDetail = {
    eventKey: createStanceKey(item.articleId, item.version, item.stance.id),
    articleId: item.articleId,
    version: item.version,
    stance: item.stance,
    publisher: requireField(item, "publisher"),
    publishedAt: item.publishedAt,
  };
  return { kind: "emit", entry: { source: CODER_SOURCE, detailType: DetailType.StanceRecorded, detail } };
}
