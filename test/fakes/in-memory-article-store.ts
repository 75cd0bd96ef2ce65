// The ArticleStore contract in memory, on the same item layout as the DynamoDB adapter,
// with a change log shaped like the table's stream so emitter logic can run on it.
import type { StreamChange } from "../../functions/core/derive-bus-entries.js";
import { ConcurrentVersionError } from "../../functions/core/errors.js";
import {
  type ArticleMetaItem,
  ArticleVersionItemSchema,
  buildVersionItems,
  createArticlePk,
  createEventSkPrefix,
  createStanceSkPrefix,
  createVersionSk,
  EventItemSchema,
  META_SK,
  StanceItemSchema,
  toStoredArticle,
} from "../../functions/core/item-layout.js";
import type { ArticleStore, CodedArticleView, CurrentVersion } from "../../functions/core/ports.js";

type Item = Record<string, unknown> & { pk: string; sk: string };

export class InMemoryArticleStore implements ArticleStore {
  readonly items = new Map<string, Item>();
  readonly changes: StreamChange[] = [];
  saveCalls = 0;
  private sequence = 0;
  /** Runs just before a save commits, to simulate a racing writer. */
  beforeCommit?: () => void;

  private put(item: Item): void {
    const key = `${item.pk}|${item.sk}`;
    const old = this.items.get(key);
    this.items.set(key, structuredClone(item));
    this.record(old ? "MODIFY" : "INSERT", item, old);
  }

  private remove(key: string): void {
    const old = this.items.get(key);
    if (!old) return;
    this.items.delete(key);
    this.record("REMOVE", undefined, old);
  }

  private record(eventName: StreamChange["eventName"], newImage?: Item, oldImage?: Item): void {
    this.sequence += 1;
    this.changes.push({
      sequenceNumber: String(this.sequence).padStart(10, "0"),
      eventName,
      ...(newImage ? { newImage: structuredClone(newImage) } : {}),
      ...(oldImage ? { oldImage: structuredClone(oldImage) } : {}),
    });
  }

  private readMeta(articleId: string): ArticleMetaItem | undefined {
    return this.items.get(`${createArticlePk(articleId)}|${META_SK}`) as ArticleMetaItem | undefined;
  }

  private itemsWithPrefix(pk: string, prefix: string): Item[] {
    return [...this.items.values()].filter((item) => item.pk === pk && item.sk.startsWith(prefix));
  }

  async getCurrentVersion(articleId: string): Promise<CurrentVersion | null> {
    const meta = this.readMeta(articleId);
    return meta ? { articleId, version: meta.version, contentHash: meta.contentHash } : null;
  }

  async saveVersion(
    next: Parameters<ArticleStore["saveVersion"]>[0],
    previous: CurrentVersion | null,
  ): ReturnType<ArticleStore["saveVersion"]> {
    this.saveCalls += 1;
    this.beforeCommit?.();
    const meta = this.readMeta(next.article.id);
    const unchanged = previous
      ? meta?.version === previous.version && meta.contentHash === previous.contentHash
      : meta === undefined;
    if (!unchanged) {
      if (meta?.contentHash === next.contentHash) return { status: "already-stored", version: meta.version };
      throw new ConcurrentVersionError(`article ${next.article.id} changed while storing`);
    }
    const items = buildVersionItems(next);
    const newItems: Item[] = [
      items.meta,
      items.version,
      ...items.events,
      ...items.stances,
      ...items.latestStances,
    ];
    const newKeys = new Set(newItems.map((item) => `${item.pk}|${item.sk}`));
    const stale: string[] = [];
    if (previous) {
      const pk = createArticlePk(next.article.id);
      for (const item of this.itemsWithPrefix(pk, createEventSkPrefix(previous.contentHash))) {
        stale.push(`${item.pk}|${item.sk}`);
      }
      for (const raw of this.itemsWithPrefix(pk, createStanceSkPrefix(previous.contentHash))) {
        const item = StanceItemSchema.parse(raw);
        stale.push(`${item.pk}|${item.sk}`);
        stale.push(
          `STANCE#${item.stance.holder.entity}#${item.stance.target.entity}|${item.publishedAt}#${item.articleId}#${item.stance.id}`,
        );
      }
    }
    for (const item of newItems) this.put(item);
    for (const key of stale) if (!newKeys.has(key)) this.remove(key);
    return { status: "stored", version: next.version };
  }

  async getCodedArticle(articleId: string): Promise<CodedArticleView | null> {
    const meta = this.readMeta(articleId);
    if (!meta) return null;
    const pk = createArticlePk(articleId);
    const version = this.items.get(`${pk}|${createVersionSk(meta.version)}`);
    if (!version) return null;
    const parsed = ArticleVersionItemSchema.parse(version);
    const byOrder = (ids: string[]) => (a: { id: string }, b: { id: string }) =>
      ids.indexOf(a.id) - ids.indexOf(b.id);
    return {
      article: toStoredArticle(parsed),
      events: this.itemsWithPrefix(pk, createEventSkPrefix(meta.contentHash))
        .map((item) => EventItemSchema.parse(item).event)
        .sort(byOrder(parsed.eventIds)),
      stances: this.itemsWithPrefix(pk, createStanceSkPrefix(meta.contentHash))
        .map((item) => StanceItemSchema.parse(item).stance)
        .sort(byOrder(parsed.stanceIds)),
    };
  }
}
