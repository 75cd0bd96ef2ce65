// DyadTrendChanged: for a directed pair of entities, the 7-day mean Goldstein score
// crossed the 30-day baseline by the configured margin (docs/derived-events.md).
import * as z from "zod/mini";
import { EntitySchema, IsoDateSchema } from "./aggregates.js";
import { createEnvelopeSchema, EventKeySchema } from "./common.js";
import { AGGREGATES_SOURCE, DetailType } from "./routing.js";

export const TrendWindowSchema = z.object({
  start: IsoDateSchema,
  end: IsoDateSchema,
  days: z.int().check(z.minimum(1)),
  eventCount: z.int().check(z.minimum(0)),
  goldsteinTotal: z.number(),
  mean: z.number().check(z.describe("goldsteinTotal / eventCount, rounded to 2 decimals.")),
});

export const DyadTrendChangedDetailSchema = z.object({
  eventKey: EventKeySchema.check(z.describe("`DyadTrendChanged#<source>#<target>#<date>#<direction>`.")),
  source: EntitySchema,
  target: EntitySchema,
  direction: z
    .enum(["escalating", "de-escalating"])
    .check(
      z.describe(
        "escalating: the short mean fell below the baseline (more conflictual); de-escalating: rose above it.",
      ),
    ),
  date: IsoDateSchema.check(z.describe("The event day on which the crossing shows.")),
  short: TrendWindowSchema.check(z.describe("The short window (7 days ending on `date`).")),
  baseline: TrendWindowSchema.check(z.describe("The baseline window (30 days ending on `date`).")),
  difference: z.number().check(z.describe("short.mean - baseline.mean, rounded to 2 decimals.")),
  margin: z.number().check(z.minimum(0), z.describe("The configured margin the difference crossed.")),
});
export type DyadTrendChangedDetail = z.infer<typeof DyadTrendChangedDetailSchema>;

export const DyadTrendChangedEventSchema = createEnvelopeSchema(
  AGGREGATES_SOURCE,
  DetailType.DyadTrendChanged,
  DyadTrendChangedDetailSchema,
);
export type DyadTrendChangedEvent = z.infer<typeof DyadTrendChangedEventSchema>;
