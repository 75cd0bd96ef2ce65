// EventConfirmed: a cluster of reports reached the configured number of independent
// publishers. Emitted once per cluster.
import * as z from "zod/mini";
import { DateWindowSchema, EntitySchema, IsoDateSchema } from "./aggregates.js";
import { ArticleIdSchema, createEnvelopeSchema, EventKeySchema, VersionSchema } from "./common.js";
import { AGGREGATES_SOURCE, DetailType } from "./routing.js";

export const ClusterMemberSchema = z.object({
  articleId: ArticleIdSchema,
  version: VersionSchema,
  eventId: z.string().check(z.minLength(1)),
  publisher: z.string(),
  publishedAt: z.iso.datetime({ offset: true }),
  date: IsoDateSchema.check(z.describe("The event's date as this article resolved it.")),
  cameoCode: z.string().check(z.regex(/^\d{2,4}$/)),
  goldstein: z.number().check(z.minimum(-10), z.maximum(10)),
});

export const EventConfirmedDetailSchema = z.object({
  eventKey: EventKeySchema.check(z.describe("`EventConfirmed#<clusterId>`: one per cluster, ever.")),
  clusterId: z.string().check(z.minLength(1)),
  source: EntitySchema.check(z.describe("First entity of the cluster (the acting one unless `symmetric`).")),
  target: z.nullable(EntitySchema).check(z.describe("Second entity; null for events without a target.")),
  symmetric: z
    .boolean()
    .check(
      z.describe("True for mutual acts (consult, cooperate, fight): the entities are in alphabetical order."),
    ),
  cameoRoot: z.string().check(z.regex(/^\d{2}$/)),
  cameoCodes: z.array(z.string()).check(z.describe("Distinct CAMEO codes the reports used, sorted.")),
  window: DateWindowSchema.check(z.describe("The fixed date window the cluster covers.")),
  firstSeen: z.iso.datetime({ offset: true }).check(z.describe("Publication time of the earliest report.")),
  lastSeen: z.iso.datetime({ offset: true }).check(z.describe("Publication time of the latest report.")),
  articleCount: z.int().check(z.minimum(1)),
  publisherCount: z.int().check(z.minimum(1)),
  publishers: z.array(z.string()).check(z.describe("Distinct publishers, sorted.")),
  mentionCount: z
    .int()
    .check(z.minimum(1), z.describe("Coded events in the cluster (an article may report it twice).")),
  threshold: z
    .int()
    .check(z.minimum(1), z.describe("Publishers needed for confirmation in this deployment.")),
  members: z
    .array(ClusterMemberSchema)
    .check(z.describe("The reports at the moment of confirmation (at most 100), oldest first.")),
});
export type EventConfirmedDetail = z.infer<typeof EventConfirmedDetailSchema>;

export const EventConfirmedEventSchema = createEnvelopeSchema(
  AGGREGATES_SOURCE,
  DetailType.EventConfirmed,
  EventConfirmedDetailSchema,
);
export type EventConfirmedEvent = z.infer<typeof EventConfirmedEventSchema>;
