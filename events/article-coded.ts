// ArticleCoded: one per stored article version. Carries no body (subscribers that need
// the text fetch GET /articles/{id}), so it stays small whatever the article's size.
import * as z from "zod/mini";
import { ArticleIdSchema, createEnvelopeSchema, EventKeySchema, VersionSchema } from "./common.js";
import { CODER_SOURCE, DetailType } from "./routing.js";

export const ArticleCodedDetailSchema = z.object({
  eventKey: EventKeySchema,
  articleId: ArticleIdSchema,
  version: VersionSchema,
  contentHash: z
    .string()
    .check(z.regex(/^[0-9a-f]{64}$/), z.describe("SHA-256 of the article's content fields.")),
  publishedAt: z.iso.datetime({ offset: true }),
  source: z.string(),
  url: z.string(),
  title: z.string(),
  eventCount: z.int().check(z.minimum(0)),
  stanceCount: z.int().check(z.minimum(0)),
  eventIds: z.array(z.string()),
  stanceIds: z.array(z.string()),
  codedAt: z.iso.datetime({ offset: true }),
  coderVersion: z.string(),
  supersedes: z
    .optional(VersionSchema)
    .check(z.describe("The version this one replaces, when the content changed.")),
});
export type ArticleCodedDetail = z.infer<typeof ArticleCodedDetailSchema>;

export const ArticleCodedEventSchema = createEnvelopeSchema(
  CODER_SOURCE,
  DetailType.ArticleCoded,
  ArticleCodedDetailSchema,
);
export type ArticleCodedEvent = z.infer<typeof ArticleCodedEventSchema>;
