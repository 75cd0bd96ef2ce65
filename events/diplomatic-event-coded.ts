// DiplomaticEventCoded: one per coded event of a stored article version.
import { z } from "zod";
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
});
export type DiplomaticEventCodedDetail = z.infer<typeof DiplomaticEventCodedDetailSchema>;

export const DiplomaticEventCodedEventSchema = createEnvelopeSchema(
  CODER_SOURCE,
  DetailType.DiplomaticEventCoded,
  DiplomaticEventCodedDetailSchema,
);
export type DiplomaticEventCodedEvent = z.infer<typeof DiplomaticEventCodedEventSchema>;
