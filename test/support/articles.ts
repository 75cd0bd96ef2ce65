// Articles and ArticlePublished envelopes for reliability tests: short, distinct, and
// each coded by the fake coder into a known number of events and stances.
import { randomUUID } from "node:crypto";
import type { Article } from "../../coder/types.js";
import { ARTICLES_SOURCE, DetailType } from "../../events/routing.js";
import {
  createArticleCodedKey,
  createDiplomaticEventKey,
  createStanceKey,
} from "../../functions/core/event-keys.js";
import { codeArticleFake } from "../fakes/fake-coder.js";

/** One body line naming two countries: one event and one stance with the fake coder. */
export function createShortArticle(id: string, salt = ""): Article {
  return {
    id,
    title: `Ministers meet (${id})`,
    body: `China met Russia in Moscow about ${id}${salt}.`,
    publishedAt: "2025-04-01T12:00:00Z",
    url: `https://example.org/news/${id}`,
    source: "reliability-test",
    language: "en",
  };
}

/** The envelope EventBridge hands an SQS target for an ArticlePublished event. */
export function createArticlePublishedEnvelope(detail: unknown): Record<string, unknown> {
  return {
    version: "0",
    id: randomUUID(),
    "detail-type": DetailType.ArticlePublished,
    source: ARTICLES_SOURCE,
    account: "000000000000",
    time: "2025-04-01T12:00:01Z",
    region: "us-east-1",
    resources: [],
    detail,
  };
}

/** Every derived event key version 1 of `article` must produce once, with the fake coder. */
export function expectedEventKeys(article: Article, version = 1): string[] {
  const coded = codeArticleFake(article);
  return [
    createArticleCodedKey(article.id, version),
    ...coded.events.map((e) => createDiplomaticEventKey(article.id, version, e.id)),
    ...coded.stances.map((s) => createStanceKey(article.id, version, s.id)),
  ];
}

/** Polls until `probe` answers a value; the test's own timeout bounds the wait. */
export async function waitFor<T>(
  probe: () => Promise<T | undefined> | T | undefined,
  intervalMs = 50,
): Promise<T> {
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}
