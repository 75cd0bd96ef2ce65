// PutEvents with EventBridge's rules applied: at most 10 entries and 1 MB a call, a 200
// answer that can still hold failed entries (resend only those, with backoff), and an
// entry too large for any call refused before anything is sent.
import {
  DescribeEventBusCommand,
  type EventBridgeClient,
  PutEventsCommand,
  type PutEventsRequestEntry,
  ResourceNotFoundException,
} from "@aws-sdk/client-eventbridge";
import { EventBusNotFoundError, EventPublishError } from "../core/errors.js";
import type { BusEntry, EventPublisher, FailedBusEntry } from "../core/ports.js";

export const MAX_ENTRIES_PER_CALL = 10;
/** PutEvents' limit on a whole request, and so on one entry. */
export const MAX_REQUEST_BYTES = 1_048_576;
export const ENTRY_TOO_LARGE = "EntryTooLarge";

export interface EventBridgePublisherOptions {
  client: Pick<EventBridgeClient, "send">;
  eventBusName: string;
  /** Calls per entry, first included. */
  maxAttempts?: number;
  baseDelayMs?: number;
  maxDelayMs?: number;
  /** Injected so tests run without waiting. */
  sleep?: (ms: number) => Promise<void>;
  random?: () => number;
}

/**
 * An entry's size as EventBridge counts it: the UTF-8 bytes of Source, DetailType,
 * Detail and each Resource, plus 14 bytes for Time when set.
 */
export function measureEntryBytes(entry: PutEventsRequestEntry): number {
  let size = entry.Time ? 14 : 0;
  for (const text of [entry.Source, entry.DetailType, entry.Detail, ...(entry.Resources ?? [])]) {
    if (text) size += Buffer.byteLength(text, "utf8");
  }
  return size;
}

interface Pending {
  index: number;
  entry: BusEntry;
  request: PutEventsRequestEntry;
  bytes: number;
  lastError?: { code: string; message?: string };
}

/** Groups entries into calls of at most 10 entries and 1 MB, keeping their order. */
export function chunkEntries<T extends { bytes: number }>(entries: readonly T[]): T[][] {
  const chunks: T[][] = [];
  let current: T[] = [];
  let currentBytes = 0;
  for (const entry of entries) {
    if (
      current.length === MAX_ENTRIES_PER_CALL ||
      (current.length > 0 && currentBytes + entry.bytes > MAX_REQUEST_BYTES)
    ) {
      chunks.push(current);
      current = [];
      currentBytes = 0;
    }
    current.push(entry);
    currentBytes += entry.bytes;
  }
  if (current.length > 0) chunks.push(current);
  return chunks;
}

const defaultSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export function createEventBridgePublisher(options: EventBridgePublisherOptions): EventPublisher {
  const maxAttempts = options.maxAttempts ?? 5;
  const baseDelayMs = options.baseDelayMs ?? 100;
  const maxDelayMs = options.maxDelayMs ?? 5_000;
  const sleep = options.sleep ?? defaultSleep;
  const random = options.random ?? Math.random;

  const toRequest = (entry: BusEntry): PutEventsRequestEntry => ({
    EventBusName: options.eventBusName,
    Source: entry.source,
    DetailType: entry.detailType,
    Detail: JSON.stringify(entry.detail),
    Resources: entry.resources ?? [],
    ...(entry.time ? { Time: entry.time } : {}),
  });

  /** Sends one chunk; returns the entries that failed, with their error codes. */
  async function sendChunk(chunk: Pending[]): Promise<Pending[]> {
    try {
      const response = await options.client.send(
        new PutEventsCommand({ Entries: chunk.map((p) => p.request) }),
      );
      const results = response.Entries ?? [];
      const failed: Pending[] = [];
      chunk.forEach((pending, i) => {
        const result = results[i];
        // No result for an entry means we cannot know it was accepted: treat as failed.
        if (!result || result.ErrorCode || !result.EventId) {
          pending.lastError = {
            code: result?.ErrorCode ?? "MissingResult",
            ...(result?.ErrorMessage ? { message: result.ErrorMessage } : {}),
          };
          failed.push(pending);
        }
      });
      return failed;
    } catch (error) {
      // The SDK has already retried throttling and network errors; count this call as one attempt.
      const err = error as { name?: string; message?: string };
      for (const pending of chunk)
        pending.lastError = { code: err.name ?? "Error", message: err.message ?? "" };
      return chunk;
    }
  }

  return {
    async publish(entries) {
      const refused: FailedBusEntry[] = [];
      let pending: Pending[] = [];
      entries.forEach((entry, index) => {
        const request = toRequest(entry);
        const bytes = measureEntryBytes(request);
        if (bytes > MAX_REQUEST_BYTES) {
          refused.push({
            index,
            entry,
            errorCode: ENTRY_TOO_LARGE,
            errorMessage: `entry is ${bytes} bytes; PutEvents takes at most ${MAX_REQUEST_BYTES}`,
          });
        } else {
          pending.push({ index, entry, request, bytes });
        }
      });

      for (let attempt = 1; pending.length > 0 && attempt <= maxAttempts; attempt += 1) {
        if (attempt > 1) {
          // Full jitter: spreads retries of many concurrent emitters.
          const ceiling = Math.min(maxDelayMs, baseDelayMs * 2 ** (attempt - 2));
          await sleep(Math.floor(random() * ceiling));
        }
        const failed: Pending[] = [];
        for (const chunk of chunkEntries(pending)) failed.push(...(await sendChunk(chunk)));
        pending = failed;
      }

      const failed: FailedBusEntry[] = [
        ...refused,
        ...pending.map((p) => ({
          index: p.index,
          entry: p.entry,
          errorCode: p.lastError?.code ?? "Unknown",
          ...(p.lastError?.message ? { errorMessage: p.lastError.message } : {}),
        })),
      ].sort((a, b) => a.index - b.index);
      if (failed.length > 0) {
        const codes = [...new Set(failed.map((f) => f.errorCode))].join(", ");
        throw new EventPublishError(
          `${failed.length} of ${entries.length} events were not put on bus ${options.eventBusName} (${codes})`,
          failed,
        );
      }
    },

    async assertBusExists() {
      try {
        await options.client.send(new DescribeEventBusCommand({ Name: options.eventBusName }));
      } catch (error) {
        if (
          error instanceof ResourceNotFoundException ||
          (error as { name?: string }).name === "ResourceNotFoundException"
        ) {
          throw new EventBusNotFoundError(`event bus ${options.eventBusName} does not exist`, {
            cause: error,
          });
        }
        throw new EventBusNotFoundError(`could not describe event bus ${options.eventBusName}`, {
          cause: error,
        });
      }
    },
  };
}
