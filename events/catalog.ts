// Every event a subscriber can receive, with its schemas and file names: the JSON
// Schema generator, the sample tests and docs/events.md all read this list.
import type * as z from "zod/mini";
import { ArticleCodedDetailSchema, ArticleCodedEventSchema } from "./article-coded.js";
import { ArticlePublishedDetailSchema, ArticlePublishedEventSchema } from "./article-published.js";
import {
  DiplomaticEventCodedDetailSchema,
  DiplomaticEventCodedEventSchema,
} from "./diplomatic-event-coded.js";
import { DyadTrendChangedDetailSchema, DyadTrendChangedEventSchema } from "./dyad-trend-changed.js";
import { EventConfirmedDetailSchema, EventConfirmedEventSchema } from "./event-confirmed.js";
import { AGGREGATES_SOURCE, ARTICLES_SOURCE, CODER_SOURCE, DetailType } from "./routing.js";
import { StanceRecordedDetailSchema, StanceRecordedEventSchema } from "./stance-recorded.js";
import { StanceShiftedDetailSchema, StanceShiftedEventSchema } from "./stance-shifted.js";

export interface CatalogEntry {
  /** kebab-case name: events/<name>.ts, events/json/<name>.schema.json, events/samples/<name>.json */
  name: string;
  source: string;
  detailType: DetailType;
  envelope: z.ZodMiniType;
  detail: z.ZodMiniType;
}

export const eventCatalog: readonly CatalogEntry[] = [
  {
    name: "article-published",
    source: ARTICLES_SOURCE,
    detailType: DetailType.ArticlePublished,
    envelope: ArticlePublishedEventSchema,
    detail: ArticlePublishedDetailSchema,
  },
  {
    name: "article-coded",
    source: CODER_SOURCE,
    detailType: DetailType.ArticleCoded,
    envelope: ArticleCodedEventSchema,
    detail: ArticleCodedDetailSchema,
  },
  {
    name: "diplomatic-event-coded",
    source: CODER_SOURCE,
    detailType: DetailType.DiplomaticEventCoded,
    envelope: DiplomaticEventCodedEventSchema,
    detail: DiplomaticEventCodedDetailSchema,
  },
  {
    name: "stance-recorded",
    source: CODER_SOURCE,
    detailType: DetailType.StanceRecorded,
    envelope: StanceRecordedEventSchema,
    detail: StanceRecordedDetailSchema,
  },
  {
    name: "event-confirmed",
    source: AGGREGATES_SOURCE,
    detailType: DetailType.EventConfirmed,
    envelope: EventConfirmedEventSchema,
    detail: EventConfirmedDetailSchema,
  },
  {
    name: "stance-shifted",
    source: AGGREGATES_SOURCE,
    detailType: DetailType.StanceShifted,
    envelope: StanceShiftedEventSchema,
    detail: StanceShiftedDetailSchema,
  },
  {
    name: "dyad-trend-changed",
    source: AGGREGATES_SOURCE,
    detailType: DetailType.DyadTrendChanged,
    envelope: DyadTrendChangedEventSchema,
    detail: DyadTrendChangedDetailSchema,
  },
];
