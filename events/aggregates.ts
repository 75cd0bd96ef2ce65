// Pieces shared by the events derived across articles (EventConfirmed, StanceShifted,
// DyadTrendChanged): the aggregator builds them, the emitter checks them before they
// reach the bus.
import { z } from "zod";

export const EntitySchema = z.string().min(1).describe("ISO 3166-1 alpha-3 or an organisation code.");

export const IsoDateSchema = z.iso.date();

export const DateWindowSchema = z.object({
  start: IsoDateSchema.describe("First day, inclusive."),
  end: IsoDateSchema.describe("Last day, inclusive."),
});
