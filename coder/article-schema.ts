// The Article contract as a Zod schema, shared by the CLI, the API edge and
// the event schemas so an article is validated the same way everywhere.
import { z } from "zod";

export const articleSchema = z.object({
  id: z.string().min(1).max(512),
  title: z.string(),
  body: z.string(),
  publishedAt: z.iso.datetime({ offset: true }),
  url: z.string().min(1),
  source: z.string().min(1),
  language: z.string().optional(),
});

export type ArticleInput = z.infer<typeof articleSchema>;

/** One readable line per problem: "publishedAt: Invalid ISO datetime". */
export function describeArticleIssues(error: z.ZodError): string {
  return error.issues.map((i) => `${i.path.length ? i.path.join(".") : "(record)"}: ${i.message}`).join("; ");
}
