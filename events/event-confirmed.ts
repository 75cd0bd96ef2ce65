// EventConfirmed: a cluster of reports reached the configured number of independent
// publishers. Emitted once per cluster.
import { z } from "zod";
import { DateWindowSchema, EntitySchema, IsoDateSchema } from "./aggregates.js";
import { ArticleIdSchema, createEnvelopeSchema, EventKeySchema, VersionSchema } from "./common.js";
import { AGGREGATES_SOURCE, DetailType } from "./routing.js";

export const ClusterMemberSchema = z.object({
  articleId: ArticleIdSchema,
  version: VersionSchema,
  eventId: z.string().min(1),
  publisher: z.string(),
  publishedAt: z.iso.datetime({ offset: true }),
  date: IsoDateSchema.describe("The event's date as this article resolved it."),
  cameoCode: z.string().regex(/^\d{2,4}$/),
  goldstein: z.number().min(-10).max(10),
});

export const EventConfirmedDetailSchema = z.object({
  eventKey: EventKeySchema.describe("`EventConfirmed#<clusterId>`: one per cluster, ever."),
  clusterId: z.string().min(1),
  source: EntitySchema.describe("First entity of the cluster (the acting one unless `symmetric`)."),
  target: EntitySchema.nullable().describe("Second entity; null for events without a target."),
  symmetric: z
    .boolean()
    .describe("True for mutual acts (consult, cooperate, fight): the entities are in alphabetical order."),
  cameoRoot: z.string().regex(/^\d{2}$/),
  cameoCodes: z.array(z.string()).describe("Distinct CAMEO codes the reports used, sorted."),
  window: DateWindowSchema.describe("The fixed date window the cluster covers."),
  firstSeen: z.iso.datetime({ offset: true }).describe("Publication time of the earliest report."),
  lastSeen: z.iso.datetime({ offset: true }).describe("Publication time of the latest report."),
  articleCount: z.int().min(1),
  publisherCount: z.int().min(1),
  publishers: z.array(z.string()).describe("Distinct publishers, sorted."),
  mentionCount: z.int().min(1).describe("Coded events in the cluster (an article may report it twice)."),
  threshold: z.int().min(1).describe("Publishers needed for confirmation in this deployment."),
  members: z
    .array(ClusterMemberSchema)
    .describe("The reports at the moment of confirmation (at most 100), oldest first."),
});
export type EventConfirmedDetail = z.infer<typeof EventConfirmedDetailSchema>;

export const EventConfirmedEventSchema = createEnvelopeSchema(
  AGGREGATES_SOURCE,
  DetailType.EventConfirmed,
  EventConfirmedDetailSchema,
);
export type EventConfirmedEvent = z.infer<typeof EventConfirmedEventSchema>;
