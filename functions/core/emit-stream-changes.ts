// Publish the derived events of a batch of stream records, in order, and say where the
// batch must resume. Records of one shard must not be skipped past a failure: the first
// record that could not be derived or published is reported, and the stream redelivers
// from there (earlier records succeeded; later ones are retried, which subscribers
// absorb through the event keys).

import { DetailType } from "../../events/routing.js";
import { type DerivedEntry, deriveBusEntry, type StreamChange } from "./derive-bus-entries.js";
import { EventPublishError } from "./errors.js";
import type { BusEntry, EventPublisher } from "./ports.js";

function rankEntry(entry: BusEntry): number {
  return entry.detailType === DetailType.ArticleCoded ? 1 : 0;
}

export interface EmitOutcome {
  emitted: number;
  skipped: number;
  /** Sequence number of the first record that failed, if any. */
  failedSequenceNumber?: string;
  /** Why that record failed. */
  failure?: unknown;
}

export async function emitStreamChanges(
  changes: readonly StreamChange[],
  publisher: EventPublisher,
): Promise<EmitOutcome> {
  const entries: BusEntry[] = [];
  const recordOfEntry: number[] = [];
  let skipped = 0;
  let firstFailed: { index: number; failure: unknown } | undefined;

  for (const [index, change] of changes.entries()) {
    let derived: DerivedEntry;
    try {
      derived = deriveBusEntry(change);
    } catch (error) {
      // Nothing after a bad record is sent: it would be sent again when the stream retries.
      firstFailed = { index, failure: error };
      break;
    }
    if (derived.kind === "skip") {
      skipped += 1;
      continue;
    }
    entries.push(derived.entry);
    recordOfEntry.push(index);
  }

  // ArticleCoded after the events and stances of the same batch, so subscribers that act on
  // ArticleCoded (counting eventIds) mostly find the rest delivered. A preference, not a promise.
  const order = entries
    .map((_, i) => i)
    .sort((a, b) => rankEntry(entries[a]!) - rankEntry(entries[b]!) || a - b);
  const sortedEntries = order.map((i) => entries[i]!);
  const sortedRecords = order.map((i) => recordOfEntry[i]!);
  entries.splice(0, entries.length, ...sortedEntries);
  recordOfEntry.splice(0, recordOfEntry.length, ...sortedRecords);

  let emitted = entries.length;
  if (entries.length > 0) {
    try {
      await publisher.publish(entries);
    } catch (error) {
      const failedEntries = error instanceof EventPublishError ? error.failed.map((f) => f.index) : [0];
      const earliestEntry = Math.min(...failedEntries);
      const earliestRecord = recordOfEntry[earliestEntry] ?? 0;
      emitted = entries.length - (error instanceof EventPublishError ? error.failed.length : entries.length);
      if (!firstFailed || earliestRecord < firstFailed.index)
        firstFailed = { index: earliestRecord, failure: error };
    }
  }

  if (!firstFailed) return { emitted, skipped };
  return {
    emitted,
    skipped,
    failedSequenceNumber: changes[firstFailed.index]!.sequenceNumber,
    failure: firstFailed.failure,
  };
}
