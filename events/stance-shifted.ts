// StanceShifted: in the date-ordered history of one holder's stances toward one target,
// two neighbouring stances differ in polarity, and this boundary is new.
import * as z from "zod/mini";
import { EntitySchema } from "./aggregates.js";
import {
  ArticleIdSchema,
  createEnvelopeSchema,
  EventKeySchema,
  PolaritySchema,
  StanceSchema,
  VersionSchema,
} from "./common.js";
import { AGGREGATES_SOURCE, DetailType } from "./routing.js";

export const StanceObservationSchema = z.object({
  polarity: PolaritySchema,
  articleId: ArticleIdSchema,
  version: VersionSchema,
  publisher: z.string(),
  publishedAt: z.iso.datetime({ offset: true }),
  stance: StanceSchema.check(z.describe("The stance as coded, with its evidence.")),
});
export type StanceObservation = z.infer<typeof StanceObservationSchema>;

export const StanceShiftedDetailSchema = z.object({
  eventKey: EventKeySchema.check(
    z.describe(
      "`StanceShifted#<holder>#<target>#<from ref>#<to ref>`, ref = `<articleId>:<version>:<stanceId>`.",
    ),
  ),
  holder: EntitySchema,
  target: EntitySchema,
  from: StanceObservationSchema.check(z.describe("The last stance before the shift.")),
  to: StanceObservationSchema.check(z.describe("The first stance after the shift.")),
  latest: z
    .boolean()
    .check(
      z.describe(
        "True when `to` was the newest stance of the history when the shift was found; false for a shift found in the past by a late-arriving article.",
      ),
    ),
});
export type StanceShiftedDetail = z.infer<typeof StanceShiftedDetailSchema>;

export const StanceShiftedEventSchema = createEnvelopeSchema(
  AGGREGATES_SOURCE,
  DetailType.StanceShifted,
  StanceShiftedDetailSchema,
);
export type StanceShiftedEvent = z.infer<typeof StanceShiftedEventSchema>;
