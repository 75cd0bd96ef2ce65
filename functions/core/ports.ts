// What the application logic needs from the outside world. Handlers wire real adapters
// (DynamoDB, EventBridge, the coder); unit tests wire the fakes in test/fakes/.
import type { Article, CodedArticle, CodedEvent, Stance } from "../../coder/types.js";

/** The coder: pure and synchronous today; a promise is accepted so it may move out of process. */
export type CodeArticle = (article: Article) => CodedArticle | Promise<CodedArticle>;

export interface Clock {
  now(): Date;
}

/** What the table says is the current version of an article. */
export interface CurrentVersion {
  articleId: string;
  version: number;
  contentHash: string;
}

/** One article version, coded, ready to store. */
export interface ArticleVersion {
  article: Article;
  version: number;
  contentHash: string;
  /** The version this one replaces; absent for the first. */
  supersedes?: number;
  events: CodedEvent[];
  stances: Stance[];
  /** ISO 8601 */
  codedAt: string;
  coderVersion: string;
}

export type SaveOutcome =
  | { status: "stored"; version: number }
  /** This id and content were stored already (a redelivery or a racing duplicate): nothing was written. */
  | { status: "already-stored"; version: number };

/** The article as stored, with its version metadata. */
export interface StoredArticle extends Article {
  version: number;
  contentHash: string;
  codedAt: string;
  coderVersion: string;
  supersedes?: number;
}

export interface CodedArticleView {
  article: StoredArticle;
  events: CodedEvent[];
  stances: Stance[];
}

export interface ArticleStore {
  getCurrentVersion(articleId: string): Promise<CurrentVersion | null>;
  /**
   * Stores `next` as the new current version, replacing the items of `previous`
   * (which must still be current, else the save is refused or found already done).
   */
  saveVersion(next: ArticleVersion, previous: CurrentVersion | null): Promise<SaveOutcome>;
  /** The current version with its events and stances, or null before the article is coded. */
  getCodedArticle(articleId: string): Promise<CodedArticleView | null>;
}

/** One event to put on the bus. */
export interface BusEntry {
  source: string;
  detailType: string;
  detail: Record<string, unknown>;
  resources?: string[];
  time?: Date;
}

export interface FailedBusEntry {
  /** Position in the array given to `publish`. */
  index: number;
  entry: BusEntry;
  errorCode: string;
  errorMessage?: string;
}

export interface EventPublisher {
  /** Puts every entry on the bus, or throws EventPublishError naming the entries that failed. */
  publish(entries: readonly BusEntry[]): Promise<void>;
  /** Throws when the configured bus does not exist, so a wrong name fails loudly at start. */
  assertBusExists(): Promise<void>;
}

/**
 * Process-local diagnostics channel on which the stores announce a committed write to the
 * table (and so to its stream). The local stack's stream poller listens, to read the
 * stream at once instead of at its next poll; in AWS nobody subscribes and publishing
 * costs nothing.
 */
export const TABLE_WRITTEN_CHANNEL = "attache:table-written";
