// Schemas shared by every event Attaché puts on the bus: the EventBridge envelope and
// the coder's output shapes (mirroring coder/types.ts, which stays the contract; the
// type tests in test/unit/events fail if the two drift apart). Written with zod/mini
// (the classic API's schemas as tree-shakable functions) so the Lambda bundles carry
// only the validators they use.

import * as z from "zod/mini";
import en from "zod/v4/locales/en.js";

// zod/mini loads no messages by default; these are the classic API's, which our 400s,
// dead-letter reasons and logs show.
z.config(en());

/**
 * The EventBridge event envelope, field for field as Powertools' parser defines it
 * (`EventBridgeSchema`), which is written with zod's classic API and would bring all of
 * it into every bundle.
 */
export const EventBridgeEnvelopeSchema = z.object({
  version: z.string(),
  id: z.string(),
  source: z.string(),
  account: z.string(),
  time: z.iso.datetime(),
  region: z.string(),
  resources: z.array(z.string()),
  "detail-type": z.string(),
  detail: z.unknown(),
  "replay-name": z.optional(z.string()),
});

/**
 * The full envelope a subscriber receives (and that an EventBridge → SQS target
 * delivers as the message body), narrowed to one source and detail-type.
 */
export function createEnvelopeSchema<S extends string, D extends string, T extends z.ZodMiniType>(
  source: S,
  detailType: D,
  detail: T,
) {
  return z.extend(EventBridgeEnvelopeSchema, {
    source: z.literal(source),
    "detail-type": z.literal(detailType),
    detail,
  });
}

/** `<detail-type>#<articleId>#<version>[#<item id>]`: stable across redeliveries and replays. */
export const EventKeySchema = z
  .string()
  .check(
    z.minLength(1),
    z.describe("Deterministic id of this derived event; subscribers de-duplicate on it."),
  );

export const ArticleIdSchema = z.string().check(
  z.regex(/^[A-Za-z0-9][A-Za-z0-9._:-]{0,199}$/, {
    message:
      "must be 1-200 characters: letters, digits, '.', '_', ':' or '-', starting with a letter or digit",
  }),
  z.describe(
    "The publisher's id for the article; republishing the same id with new content makes a new version.",
  ),
);

export const VersionSchema = z
  .int()
  .check(z.minimum(1), z.describe("Article version, 1 for the first content seen under this id."));

export const ActorSchema = z.object({
  entity: z.string().check(z.minLength(1), z.describe("ISO 3166-1 alpha-3 or an organisation code.")),
  role: z.optional(z.string().check(z.minLength(1))).check(z.describe("CAMEO role (GOV, MIL, OPP, ...).")),
  name: z.optional(z.string().check(z.minLength(1))),
  mention: z.optional(z.string()),
});

export const EvidenceSchema = z
  .object({
    field: z.enum(["title", "body"]),
    start: z.int().check(z.minimum(0)),
    end: z.int().check(z.minimum(0)),
    text: z.string(),
  })
  .check(z.refine((e) => e.end >= e.start, { message: "end must not be before start", path: ["end"] }));

export const ModalitySchema = z.enum(["asserted", "reported", "intended", "alleged"]);

export const CameoCodeSchema = z.object({
  code: z.string().check(z.regex(/^\d{2,4}$/)),
  root: z.string().check(z.regex(/^\d{2}$/)),
  name: z.string(),
  goldstein: z.number().check(z.minimum(-10), z.maximum(10)),
  quadClass: z.literal([1, 2, 3, 4]),
});

export const PloverCodeSchema = z.object({
  type: z.string().check(z.minLength(1)),
  mode: z.optional(z.string()),
  context: z.optional(z.string()),
});

export const CodedEventSchema = z.object({
  id: z.string().check(z.minLength(1)),
  source: ActorSchema,
  target: z.nullable(ActorSchema),
  cameo: CameoCodeSchema,
  plover: PloverCodeSchema,
  modality: ModalitySchema,
  date: z.iso.date(),
  evidence: EvidenceSchema,
  ruleId: z.string().check(z.minLength(1)),
  confidence: z.number().check(z.minimum(0), z.maximum(1)),
});

export const PolaritySchema = z.enum(["support", "oppose", "neutral"]);

export const StanceSchema = z.object({
  id: z.string().check(z.minLength(1)),
  holder: ActorSchema,
  target: ActorSchema,
  polarity: PolaritySchema,
  confidence: z.number().check(z.minimum(0), z.maximum(1)),
  evidence: z.array(EvidenceSchema),
});
