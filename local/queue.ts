// An SQS-like queue and the Lambda event source mapping that drains it, with
// the semantics the coder is written against: batches (size and batching
// window), a visibility timeout, `receiveCount`, a redrive to a dead-letter
// queue after `maxReceiveCount` receives, and partial batch responses
// (`batchItemFailures`), where only the reported messages come back.
// The clock is injectable so tests can step through time without waiting.
import { createHash, randomUUID } from "node:crypto";
import { subscribe, unsubscribe } from "node:diagnostics_channel";
import type { Context, SQSEvent, SQSRecord } from "aws-lambda";
import { RECORD_FAILED_CHANNEL, type RecordFailure } from "../functions/shared/record-failures.js";

export interface QueueMessage {
  messageId: string;
  receiptHandle: string;
  body: string;
  sentAt: number;
  receiveCount: number;
  firstReceivedAt?: number;
  /** The message is invisible (in flight) until this time. */
  visibleAt: number;
  /** Why the last delivery failed, carried to the dead-letter queue. */
  lastFailure?: string;
  messageAttributes: Record<string, string>;
}

export interface DeadLetter {
  queue: string;
  message: QueueMessage;
  reason: string;
}

export interface LocalQueueOptions {
  name: string;
  region: string;
  account: string;
  visibilityTimeoutMs: number;
  /** With a dead-letter queue: receives after which a message is moved there. */
  maxReceiveCount?: number;
  deadLetterQueue?: LocalQueue;
  clock?(): number;
  onDeadLetter?(deadLetter: DeadLetter): void;
}

export class LocalQueue {
  readonly name: string;
  readonly arn: string;
  private readonly options: LocalQueueOptions;
  private readonly messages = new Map<string, QueueMessage>();
  private readonly listeners = new Set<() => void>();

  constructor(options: LocalQueueOptions) {
    if (options.deadLetterQueue && !(options.maxReceiveCount && options.maxReceiveCount >= 1)) {
      throw new RangeError(`queue ${options.name}: a dead-letter queue needs maxReceiveCount >= 1`);
    }
    this.options = options;
    this.name = options.name;
    this.arn = `arn:aws:sqs:${options.region}:${options.account}:${options.name}`;
  }

  get region(): string {
    return this.options.region;
  }

  now(): number {
    return this.options.clock?.() ?? Date.now();
  }

  send(body: string, messageAttributes: Record<string, string> = {}): string {
    const messageId = randomUUID();
    const now = this.now();
    this.messages.set(messageId, {
      messageId,
      receiptHandle: "",
      body,
      sentAt: now,
      receiveCount: 0,
      visibleAt: now,
      messageAttributes,
    });
    for (const listener of this.listeners) listener();
    return messageId;
  }

  /** Calls `listener` whenever a message is sent (consumers wake on it). */
  onSend(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /**
   * Receives up to `max` visible messages, oldest first, making them invisible
   * for the visibility timeout. Messages already received `maxReceiveCount`
   * times go to the dead-letter queue instead, as SQS's redrive policy does.
   */
  receive(max: number, held?: ReadonlySet<string>): QueueMessage[] {
    const now = this.now();
    const out: QueueMessage[] = [];
    for (const message of this.visibleMessages(now, held)) {
      if (out.length >= max) break;
      if (this.options.deadLetterQueue && message.receiveCount >= this.options.maxReceiveCount!) {
        this.moveToDeadLetterQueue(message);
        continue;
      }
      message.receiveCount += 1;
      message.firstReceivedAt ??= now;
      message.receiptHandle = randomUUID();
      message.visibleAt = now + this.options.visibilityTimeoutMs;
      out.push({ ...message, messageAttributes: { ...message.messageAttributes } });
    }
    return out;
  }

  /** Deletes a received message; a stale receipt handle (re-received since) is ignored, as in SQS. */
  delete(messageId: string, receiptHandle: string): boolean {
    const message = this.messages.get(messageId);
    if (!message || message.receiptHandle !== receiptHandle) return false;
    return this.messages.delete(messageId);
  }

  /** Records why a delivery failed; the message itself reappears when its visibility timeout ends. */
  recordFailure(messageId: string, reason: string): void {
    const message = this.messages.get(messageId);
    if (message) message.lastFailure = reason;
  }

  /**
   * How many messages are visible now, and since when the oldest of them has been waiting.
   * `held` names messages a consumer is still working on, which it does not count.
   */
  visibleSummary(held?: ReadonlySet<string>): { count: number; oldestVisibleSince?: number } {
    const now = this.now();
    let count = 0;
    let oldest: number | undefined;
    for (const m of this.messages.values()) {
      if (m.visibleAt > now || held?.has(m.messageId)) continue;
      count += 1;
      const since = Math.max(m.sentAt, m.visibleAt);
      if (oldest === undefined || since < oldest) oldest = since;
    }
    return oldest === undefined ? { count } : { count, oldestVisibleSince: oldest };
  }

  /** The earliest time an in-flight message becomes visible again. */
  nextVisibilityAt(): number | undefined {
    const now = this.now();
    let next: number | undefined;
    for (const message of this.messages.values()) {
      if (message.visibleAt > now && (next === undefined || message.visibleAt < next))
        next = message.visibleAt;
    }
    return next;
  }

  stats(): { visible: number; inFlight: number } {
    const now = this.now();
    let visible = 0;
    for (const message of this.messages.values()) if (message.visibleAt <= now) visible += 1;
    return { visible, inFlight: this.messages.size - visible };
  }

  /** A copy of every message held, for inspection (the dead-letter queue, the example subscriber). */
  peek(): QueueMessage[] {
    return [...this.messages.values()].map((m) => ({ ...m, messageAttributes: { ...m.messageAttributes } }));
  }

  /**
   * Visible messages, oldest first. The map keeps insertion order, which is send order, so
   * the sort only has work when a clock stepped back; a backlog of thousands of messages
   * is then one pass per poll rather than a sort.
   */
  private visibleMessages(now: number, held?: ReadonlySet<string>): QueueMessage[] {
    const visible: QueueMessage[] = [];
    let sorted = true;
    for (const message of this.messages.values()) {
      if (message.visibleAt > now || held?.has(message.messageId)) continue;
      if (sorted && visible.length > 0 && visible[visible.length - 1]!.sentAt > message.sentAt)
        sorted = false;
      visible.push(message);
    }
    return sorted ? visible : visible.sort((a, b) => a.sentAt - b.sentAt);
  }

  private moveToDeadLetterQueue(message: QueueMessage): void {
    const dlq = this.options.deadLetterQueue!;
    this.messages.delete(message.messageId);
    const reason = message.lastFailure ?? "no failure reason was recorded";
    dlq.send(message.body, {
      ...message.messageAttributes,
      failureReason: reason,
      sourceQueue: this.name,
      sourceMessageId: message.messageId,
      receiveCount: String(message.receiveCount),
    });
    this.options.onDeadLetter?.({ queue: this.name, message, reason });
  }
}

/**
 * Moves every visible message of a dead-letter queue back to `target`, as SQS's
 * message move task does after a fix: the body and the publisher's attributes go
 * back, the failure bookkeeping stays behind, and the receive count starts again.
 */
export function redriveMessages(deadLetterQueue: LocalQueue, target: LocalQueue): { moved: number } {
  let moved = 0;
  for (const message of deadLetterQueue.receive(Number.MAX_SAFE_INTEGER)) {
    const { failureReason, sourceQueue, sourceMessageId, receiveCount, ...attributes } =
      message.messageAttributes;
    target.send(message.body, attributes);
    deadLetterQueue.delete(message.messageId, message.receiptHandle);
    moved += 1;
  }
  return { moved };
}

export type SqsHandler = (event: SQSEvent, context: Context) => Promise<unknown>;

export interface QueueConsumerOptions {
  /** Lambda's BatchSize: at most this many messages per invocation. */
  batchSize: number;
  /** Lambda's MaximumBatchingWindowInSeconds, in ms: wait this long for a full batch. */
  maxBatchingWindowMs: number;
  /**
   * How many batches may be in flight at once, as Lambda's SQS poller scales out
   * (its ScalingConfig.MaximumConcurrency caps the same thing). Default 1.
   */
  maxConcurrency?: number;
  /** Builds the Lambda context for each invocation. */
  createContext(): Context;
  /**
   * Lambda's function timeout: an invocation still running after this long counts as
   * failed, so one hung call cannot stall the queue. (In process, the call itself
   * cannot be killed; it finishes in the background and its answer is ignored.)
   */
  timeoutMs?: number;
  /** Reports an invocation that failed as a whole (the handler threw or answered nonsense). */
  onInvocationError?(error: unknown): void;
  /**
   * Lower priority: while this answers true (another consumer is busy), batches wait, but
   * never more than `maxYieldMs` beyond their window, so they cannot starve.
   */
  yieldWhile?(): boolean;
  maxYieldMs?: number;
}

/** How often a yielding consumer looks again whether it may go. */
const YIELD_RECHECK_MS = 10;

export interface BatchOutcome {
  invoked: boolean;
  succeeded: string[];
  failed: string[];
}

/**
 * The event source mapping: polls the queue, invokes the handler with an
 * SQSEvent, deletes what succeeded and leaves the rest to come back after the
 * visibility timeout.
 *
 * With `maxConcurrency` above 1 several batches are in flight at once, as when
 * Lambda scales an SQS mapping out. No two batches in flight hold the same
 * message: a received message is invisible for the visibility timeout, and a
 * message whose invocation outlives that timeout is not received again until
 * the invocation ends. (SQS would redeliver it; AWS avoids that by requiring a
 * visibility timeout of at least the function timeout, which local tests
 * shorten to see redeliveries quickly.) Batches finish in any order, so nothing
 * may rely on one message being handled before another: a standard SQS queue
 * promises no order either, and the store's conditional writes settle two
 * versions of one article coded at once.
 */
export class QueueConsumer {
  private timer: NodeJS.Timeout | undefined;
  private running = false;
  private readonly active = new Set<Promise<void>>();
  /** Messages of the batches in flight. */
  private readonly held = new Set<string>();
  private unsubscribe: (() => void) | undefined;
  private readonly maxConcurrency: number;

  constructor(
    private readonly queue: LocalQueue,
    private readonly handler: SqsHandler,
    private readonly options: QueueConsumerOptions,
  ) {
    const concurrency = options.maxConcurrency ?? 1;
    if (!Number.isInteger(concurrency) || concurrency < 1) {
      throw new RangeError(`queue ${queue.name}: maxConcurrency must be an integer >= 1, got ${concurrency}`);
    }
    this.maxConcurrency = concurrency;
  }

  /** Runs one poll: invokes the handler once if a batch is due. Tests drive this directly. */
  async pollOnce(): Promise<BatchOutcome> {
    const messages = this.receiveDueBatch();
    if (!messages) return { invoked: false, succeeded: [], failed: [] };
    return this.invokeHolding(messages);
  }

  /** Batches in flight now. */
  get inFlightBatches(): number {
    return this.active.size;
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    this.unsubscribe = this.queue.onSend(() => this.schedule(0));
    this.schedule(0);
  }

  /** Stops polling and waits for the running invocations to finish. */
  async stop(): Promise<void> {
    this.running = false;
    this.unsubscribe?.();
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    await Promise.all(this.active);
  }

  /** A batch if one is due (full, or its window has closed), received and so made invisible. */
  private receiveDueBatch(): QueueMessage[] | undefined {
    const { count, oldestVisibleSince } = this.queue.visibleSummary(this.held);
    if (count === 0) return undefined;
    const waited = this.queue.now() - (oldestVisibleSince ?? this.queue.now());
    if (count < this.options.batchSize && waited < this.options.maxBatchingWindowMs) return undefined;
    if (
      this.options.yieldWhile?.() &&
      waited < this.options.maxBatchingWindowMs + (this.options.maxYieldMs ?? 0)
    ) {
      return undefined;
    }
    const messages = this.queue.receive(this.options.batchSize, this.held);
    return messages.length === 0 ? undefined : messages;
  }

  private schedule(delayMs: number): void {
    if (!this.running) return;
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => this.dispatch(), Math.max(0, delayMs));
  }

  /** Starts as many due batches as there are free slots; a finished batch calls it again. */
  private dispatch(): void {
    this.timer = undefined;
    if (!this.running) return;
    while (this.active.size < this.maxConcurrency) {
      let messages: QueueMessage[] | undefined;
      try {
        messages = this.receiveDueBatch();
      } catch (error) {
        this.options.onInvocationError?.(error);
        break;
      }
      if (!messages) break;
      const run: Promise<void> = this.invokeHolding(messages)
        .then(
          () => undefined,
          (error: unknown) => this.options.onInvocationError?.(error),
        )
        .finally(() => {
          this.active.delete(run);
          this.schedule(0);
        });
      this.active.add(run);
    }
    // With every slot busy, the next finished batch wakes the loop; otherwise sleep until due.
    if (this.active.size < this.maxConcurrency) this.schedule(this.nextWakeDelay());
  }

  /** Sleeps until a batching window closes or an in-flight message reappears. */
  private nextWakeDelay(): number {
    const now = this.queue.now();
    const { oldestVisibleSince } = this.queue.visibleSummary(this.held);
    const candidates: number[] = [1_000];
    if (oldestVisibleSince !== undefined) {
      candidates.push(oldestVisibleSince + this.options.maxBatchingWindowMs - now);
    }
    if (oldestVisibleSince !== undefined && this.options.yieldWhile) candidates.push(YIELD_RECHECK_MS);
    const reappears = this.queue.nextVisibilityAt();
    if (reappears !== undefined) candidates.push(reappears - now);
    return Math.max(1, Math.min(...candidates));
  }

  /** Invokes with the batch's messages held, so no other batch receives them meanwhile. */
  private async invokeHolding(messages: QueueMessage[]): Promise<BatchOutcome> {
    for (const message of messages) this.held.add(message.messageId);
    try {
      return await this.invoke(messages);
    } finally {
      for (const message of messages) this.held.delete(message.messageId);
    }
  }

  private async invoke(messages: QueueMessage[]): Promise<BatchOutcome> {
    const event: SQSEvent = { Records: messages.map((m) => this.toRecord(m)) };
    const ids = new Set(messages.map((m) => m.messageId));
    // The handler says which records failed; why, it announces on a channel (see
    // functions/shared/record-failures.ts), so the reason can travel with the message.
    const reasons = new Map<string, string>();
    const listen = (payload: unknown) => {
      const failure = payload as RecordFailure;
      if (ids.has(failure.itemIdentifier)) reasons.set(failure.itemIdentifier, failure.reason);
    };
    subscribe(RECORD_FAILED_CHANNEL, listen);
    let failedIds: Set<string>;
    let reason: string;
    try {
      const response = await withTimeout(
        this.handler(event, this.options.createContext()),
        this.options.timeoutMs,
      );
      failedIds = readBatchItemFailures(response, ids);
      reason = "the handler reported it in batchItemFailures";
    } catch (error) {
      // A thrown error, or an answer Lambda would not accept, fails the whole batch.
      failedIds = ids;
      reason = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
      this.options.onInvocationError?.(error);
    } finally {
      unsubscribe(RECORD_FAILED_CHANNEL, listen);
    }
    const outcome: BatchOutcome = { invoked: true, succeeded: [], failed: [] };
    for (const message of messages) {
      if (failedIds.has(message.messageId)) {
        this.queue.recordFailure(
          message.messageId,
          `${reasons.get(message.messageId) ?? reason} (receive ${message.receiveCount} at ${new Date(this.queue.now()).toISOString()})`,
        );
        outcome.failed.push(message.messageId);
      } else {
        this.queue.delete(message.messageId, message.receiptHandle);
        outcome.succeeded.push(message.messageId);
      }
    }
    return outcome;
  }

  private toRecord(message: QueueMessage): SQSRecord {
    return {
      messageId: message.messageId,
      receiptHandle: message.receiptHandle,
      body: message.body,
      attributes: {
        ApproximateReceiveCount: String(message.receiveCount),
        SentTimestamp: String(message.sentAt),
        SenderId: "AIDAIENQZJOLO23YVJ4VO",
        ApproximateFirstReceiveTimestamp: String(message.firstReceivedAt ?? message.sentAt),
      },
      messageAttributes: Object.fromEntries(
        Object.entries(message.messageAttributes).map(([key, value]) => [
          key,
          { stringValue: value, dataType: "String", stringListValues: [], binaryListValues: [] },
        ]),
      ),
      md5OfBody: createHash("md5").update(message.body).digest("hex"),
      eventSource: "aws:sqs",
      eventSourceARN: this.queue.arn,
      awsRegion: this.queue.region,
    };
  }
}

export class InvalidBatchResponseError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = "InvalidBatchResponseError";
  }
}

/**
 * Reads a partial batch response as Lambda does: nothing (or no list) means
 * all succeeded; an id that is empty or not in the batch makes it a complete failure.
 */
function readBatchItemFailures(response: unknown, ids: Set<string>): Set<string> {
  if (response === undefined || response === null) return new Set();
  if (typeof response !== "object") throw new InvalidBatchResponseError("the handler answered a non-object");
  const failures = (response as { batchItemFailures?: unknown }).batchItemFailures;
  if (failures === undefined || failures === null) return new Set();
  if (!Array.isArray(failures)) throw new InvalidBatchResponseError("batchItemFailures is not a list");
  const failed = new Set<string>();
  for (const failure of failures) {
    const id = (failure as { itemIdentifier?: unknown } | null)?.itemIdentifier;
    if (typeof id !== "string" || !ids.has(id)) {
      throw new InvalidBatchResponseError(
        `batchItemFailures names ${JSON.stringify(id)}, which is not in the batch`,
      );
    }
    failed.add(id);
  }
  return failed;
}

export class InvocationTimeoutError extends Error {
  constructor(timeoutMs: number) {
    super(`Task timed out after ${(timeoutMs / 1000).toFixed(2)} seconds`);
    this.name = "InvocationTimeoutError";
  }
}

/** Races an invocation against the function timeout, as Lambda enforces it. */
export async function withTimeout<T>(invocation: Promise<T>, timeoutMs: number | undefined): Promise<T> {
  if (timeoutMs === undefined || timeoutMs <= 0) return invocation;
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new InvocationTimeoutError(timeoutMs)), timeoutMs);
  });
  // A late rejection of the abandoned invocation must not surface as unhandled.
  invocation.catch(() => undefined);
  try {
    return await Promise.race([invocation, timeout]);
  } finally {
    clearTimeout(timer);
  }
}
