// The items an article version becomes in the single table (functions/shared/table-schema.ts),
// shared by the store that writes them and the emitter that reads them off the stream.
//
//   pk = ARTICLE#<id>  sk = META                          current version and content hash
//   pk = ARTICLE#<id>  sk = VERSION#<000001>              one per version: the article, ids, coding metadata
//   pk = ARTICLE#<id>  sk = EVENT#<hash16>#<eventId>      one per event, with byActor/byTarget/byDyad keys
//   pk = ARTICLE#<id>  sk = STANCE#<hash16>#<stanceId>    one per stance
//   pk = STANCE#<holder>#<target>  sk = <publishedAt>#<id>#<stanceId>   latest-stance projection
//
// Event and stance keys carry the first 16 hex digits of the content hash rather than the
// version number: two deliveries of the same content write the same keys (idempotent),
// while two different contents never collide, even when they race for the same version.
import * as z from "zod/mini";
import type { CodedEvent, Stance } from "../../coder/types.js";
import { ArticleIdSchema, CodedEventSchema, StanceSchema, VersionSchema } from "../../events/common.js";
import { computeClusterId } from "./aggregates/cluster-key.js";
import type { ArticleVersion, StoredArticle } from "./ports.js";

export const ItemType = {
  ArticleMeta: "ArticleMeta",
  ArticleVersion: "ArticleVersion",
  Event: "Event",
  Stance: "Stance",
  LatestStance: "LatestStance",
} as const;

export const META_SK = "META";
const VERSION_PREFIX = "VERSION#";
const EVENT_PREFIX = "EVENT#";
const STANCE_PREFIX = "STANCE#";

export interface TableKey {
  pk: string;
  sk: string;
}

export function createArticlePk(articleId: string): string {
  return `ARTICLE#${articleId}`;
}

export function createVersionSk(version: number): string {
  return `${VERSION_PREFIX}${String(version).padStart(6, "0")}`;
}

function shortHash(contentHash: string): string {
  return contentHash.slice(0, 16);
}

/** sk prefix of one content's event items (for a begins_with query). */
export function createEventSkPrefix(contentHash: string): string {
  return `${EVENT_PREFIX}${shortHash(contentHash)}#`;
}

export function createStanceSkPrefix(contentHash: string): string {
  return `${STANCE_PREFIX}${shortHash(contentHash)}#`;
}

export function createLatestStanceKey(
  stance: Pick<Stance, "holder" | "target" | "id">,
  articleId: string,
  publishedAt: string,
): TableKey {
  return {
    pk: `STANCE#${stance.holder.entity}#${stance.target.entity}`,
    sk: `${publishedAt}#${articleId}#${stance.id}`,
  };
}

const ArticleFieldsSchema = z.object({
  id: ArticleIdSchema,
  title: z.string(),
  body: z.string(),
  publishedAt: z.string(),
  url: z.string(),
  source: z.string(),
  language: z.optional(z.string()),
});

const ItemBaseSchema = z.object({
  pk: z.string(),
  sk: z.string(),
  articleId: ArticleIdSchema,
  version: VersionSchema,
  contentHash: z.string(),
});

export const ArticleMetaItemSchema = z.extend(ItemBaseSchema, {
  type: z.literal(ItemType.ArticleMeta),
  updatedAt: z.string(),
});
export type ArticleMetaItem = z.infer<typeof ArticleMetaItemSchema>;

export const ArticleVersionItemSchema = z.extend(ItemBaseSchema, {
  type: z.literal(ItemType.ArticleVersion),
  article: ArticleFieldsSchema,
  eventIds: z.array(z.string()),
  stanceIds: z.array(z.string()),
  codedAt: z.string(),
  coderVersion: z.string(),
  supersedes: z.optional(VersionSchema),
});
export type ArticleVersionItem = z.infer<typeof ArticleVersionItemSchema>;

export const EventItemSchema = z.extend(ItemBaseSchema, {
  type: z.literal(ItemType.Event),
  event: CodedEventSchema,
  // The article's outlet and publication time and the event's cluster travel with the
  // event, so DiplomaticEventCoded carries what the aggregator needs. Optional only
  // for items stored before they were added.
  publisher: z.optional(z.string()),
  publishedAt: z.optional(z.string()),
  clusterId: z.optional(z.string()),
  gsi1pk: z.string(),
  gsi1sk: z.string(),
  gsi2pk: z.optional(z.string()),
  gsi2sk: z.optional(z.string()),
  gsi3pk: z.optional(z.string()),
  gsi3sk: z.optional(z.string()),
});
export type EventItem = z.infer<typeof EventItemSchema>;

export const StanceItemSchema = z.extend(ItemBaseSchema, {
  type: z.literal(ItemType.Stance),
  publishedAt: z.string(),
  publisher: z.optional(z.string()),
  stance: StanceSchema,
});
export type StanceItem = z.infer<typeof StanceItemSchema>;

export const LatestStanceItemSchema = z.extend(ItemBaseSchema, {
  type: z.literal(ItemType.LatestStance),
  publishedAt: z.string(),
  stance: StanceSchema,
});
export type LatestStanceItem = z.infer<typeof LatestStanceItemSchema>;

export interface VersionItems {
  meta: ArticleMetaItem;
  version: ArticleVersionItem;
  events: EventItem[];
  stances: StanceItem[];
  latestStances: LatestStanceItem[];
}

function buildEventItem(next: ArticleVersion, event: CodedEvent): EventItem {
  const base = {
    pk: createArticlePk(next.article.id),
    sk: `${createEventSkPrefix(next.contentHash)}${event.id}`,
    type: ItemType.Event,
    articleId: next.article.id,
    version: next.version,
    contentHash: next.contentHash,
    event,
    publisher: next.article.source,
    publishedAt: next.article.publishedAt,
    clusterId: computeClusterId(event),
  };
  const dateKey = `${event.date}#${event.id}`;
  // Events without a target stay out of byTarget and byDyad (sparse indexes).
  const targetKeys = event.target
    ? {
        gsi2pk: `TARGET#${event.target.entity}`,
        gsi2sk: dateKey,
        gsi3pk: `DYAD#${event.source.entity}#${event.target.entity}`,
        gsi3sk: dateKey,
      }
    : {};
  return { ...base, gsi1pk: `ACTOR#${event.source.entity}`, gsi1sk: dateKey, ...targetKeys };
}

/** Every item one coded article version is stored as. */
export function buildVersionItems(next: ArticleVersion): VersionItems {
  const { article } = next;
  const pk = createArticlePk(article.id);
  const common = { articleId: article.id, version: next.version, contentHash: next.contentHash };
  const articleFields = {
    id: article.id,
    title: article.title,
    body: article.body,
    publishedAt: article.publishedAt,
    url: article.url,
    source: article.source,
    ...(article.language === undefined ? {} : { language: article.language }),
  };
  return {
    meta: { pk, sk: META_SK, type: ItemType.ArticleMeta, ...common, updatedAt: next.codedAt },
    version: {
      pk,
      sk: createVersionSk(next.version),
      type: ItemType.ArticleVersion,
      ...common,
      article: articleFields,
      eventIds: next.events.map((e) => e.id),
      stanceIds: next.stances.map((s) => s.id),
      codedAt: next.codedAt,
      coderVersion: next.coderVersion,
      ...(next.supersedes === undefined ? {} : { supersedes: next.supersedes }),
    },
    events: next.events.map((event) => buildEventItem(next, event)),
    stances: next.stances.map((stance) => ({
      pk,
      sk: `${createStanceSkPrefix(next.contentHash)}${stance.id}`,
      type: ItemType.Stance,
      ...common,
      publishedAt: article.publishedAt,
      publisher: article.source,
      stance,
    })),
    latestStances: next.stances.map((stance) => ({
      ...createLatestStanceKey(stance, article.id, article.publishedAt),
      type: ItemType.LatestStance,
      ...common,
      publishedAt: article.publishedAt,
      stance,
    })),
  };
}

export function toStoredArticle(item: ArticleVersionItem): StoredArticle {
  return {
    ...item.article,
    version: item.version,
    contentHash: item.contentHash,
    codedAt: item.codedAt,
    coderVersion: item.coderVersion,
    ...(item.supersedes === undefined ? {} : { supersedes: item.supersedes }),
  };
}
