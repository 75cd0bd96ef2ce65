// DiplomaticEventCoded: one per coded event of a stored article version.
import * as z from "zod/mini";
import {
  ArticleIdSchema,
  CodedEventSchema,
  createEnvelopeSchema,
  EventKeySchema,
  VersionSchema,
} from "./common.js";
import { CODER_SOURCE, DetailType } from "./routing.js";

export const DiplomaticEventCodedDetailSchema = z.object({
  eventKey: EventKeySchema,
  articleId: ArticleIdSchema,
  version: VersionSchema,
  event: CodedEventSchema,
  clusterId: z
    .string()
    .check(
      z.minLength(1),
      z.describe(
        "The cluster this event joined: `<source>~<target>~<CAMEO root>~<window start>` (docs/derived-events.md). Events of other articles with the same clusterId report the same real-world event.",
      ),
    ),
  publisher: z.string().check(z.describe("The outlet that published the article (the article's `source`).")),
  publishedAt: z.iso.datetime({ offset: true }).check(z.describe("When the article was published.")),
});
export type DiplomaticEventCodedDetail = z.infer<typeof DiplomaticEventCodedDetailSchema>;

export const DiplomaticEventCodedEventSchema = createEnvelopeSchema(
  CODER_SOURCE,
  DetailType.DiplomaticEventCoded,
  DiplomaticEventCodedDetailSchema,
);
export type DiplomaticEventCodedEvent = z.infer<typeof DiplomaticEventCodedEventSchema>;
