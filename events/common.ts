// Schemas shared by every event Attaché puts on the bus: the EventBridge envelope and
// the coder's output shapes (mirroring coder/types.ts, which stays the contract; the
// type tests in test/unit/events fail if the two drift apart).
import { EventBridgeSchema } from "@aws-lambda-powertools/parser/schemas/eventbridge";
import { z } from "zod";

/**
 * The full envelope a subscriber receives (and that an EventBridge → SQS target
 * delivers as the message body), narrowed to one source and detail-type.
 */
export function createEnvelopeSchema<S extends string, D extends string, T extends z.ZodType>(
  source: S,
  detailType: D,
  detail: T,
) {
  return EventBridgeSchema.extend({
    source: z.literal(source),
    "detail-type": z.literal(detailType),
    detail,
  });
}

/** `<detail-type>#<articleId>#<version>[#<item id>]`: stable across redeliveries and replays. */
export const EventKeySchema = z
  .string()
  .min(1)
  .describe("Deterministic id of this derived event; subscribers de-duplicate on it.");

export const ArticleIdSchema = z
  .string()
  .regex(/^[A-Za-z0-9][A-Za-z0-9._:-]{0,199}$/, {
    message:
      "must be 1-200 characters: letters, digits, '.', '_', ':' or '-', starting with a letter or digit",
  })
  .describe(
    "The publisher's id for the article; republishing the same id with new content makes a new version.",
  );

export const VersionSchema = z
  .int()
  .min(1)
  .describe("Article version, 1 for the first content seen under this id.");

export const ActorSchema = z.object({
  entity: z.string().min(1).describe("ISO 3166-1 alpha-3 or an organisation code."),
  role: z.string().min(1).optional().describe("CAMEO role (GOV, MIL, OPP, ...)."),
  name: z.string().min(1).optional(),
  mention: z.string().optional(),
});

export const EvidenceSchema = z
  .object({
    field: z.enum(["title", "body"]),
    start: z.int().min(0),
    end: z.int().min(0),
    text: z.string(),
  })
  .refine((e) => e.end >= e.start, { message: "end must not be before start", path: ["end"] });

export const ModalitySchema = z.enum(["asserted", "reported", "intended", "alleged"]);

export const CameoCodeSchema = z.object({
  code: z.string().regex(/^\d{2,4}$/),
  root: z.string().regex(/^\d{2}$/),
  name: z.string(),
  goldstein: z.number().min(-10).max(10),
  quadClass: z.literal([1, 2, 3, 4]),
});

export const PloverCodeSchema = z.object({
  type: z.string().min(1),
  mode: z.string().optional(),
  context: z.string().optional(),
});

export const CodedEventSchema = z.object({
  id: z.string().min(1),
  source: ActorSchema,
  target: ActorSchema.nullable(),
  cameo: CameoCodeSchema,
  plover: PloverCodeSchema,
  modality: ModalitySchema,
  date: z.iso.date(),
  evidence: EvidenceSchema,
  ruleId: z.string().min(1),
  confidence: z.number().min(0).max(1),
});

export const PolaritySchema = z.enum(["support", "oppose", "neutral"]);

export const StanceSchema = z.object({
  id: z.string().min(1),
  holder: ActorSchema,
  target: ActorSchema,
  polarity: PolaritySchema,
  confidence: z.number().min(0).max(1),
  evidence: z.array(EvidenceSchema),
});
