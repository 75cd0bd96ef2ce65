// StanceRecorded: one per stance of a stored article version.
import * as z from "zod/mini";
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
  publisher: z.string().check(z.describe("The outlet that published the article (the article's `source`).")),
  publishedAt: z.iso
    .datetime({ offset: true })
    .check(z.describe("When the article was published; stance histories are ordered by it.")),
});
export type StanceRecordedDetail = z.infer<typeof StanceRecordedDetailSchema>;

export const StanceRecordedEventSchema = createEnvelopeSchema(
  CODER_SOURCE,
  DetailType.StanceRecorded,
  StanceRecordedDetailSchema,
);
export type StanceRecordedEvent = z.infer<typeof StanceRecordedEventSchema>;
