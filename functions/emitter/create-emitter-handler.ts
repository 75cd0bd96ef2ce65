// Table stream → bus: the outbox's publishing half. Reports the first record that could
// not be derived or published, so the stream resumes from there and nothing stored is
// left unannounced.
import type { Logger } from "@aws-lambda-powertools/logger";
import { type Metrics, MetricUnit } from "@aws-lambda-powertools/metrics";
import type { AttributeValue } from "@aws-sdk/client-dynamodb";
import { unmarshall } from "@aws-sdk/util-dynamodb";
import type { Context, DynamoDBBatchResponse, DynamoDBRecord, DynamoDBStreamEvent } from "aws-lambda";
import type { StreamChange } from "../core/derive-bus-entries.js";
import { emitStreamChanges } from "../core/emit-stream-changes.js";
import { EventPublishError, InvalidInputError } from "../core/errors.js";
import type { EventPublisher } from "../core/ports.js";
import { announceRecordFailure } from "../shared/record-failures.js";

export interface EmitterDeps {
  publisher: EventPublisher;
  logger: Logger;
  metrics: Metrics;
  ensureReady?: () => Promise<void>;
}

export type EmitterHandler = (
  event: DynamoDBStreamEvent,
  context?: Context,
) => Promise<DynamoDBBatchResponse>;

function toImage(image: unknown): Record<string, unknown> | undefined {
  // aws-lambda's AttributeValue type and the SDK's describe the same wire shape.
  return image ? unmarshall(image as Record<string, AttributeValue>) : undefined;
}

export function toStreamChange(record: DynamoDBRecord, position: number): StreamChange {
  const newImage = toImage(record.dynamodb?.NewImage);
  const oldImage = toImage(record.dynamodb?.OldImage);
  return {
    sequenceNumber: record.dynamodb?.SequenceNumber ?? record.eventID ?? String(position),
    eventName: record.eventName ?? "MODIFY",
    ...(newImage ? { newImage } : {}),
    ...(oldImage ? { oldImage } : {}),
  };
}

export function createEmitterHandler(deps: EmitterDeps): EmitterHandler {
  const { logger, metrics } = deps;
  return async (event, context) => {
    if (context) logger.addContext(context);
    try {
      await deps.ensureReady?.();
      const changes: StreamChange[] = [];
      for (const [position, record] of event.Records.entries()) {
        try {
          changes.push(toStreamChange(record, position));
        } catch (error) {
          // An image that cannot even be unmarshalled stops the batch at this record.
          logger.error("unreadable stream record", { eventID: record.eventID, error: error as Error });
          metrics.addMetric("StreamRecordsFailed", MetricUnit.Count, 1);
          const outcome = await emitStreamChanges(changes, deps.publisher);
          return {
            batchItemFailures: [
              {
                itemIdentifier:
                  outcome.failedSequenceNumber ?? record.dynamodb?.SequenceNumber ?? String(position),
              },
            ],
          };
        }
      }
      const outcome = await emitStreamChanges(changes, deps.publisher);
      metrics.addMetric("DerivedEventsPublished", MetricUnit.Count, outcome.emitted);
      logger.debug("stream batch emitted", {
        records: changes.length,
        emitted: outcome.emitted,
        skipped: outcome.skipped,
      });
      if (outcome.failedSequenceNumber === undefined) return { batchItemFailures: [] };

      const failure = outcome.failure;
      metrics.addMetric("StreamRecordsFailed", MetricUnit.Count, 1);
      logger.error("stream batch stopped at a record", {
        sequenceNumber: outcome.failedSequenceNumber,
        error: failure as Error,
        issues: failure instanceof InvalidInputError ? failure.issues.slice(0, 20) : undefined,
        failedEntries:
          failure instanceof EventPublishError
            ? failure.failed.map((f) => ({
                index: f.index,
                errorCode: f.errorCode,
                detailType: f.entry.detailType,
              }))
            : undefined,
      });
      announceRecordFailure(outcome.failedSequenceNumber, failure);
      return { batchItemFailures: [{ itemIdentifier: outcome.failedSequenceNumber }] };
    } finally {
      metrics.publishStoredMetrics();
    }
  };
}
