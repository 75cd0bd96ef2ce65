// ArticlePublished: what publishers send (through POST /articles or straight onto the
// bus). The edge limits keep one article inside a DynamoDB item (400 KB) and an
// EventBridge event (1 MB) with room for the envelope.
import * as z from "zod/mini";
import { articleSchema } from "../coder/article-schema.js";
import { ArticleIdSchema, createEnvelopeSchema } from "./common.js";
import { ARTICLES_SOURCE, DetailType } from "./routing.js";

export const MAX_TITLE_CHARS = 1_000;
export const MAX_BODY_CHARS = 200_000;
/**
 * A byte bound besides the character bound: 200,000 characters of non-Latin script
 * can take 600 KB of UTF-8, more than a DynamoDB item holds.
 */
export const MAX_BODY_BYTES = 300_000;
export const SUPPORTED_LANGUAGES = ["en"] as const;

const utf8Bytes = (text: string) => Buffer.byteLength(text, "utf8");

const base = articleSchema.shape;

/**
 * The coder's article schema (coder/article-schema.ts, the one field list) with the
 * edge's limits: each field here narrows the coder's own definition of it.
 */
export const ArticleSchema = z.extend(articleSchema, {
  id: z.pipe(base.id, ArticleIdSchema),
  title: base.title.check(
    z.trim(),
    z.minLength(1, { message: "must not be empty" }),
    z.maxLength(MAX_TITLE_CHARS, { message: `must be at most ${MAX_TITLE_CHARS} characters` }),
  ),
  body: base.body.check(
    z.minLength(1, { message: "must not be empty" }),
    z.maxLength(MAX_BODY_CHARS, { message: `must be at most ${MAX_BODY_CHARS} characters` }),
    z.refine((body) => utf8Bytes(body) <= MAX_BODY_BYTES, {
      message: `must be at most ${MAX_BODY_BYTES} bytes of UTF-8`,
    }),
  ),
  publishedAt: z.iso.datetime({
    offset: true,
    message: "must be an ISO 8601 date-time with a time zone, e.g. 2025-04-01T12:00:00Z",
  }),
  url: z.pipe(base.url, z.url({ protocol: /^https?$/, message: "must be an http(s) URL" })),
  source: base.source.check(z.trim(), z.minLength(1, { message: "must not be empty" }), z.maxLength(200)),
  language: z.optional(
    z.enum(SUPPORTED_LANGUAGES, { message: `unsupported language: only "en" is supported` }),
  ),
});

export type PublishedArticle = z.infer<typeof ArticleSchema>;

export const ArticlePublishedDetailSchema = ArticleSchema;

export const ArticlePublishedEventSchema = createEnvelopeSchema(
  ARTICLES_SOURCE,
  DetailType.ArticlePublished,
  ArticlePublishedDetailSchema,
);
export type ArticlePublishedEvent = z.infer<typeof ArticlePublishedEventSchema>;
