// The Article contract as a Zod schema, shared by the CLI, the API edge and
// the event schemas so an article is validated the same way everywhere.
// zod/mini: the same schemas as zod's classic API, as functions a bundler can
// drop when unused, so a Lambda bundle carries only the validators it calls.

import * as z from "zod/mini";
import en from "zod/v4/locales/en.js";

// zod/mini loads no messages by default ("Invalid input" for everything); these
// are the ones the classic API gives, which readers of our 400s and logs see.
z.config(en());

export const articleSchema = z.object({
  id: z.string().check(z.minLength(1), z.maxLength(512)),
  title: z.string(),
  body: z.string(),
  publishedAt: z.iso.datetime({ offset: true }),
  url: z.string().check(z.minLength(1)),
  source: z.string().check(z.minLength(1)),
  language: z.optional(z.string()),
});

export type ArticleInput = z.infer<typeof articleSchema>;

/** One readable line per problem: "publishedAt: Invalid ISO datetime". */
export function describeArticleIssues(error: z.core.$ZodError): string {
  return error.issues.map((i) => `${i.path.length ? i.path.join(".") : "(record)"}: ${i.message}`).join("; ");
}
