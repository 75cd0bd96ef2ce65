// The content hash decides "same article again" (skip) versus "new version" (code and
// store). It covers every field the coder reads, in a fixed order, so key order in the
// incoming JSON and re-serialisation cannot change it.
import { createHash } from "node:crypto";
import type { Article } from "../../coder/types.js";

export function computeContentHash(article: Article): string {
  const canonical = JSON.stringify([
    article.id,
    article.title,
    article.body,
    article.publishedAt,
    article.url,
    article.source,
    article.language ?? null,
  ]);
  return createHash("sha256").update(canonical, "utf8").digest("hex");
}
