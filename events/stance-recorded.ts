// StanceRecorded: one per stance of a stored article version.
import { z } from "zod";
import {
  ArticleIdSchema,
  createEnvelopeSchema,
  EventKeySchema,
  StanceSchema,
  VersionSchema,
} from "./common.js";
import { CODER_SOURCE, DetailType } from "./routing.js";

export const StanceRecordedDetailSchema = z.object({
  eventKey: EventKeySchema,
  articleId: ArticleIdSchema,
  version: VersionSchema,
  stance: StanceSchema,
});
export type StanceRecordedDetail = z.infer<typeof StanceRecordedDetailSchema>;

export const StanceRecordedEventSchema = createEnvelopeSchema(
  CODER_SOURCE,
  DetailType.StanceRecorded,
  StanceRecordedDetailSchema,
);
export type StanceRecordedEvent = z.infer<typeof StanceRecordedEventSchema>;
