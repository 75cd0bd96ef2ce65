// Process one published article: skip what is stored already, else code it and store it
// as the article's next version. The store's conditional writes make a racing duplicate
// harmless; the hash check here only saves coding work on plain redeliveries.
import type { Article, CodedArticle, CodedEvent, Stance } from "../../coder/types.js";
import { CodedEventSchema, StanceSchema } from "../../events/common.js";
import { computeContentHash } from "./content-hash.js";
import { CoderOutputError, ConcurrentVersionError } from "./errors.js";
import type { ArticleStore, Clock, CodeArticle } from "./ports.js";

export interface ProcessArticleDeps {
  store: ArticleStore;
  codeArticle: CodeArticle;
  clock: Clock;
  coderVersion: string;
}

export type ProcessOutcome =
  | {
      status: "stored";
      articleId: string;
      version: number;
      eventCount: number;
      stanceCount: number;
      /** Events or stances the coder returned that break the contract (or repeat an id), not stored. */
      droppedItems: number;
    }
  | { status: "duplicate"; articleId: string; version: number };

/**
 * Keeps the events and stances that match the published schemas, first of each id. What
 * is stored is emitted, so an item the emitter could not describe must not be stored: it
 * would block the table's stream. Ids key the stored items, so a repeat would overwrite.
 */
function keepValid<T extends { id: string }>(items: readonly T[], isValid: (item: T) => boolean): T[] {
  const seen = new Set<string>();
  const kept: T[] = [];
  for (const item of items) {
    if (seen.has(item.id) || !isValid(item)) continue;
    seen.add(item.id);
    kept.push(item);
  }
  return kept;
}

function checkCoderOutput(
  article: Article,
  coded: CodedArticle,
): { events: CodedEvent[]; stances: Stance[]; dropped: number } {
  if (coded.articleId !== article.id) {
    throw new CoderOutputError(`the coder answered for article ${coded.articleId}, not ${article.id}`);
  }
  const events = keepValid(coded.events, (e) => CodedEventSchema.safeParse(e).success);
  const stances = keepValid(coded.stances, (s) => StanceSchema.safeParse(s).success);
  return {
    events,
    stances,
    dropped: coded.events.length - events.length + coded.stances.length - stances.length,
  };
}

/** Saves tried when another content of the same article commits in between; then the queue retries. */
export const MAX_SAVE_ATTEMPTS = 3;

export async function processArticle(article: Article, deps: ProcessArticleDeps): Promise<ProcessOutcome> {
  const contentHash = computeContentHash(article);
  let current = await deps.store.getCurrentVersion(article.id);
  if (current && current.contentHash === contentHash) {
    return { status: "duplicate", articleId: article.id, version: current.version };
  }
  // Coding does not depend on the version, so a lost race re-reads and saves again without re-coding.
  const { events, stances, dropped } = checkCoderOutput(article, await deps.codeArticle(article));
  const codedAt = deps.clock.now().toISOString();
  for (let attempt = 1; ; attempt += 1) {
    const version = (current?.version ?? 0) + 1;
    try {
      const outcome = await deps.store.saveVersion(
        {
          article,
          version,
          contentHash,
          ...(current ? { supersedes: current.version } : {}),
          events,
          stances,
          codedAt,
          coderVersion: deps.coderVersion,
        },
        current,
      );
      if (outcome.status === "already-stored") {
        return { status: "duplicate", articleId: article.id, version: outcome.version };
      }
      return {
        status: "stored",
        articleId: article.id,
        version: outcome.version,
        eventCount: events.length,
        stanceCount: stances.length,
        droppedItems: dropped,
      };
    } catch (error) {
      if (!(error instanceof ConcurrentVersionError) || attempt >= MAX_SAVE_ATTEMPTS) throw error;
      current = await deps.store.getCurrentVersion(article.id);
      if (current && current.contentHash === contentHash) {
        return { status: "duplicate", articleId: article.id, version: current.version };
      }
    }
  }
}
