// The table stream's event source mapping: reads DynamoDB Local's Streams API
// (ListStreams, DescribeStream, GetShardIterator, GetRecords), follows shards
// as they close and open, and invokes the emitter with Lambda's
// DynamoDBStreamEvent. It honours partial batch responses the way Lambda does
// with ReportBatchItemFailures: the batch is retried from the lowest failed
// sequence number, a bounded number of times, and then the records go to an
// on-failure file instead of blocking the shard for good.
import { subscribe, unsubscribe } from "node:diagnostics_channel";
import { appendFile, mkdir, readFile, writeFile } from "node:fs/promises";
import { dirname } from "node:path";
import {
  DescribeStreamCommand,
  type DynamoDBStreamsClient,
  GetRecordsCommand,
  type GetRecordsCommandOutput,
  GetShardIteratorCommand,
  ListStreamsCommand,
  type Shard,
  type _Record as StreamApiRecord,
} from "@aws-sdk/client-dynamodb-streams";
import type { Context, DynamoDBRecord, DynamoDBStreamEvent } from "aws-lambda";
import { RECORD_FAILED_CHANNEL, type RecordFailure } from "../functions/shared/record-failures.js";
import { withTimeout } from "./queue.js";
import { toLambdaStreamRecord } from "./stream-records.js";

export class StreamPollerError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = "StreamPollerError";
  }
}

export type StreamHandler = (event: DynamoDBStreamEvent, context: Context) => Promise<unknown>;

export interface StreamPollerOptions {
  client: DynamoDBStreamsClient;
  tableName: string;
  handler: StreamHandler;
  createContext(): Context;
  /** Records that exhausted their retries are appended here, one JSON line per batch. */
  failureFile: string;
  /** Where the last processed sequence number of each shard is kept across restarts. */
  checkpointFile?: string;
  /** Lambda's BatchSize for DynamoDB streams (default 100). */
  batchSize?: number;
  /**
   * Lambda's ParallelizationFactor (1 to 10, default 1): batches of one shard in flight at
   * once, records assigned by partition key, so one key's records stay in order.
   */
  parallelizationFactor?: number;
  /** Lambda's MaximumRetryAttempts (default 3). */
  maxRetryAttempts?: number;
  /** Sleep after a poll that found no records (default 25 ms; Lambda polls about every 250 ms). */
  pollIntervalMs?: number;
  /** First retry delay; it doubles per attempt. */
  retryBaseDelayMs?: number;
  /** How often to look for new shards. */
  describeIntervalMs?: number;
  /** Lambda's function timeout: a longer invocation counts as failed and is retried. */
  timeoutMs?: number;
  onFailure?(failure: StreamFailure): void;
  onError?(error: unknown): void;
}

export interface StreamFailure {
  shardId: string;
  reason: string;
  records: DynamoDBRecord[];
}

interface ShardState {
  shardId: string;
  parentShardId?: string;
  iterator?: string;
  /** The shard has no more records (closed and drained). */
  finished: boolean;
  /**
   * Records read and not yet checkpointed, oldest first: the unprocessed ones, and those
   * processed (in `done`) after an unprocessed one of another key.
   */
  pending: DynamoDBRecord[];
  done: Set<DynamoDBRecord>;
  /** Invocations so far of a failing batch, by its first record's sequence number. */
  retries: Map<string, number>;
  /** The next page, read ahead while the last batch of `pending` is processed. */
  nextPage?: Promise<PageRead>;
  lastSequenceNumber?: string;
}

type PageRead = { ok: true; page: GetRecordsCommandOutput } | { ok: false; error: unknown };

/** GetRecords' own maximum: reads are larger than batches, as Lambda's poller reads ahead of its batches. */
const MAX_RECORDS_PER_READ = 1000;

interface Checkpoints {
  streamArn: string;
  shards: Record<string, string>;
}

export class StreamPoller {
  private readonly options: Required<
    Pick<
      StreamPollerOptions,
      | "batchSize"
      | "maxRetryAttempts"
      | "pollIntervalMs"
      | "retryBaseDelayMs"
      | "describeIntervalMs"
      | "parallelizationFactor"
    >
  > &
    StreamPollerOptions;
  private streamArn: string | undefined;
  /** The table's partition key attribute, from the stream's key schema. */
  private hashKey: string | undefined;
  private readonly shards = new Map<string, ShardState>();
  private running = false;
  private loopDone: Promise<void> = Promise.resolve();
  /** Wakes every sleeper: the loop's idle wait and the shards' retry delays. */
  private readonly wakers = new Set<() => void>();
  private lastDescribeAt = 0;
  private checkpoints: Checkpoints | undefined;
  private checkpointWrites: Promise<void> = Promise.resolve();
  private counts = { records: 0, invocations: 0, failedRecords: 0 };
  /** A write was announced (`poke`) since the current round began. */
  private poked = false;
  /** Ends the idle wait early. */
  private wakeIdle: (() => void) | undefined;

  constructor(options: StreamPollerOptions) {
    this.options = {
      batchSize: 100,
      maxRetryAttempts: 3,
      pollIntervalMs: 25,
      retryBaseDelayMs: 200,
      describeIntervalMs: 10_000,
      parallelizationFactor: 1,
      ...options,
    };
    const factor = this.options.parallelizationFactor;
    if (!Number.isInteger(factor) || factor < 1 || factor > 10) {
      throw new RangeError(`parallelizationFactor must be an integer from 1 to 10, got ${factor}`);
    }
  }

  stats(): {
    streamArn?: string;
    shards: number;
    records: number;
    invocations: number;
    failedRecords: number;
  } {
    return { streamArn: this.streamArn, shards: this.shards.size, ...this.counts };
  }

  /** Finds the table's stream and starts polling it in the background. */
  async start(): Promise<void> {
    const listed = await this.options.client.send(
      new ListStreamsCommand({ TableName: this.options.tableName }),
    );
    const streamArn = listed.Streams?.[0]?.StreamArn;
    if (!streamArn) {
      throw new StreamPollerError(
        `table ${this.options.tableName} has no stream: create it with a stream enabled`,
      );
    }
    this.streamArn = streamArn;
    this.checkpoints = await this.readCheckpoints(streamArn);
    await this.refreshShards();
    this.running = true;
    this.loopDone = this.loop();
  }

  /**
   * Something was just written to the table: poll now rather than at the end of the idle
   * wait. In process the writers can say so, where Lambda's poller can only poll often;
   * with pokes the idle interval only bounds how late a write nobody announced is seen.
   * A poke during a round makes the next round start at once, so none is lost.
   */
  poke(): void {
    this.poked = true;
    this.wakeIdle?.();
  }

  /** Stops after the current invocation; records not yet processed stay in the stream. */
  async stop(): Promise<void> {
    this.running = false;
    for (const wake of [...this.wakers]) wake();
    await this.loopDone;
  }

  /**
   * Polls every ready shard at once, as Lambda runs one batcher per shard: a slow batch on
   * one shard does not hold up the others. Within a shard batches stay one at a time
   * (ParallelizationFactor 1, as deployed), so per-item order holds. A round that found
   * records polls again at once; an idle one sleeps `pollIntervalMs`.
   */
  private async loop(): Promise<void> {
    while (this.running) {
      let worked = false;
      this.poked = false;
      try {
        if (Date.now() - this.lastDescribeAt >= this.options.describeIntervalMs) await this.refreshShards();
        const polled = await Promise.allSettled(
          this.readyShards().map((shard) => (this.running ? this.pollShard(shard) : false)),
        );
        for (const result of polled) {
          if (result.status === "fulfilled") worked = result.value || worked;
          else this.options.onError?.(result.reason);
        }
      } catch (error) {
        this.options.onError?.(error);
      }
      if (!worked && this.running && !this.poked) await this.idle(this.options.pollIntervalMs);
    }
  }

  /** Shards to read now: parents are drained before their children, so per-item order holds. */
  private readyShards(): ShardState[] {
    return [...this.shards.values()].filter((shard) => {
      if (shard.finished) return false;
      const parent = shard.parentShardId ? this.shards.get(shard.parentShardId) : undefined;
      return !parent || parent.finished;
    });
  }

  private async refreshShards(): Promise<void> {
    this.lastDescribeAt = Date.now();
    const found: Shard[] = [];
    let exclusiveStartShardId: string | undefined;
    do {
      const described = await this.options.client.send(
        new DescribeStreamCommand({
          StreamArn: this.streamArn,
          ExclusiveStartShardId: exclusiveStartShardId,
        }),
      );
      found.push(...(described.StreamDescription?.Shards ?? []));
      this.hashKey ??= described.StreamDescription?.KeySchema?.find(
        (k) => k.KeyType === "HASH",
      )?.AttributeName;
      exclusiveStartShardId = described.StreamDescription?.LastEvaluatedShardId;
    } while (exclusiveStartShardId);
    for (const shard of found) {
      if (!shard.ShardId || this.shards.has(shard.ShardId)) continue;
      const lastSequenceNumber = this.checkpoints?.shards[shard.ShardId];
      this.shards.set(shard.ShardId, {
        shardId: shard.ShardId,
        parentShardId: shard.ParentShardId,
        finished: false,
        pending: [],
        done: new Set(),
        retries: new Map(),
        lastSequenceNumber,
      });
    }
  }

  /**
   * Reads (when nothing is pending) and processes one batch of a shard; true if there was
   * anything to do. While the last pending batch is processed the next page is already
   * being read, so the shard's one-at-a-time batches do not also wait for GetRecords.
   * Order is unchanged: a page is only used once everything before it is processed.
   */
  private async pollShard(shard: ShardState): Promise<boolean> {
    if (shard.pending.length === 0) {
      if (!shard.nextPage) {
        if (shard.iterator === undefined) shard.iterator = await this.getIterator(shard);
        if (shard.iterator === undefined) {
          shard.finished = true;
          return false;
        }
        shard.nextPage = this.readPage(shard.iterator);
        shard.iterator = undefined;
      }
      const read = await shard.nextPage;
      shard.nextPage = undefined;
      if (!read.ok) {
        const error = read.error;
        const name = (error as { name?: string }).name;
        // Iterators expire after 15 minutes: get a new one from the checkpoint.
        if (name === "ExpiredIteratorException") {
          shard.iterator = undefined;
          return false;
        }
        // Records past the 24-hour retention are gone: read from the oldest left.
        if (name === "TrimmedDataAccessException") {
          shard.iterator = undefined;
          shard.lastSequenceNumber = undefined;
          return false;
        }
        throw new StreamPollerError(`GetRecords failed on shard ${shard.shardId}`, { cause: error });
      }
      const page = read.page;
      const records = (page.Records ?? []).map((r: StreamApiRecord) =>
        toLambdaStreamRecord(r, this.streamArn!),
      );
      shard.pending.push(...records);
      shard.iterator = page.NextShardIterator;
      // No next iterator: the shard is closed; it is finished once what was read is processed.
      if (!page.NextShardIterator && shard.pending.length === 0) {
        shard.finished = true;
        return true;
      }
      if (records.length === 0) return false;
    }
    const unprocessed = shard.pending.length - shard.done.size;
    if (
      shard.iterator !== undefined &&
      !shard.nextPage &&
      unprocessed <= this.options.batchSize * this.options.parallelizationFactor
    ) {
      shard.nextPage = this.readPage(shard.iterator);
      shard.iterator = undefined;
    }
    await this.processRound(shard);
    if (shard.pending.length === 0 && shard.iterator === undefined && !shard.nextPage) shard.finished = true;
    return true;
  }

  /** One GetRecords call; never rejects, so a page read ahead cannot go unhandled. */
  private readPage(iterator: string): Promise<PageRead> {
    return this.options.client
      .send(new GetRecordsCommand({ ShardIterator: iterator, Limit: MAX_RECORDS_PER_READ }))
      .then(
        (page): PageRead => ({ ok: true, page }),
        (error: unknown): PageRead => ({ ok: false, error }),
      );
  }

  private async getIterator(shard: ShardState): Promise<string | undefined> {
    const command = shard.lastSequenceNumber
      ? new GetShardIteratorCommand({
          StreamArn: this.streamArn,
          ShardId: shard.shardId,
          ShardIteratorType: "AFTER_SEQUENCE_NUMBER",
          SequenceNumber: shard.lastSequenceNumber,
        })
      : new GetShardIteratorCommand({
          StreamArn: this.streamArn,
          ShardId: shard.shardId,
          ShardIteratorType: "TRIM_HORIZON",
        });
    const answer = await this.options.client.send(command);
    return answer.ShardIterator;
  }

  /**
   * One round: the first batch of each lane (at most `parallelizationFactor` lanes, chosen
   * by partition key) runs at once; then the checkpoint moves past every record processed
   * before the first one that is not.
   */
  private async processRound(shard: ShardState): Promise<void> {
    const factor = this.options.parallelizationFactor;
    const lanes = new Map<number, DynamoDBRecord[]>();
    for (const record of shard.pending) {
      if (shard.done.has(record)) continue;
      const lane = factor === 1 ? 0 : this.laneOf(record, factor);
      const batch = lanes.get(lane) ?? [];
      if (batch.length >= this.options.batchSize) continue;
      batch.push(record);
      lanes.set(lane, batch);
    }
    await Promise.all([...lanes.values()].map((batch) => this.processBatch(shard, batch)));
    await this.checkpoint(shard);
  }

  private laneOf(record: DynamoDBRecord, factor: number): number {
    const keys = record.dynamodb?.Keys ?? {};
    const key = JSON.stringify(this.hashKey ? keys[this.hashKey] : keys);
    // FNV-1a: a stable spread of keys over the lanes.
    let hash = 0x811c9dc5;
    for (let i = 0; i < key.length; i++) hash = Math.imul(hash ^ key.charCodeAt(i), 0x01000193) >>> 0;
    return hash % factor;
  }

  private markDone(shard: ShardState, records: DynamoDBRecord[]): void {
    for (const record of records) {
      shard.done.add(record);
      shard.retries.delete(record.dynamodb?.SequenceNumber ?? "");
    }
    this.counts.records += records.length;
  }

  private async processBatch(shard: ShardState, batch: DynamoDBRecord[]): Promise<void> {
    const sequenceNumbers = batch.map((r) => r.dynamodb?.SequenceNumber ?? "");
    let failedFrom: number;
    let reason: string;
    this.counts.invocations += 1;
    // Why a record failed, as the handler announces it (functions/shared/record-failures.ts),
    // so the on-failure record says more than "it failed".
    const reasons = new Map<string, string>();
    const listen = (payload: unknown) => {
      const failure = payload as RecordFailure;
      if (sequenceNumbers.includes(failure.itemIdentifier))
        reasons.set(failure.itemIdentifier, failure.reason);
    };
    subscribe(RECORD_FAILED_CHANNEL, listen);
    try {
      const response = await withTimeout(
        this.options.handler({ Records: batch }, this.options.createContext()),
        this.options.timeoutMs,
      );
      failedFrom = lowestFailedIndex(response, sequenceNumbers);
      reason = reasons.get(sequenceNumbers[failedFrom] ?? "") ?? "the handler reported batchItemFailures";
    } catch (error) {
      failedFrom = 0;
      reason = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
      this.options.onError?.(error);
    } finally {
      unsubscribe(RECORD_FAILED_CHANNEL, listen);
    }
    // Everything before the first failure is done.
    const done = failedFrom === -1 ? batch.length : failedFrom;
    if (done > 0) this.markDone(shard, batch.slice(0, done));
    if (failedFrom === -1) return;

    const head = sequenceNumbers[failedFrom] ?? "";
    const attempts = (shard.retries.get(head) ?? 0) + 1;
    shard.retries.set(head, attempts);
    // The first invocation is not a retry: up to maxRetryAttempts more follow it.
    if (attempts <= this.options.maxRetryAttempts) {
      await this.sleep(this.options.retryBaseDelayMs * 2 ** (attempts - 1));
      return;
    }
    const failedRecords = batch.slice(failedFrom);
    await this.recordFailure(shard, failedRecords, reason, attempts);
    this.markDone(shard, failedRecords);
  }

  /** Moves the checkpoint past the processed records that no unprocessed one precedes. */
  private async checkpoint(shard: ShardState): Promise<void> {
    let count = 0;
    while (count < shard.pending.length && shard.done.has(shard.pending[count]!)) count += 1;
    if (count === 0) return;
    const processed = shard.pending.splice(0, count);
    for (const record of processed) shard.done.delete(record);
    const last = processed.at(-1)?.dynamodb?.SequenceNumber;
    if (!last) return;
    shard.lastSequenceNumber = last;
    if (!this.options.checkpointFile || !this.streamArn) return;
    this.checkpoints ??= { streamArn: this.streamArn, shards: {} };
    this.checkpoints.shards[shard.shardId] = last;
    // Shards are polled at once: one write at a time, each of the latest checkpoints,
    // so two writes never interleave in the file.
    const file = this.options.checkpointFile;
    const written = this.checkpointWrites
      .catch(() => undefined)
      .then(async () => {
        await mkdir(dirname(file), { recursive: true });
        await writeFile(file, `${JSON.stringify(this.checkpoints, null, 2)}\n`, "utf8");
      });
    this.checkpointWrites = written;
    await written;
  }

  private async readCheckpoints(streamArn: string): Promise<Checkpoints | undefined> {
    if (!this.options.checkpointFile) return undefined;
    try {
      const saved = JSON.parse(await readFile(this.options.checkpointFile, "utf8")) as Checkpoints;
      // A new table has a new stream; old checkpoints say nothing about it.
      return saved.streamArn === streamArn ? saved : undefined;
    } catch {
      return undefined;
    }
  }

  private async recordFailure(
    shard: ShardState,
    records: DynamoDBRecord[],
    reason: string,
    attempts: number,
  ): Promise<void> {
    this.counts.failedRecords += records.length;
    const first = records[0]?.dynamodb;
    const last = records.at(-1)?.dynamodb;
    const timestamp = new Date().toISOString();
    // The shape of Lambda's on-failure destination record, plus the records themselves.
    const entry = {
      version: "1.0",
      timestamp,
      requestContext: { condition: "RetryAttemptsExhausted", approximateInvokeCount: attempts },
      responseContext: { functionError: reason },
      DDBStreamBatchInfo: {
        shardId: shard.shardId,
        startSequenceNumber: first?.SequenceNumber,
        endSequenceNumber: last?.SequenceNumber,
        approximateArrivalOfFirstRecord: toIso(first?.ApproximateCreationDateTime),
        approximateArrivalOfLastRecord: toIso(last?.ApproximateCreationDateTime),
        batchSize: records.length,
        streamArn: this.streamArn,
      },
      records,
    };
    await mkdir(dirname(this.options.failureFile), { recursive: true });
    await appendFile(this.options.failureFile, `${JSON.stringify(entry)}\n`, "utf8");
    this.options.onFailure?.({ shardId: shard.shardId, reason, records });
  }

  /** The idle wait: `pollIntervalMs`, or until a poke. */
  private async idle(ms: number): Promise<void> {
    const slept = this.sleep(ms, (wake) => {
      this.wakeIdle = wake;
    });
    await slept;
    this.wakeIdle = undefined;
  }

  private sleep(ms: number, exposeWake?: (wake: () => void) => void): Promise<void> {
    return new Promise((resolve) => {
      const wake = () => {
        clearTimeout(timer);
        this.wakers.delete(wake);
        resolve();
      };
      const timer = setTimeout(wake, ms);
      this.wakers.add(wake);
      exposeWake?.(wake);
    });
  }
}

const toIso = (epochSeconds: number | undefined): string | undefined =>
  epochSeconds === undefined ? undefined : new Date(epochSeconds * 1000).toISOString();

/**
 * The index of the lowest failed record, or -1 when all succeeded. As in
 * Lambda, an identifier that is empty or not in the batch fails the whole batch.
 */
export function lowestFailedIndex(response: unknown, sequenceNumbers: string[]): number {
  if (response === undefined || response === null) return -1;
  const failures = (response as { batchItemFailures?: unknown }).batchItemFailures;
  if (failures === undefined || failures === null) return -1;
  if (!Array.isArray(failures)) return 0;
  let lowest = -1;
  for (const failure of failures) {
    const id = (failure as { itemIdentifier?: unknown } | null)?.itemIdentifier;
    const index = typeof id === "string" && id.length > 0 ? sequenceNumbers.indexOf(id) : -1;
    if (index === -1) return 0;
    if (lowest === -1 || index < lowest) lowest = index;
  }
  return lowest;
}
