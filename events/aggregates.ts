// Pieces shared by the events derived across articles (EventConfirmed, StanceShifted,
// DyadTrendChanged): the aggregator builds them, the emitter checks them before they
// reach the bus.
import * as z from "zod/mini";

export const EntitySchema = z
  .string()
  .check(z.minLength(1), z.describe("ISO 3166-1 alpha-3 or an organisation code."));

export const IsoDateSchema = z.iso.date();

export const DateWindowSchema = z.object({
  start: IsoDateSchema.check(z.describe("First day, inclusive.")),
  end: IsoDateSchema.check(z.describe("Last day, inclusive.")),
});
