// Follows the local bus's archive (one event per line, written before PutEvents
// answers) and reports, per article, when its first DiplomaticEventCoded and its
// ArticleCoded appeared. inotify (fs.watch) wakes the reader as soon as a line
// lands; a slow timer covers platforms where watching is unreliable.
import { closeSync, existsSync, type FSWatcher, openSync, readSync, watch, writeFileSync } from "node:fs";
import { DetailType } from "../events/routing.js";

export interface ArticleSighting {
  /** performance.now() when the first DiplomaticEventCoded of the article was read, if any. */
  firstEventAt?: number;
  /** performance.now() when ArticleCoded (written after all of the version's events) was read. */
  codedAt?: number;
  eventCount?: number;
  /** performance.now() when the ArticlePublished the ingest function put on the bus was read. */
  publishedAt?: number;
  /** The coder's clock when it coded the article (ArticleCoded.codedAt), on this process's performance.now() scale. */
  coderClockAt?: number;
  /** The article's own bus entries by detail-type, with their serialized size, for the cost model. */
  busEntries: Record<string, { count: number; bytes: number }>;
  /** Its DiplomaticEventCoded entries the example subscriber's rule matches (quad class 3 or 4). */
  conflictEvents: number;
}

export class ArchiveTail {
  readonly sightings = new Map<string, ArticleSighting>();
  /** performance.now() of the last line read: a quiet archive means the pipeline has drained. */
  lastLineAt = 0;
  private fd: number | undefined;
  private offset = 0;
  private pending = "";
  private watcher: FSWatcher | undefined;
  private timer: NodeJS.Timeout | undefined;
  private readonly buffer = Buffer.alloc(1 << 20);
  private waiters: Array<() => void> = [];

  constructor(private readonly path: string) {}

  start(): void {
    if (!existsSync(this.path)) writeFileSync(this.path, "", { flag: "a" });
    this.fd = openSync(this.path, "r");
    this.watcher = watch(this.path, () => this.drain());
    this.timer = setInterval(() => this.drain(), 50);
    this.drain();
  }

  stop(): void {
    this.watcher?.close();
    if (this.timer) clearInterval(this.timer);
    if (this.fd !== undefined) closeSync(this.fd);
    this.fd = undefined;
  }

  /** Reads whatever has been appended since the last call. */
  drain(): void {
    if (this.fd === undefined) return;
    for (;;) {
      const read = readSync(this.fd, this.buffer, 0, this.buffer.length, this.offset);
      if (read <= 0) break;
      this.offset += read;
      const now = performance.now();
      const text = this.pending + this.buffer.toString("utf8", 0, read);
      const lines = text.split("\n");
      this.pending = lines.pop() ?? "";
      for (const line of lines) if (line) this.record(line, now);
    }
    const waiters = this.waiters;
    this.waiters = [];
    for (const wake of waiters) wake();
  }

  /** Resolves after the next read, so a caller can poll a condition without busy-waiting. */
  nextRead(): Promise<void> {
    return new Promise((resolve) => this.waiters.push(resolve));
  }

  private sighting(articleId: string): ArticleSighting {
    let sighting = this.sightings.get(articleId);
    if (!sighting) {
      sighting = { busEntries: {}, conflictEvents: 0 };
      this.sightings.set(articleId, sighting);
    }
    return sighting;
  }

  private record(line: string, now: number): void {
    this.lastLineAt = now;
    const event = JSON.parse(line) as {
      "detail-type"?: string;
      detail?: {
        id?: string;
        articleId?: string;
        eventCount?: number;
        codedAt?: string;
        event?: { cameo?: { quadClass?: number } };
      };
    };
    const type = event["detail-type"] ?? "?";
    const articleId = type === DetailType.ArticlePublished ? event.detail?.id : event.detail?.articleId;
    if (!articleId) return;
    const sighting = this.sighting(articleId);
    const entry = sighting.busEntries[type] ?? { count: 0, bytes: 0 };
    entry.count += 1;
    entry.bytes += Buffer.byteLength(line);
    sighting.busEntries[type] = entry;
    switch (type) {
      case DetailType.ArticlePublished:
        sighting.publishedAt ??= now;
        break;
      case DetailType.DiplomaticEventCoded: {
        sighting.firstEventAt ??= now;
        const quadClass = event.detail?.event?.cameo?.quadClass;
        if (quadClass === 3 || quadClass === 4) sighting.conflictEvents += 1;
        break;
      }
      case DetailType.ArticleCoded:
        sighting.codedAt ??= now;
        if (typeof event.detail?.eventCount === "number") sighting.eventCount = event.detail.eventCount;
        // Wall clocks of two processes on one machine agree; move it onto our monotonic scale.
        if (event.detail?.codedAt)
          sighting.coderClockAt = Date.parse(event.detail.codedAt) - performance.timeOrigin;
        break;
    }
  }
}

/** Waits until `done()` holds, re-checking after every archive read, or until the deadline. */
export async function waitForArchive(
  tail: ArchiveTail,
  done: () => boolean,
  timeoutMs: number,
): Promise<boolean> {
  const deadline = performance.now() + timeoutMs;
  while (!done()) {
    if (performance.now() > deadline) return false;
    await Promise.race([tail.nextRead(), new Promise((resolve) => setTimeout(resolve, 100))]);
  }
  return true;
}

/** Waits until the archive has had no new line for `quietMs` (the pipeline has drained), or the deadline. */
export async function waitForQuiet(tail: ArchiveTail, quietMs: number, timeoutMs: number): Promise<boolean> {
  const deadline = performance.now() + timeoutMs;
  for (;;) {
    tail.drain();
    if (performance.now() - tail.lastLineAt >= quietMs) return true;
    if (performance.now() > deadline) return false;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
