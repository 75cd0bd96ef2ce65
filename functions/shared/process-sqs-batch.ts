// The SQS consumers' common batch loop: records one at a time, partial batch
// responses (only the failed records return to the queue), a failure metric,
// and metrics flushed even when the batch throws.
import { BatchProcessor, EventType, processPartialResponse } from "@aws-lambda-powertools/batch";
import { type Metrics, MetricUnit } from "@aws-lambda-powertools/metrics";
import type { Context, SQSBatchResponse, SQSEvent, SQSRecord } from "aws-lambda";

export interface ProcessSqsBatchOptions {
  metrics: Metrics;
  context?: Context;
  /** Sees each record's error after the batch, e.g. to log the unexpected ones. */
  onRecordError?: (error: Error) => void;
}

/**
 * Processes the records in order, never in parallel: callers rely on it (records of one
 * batch touch the same items, or versions of one article must store in arrival order).
 */
export async function processSqsBatchInOrder(
  event: SQSEvent,
  processRecord: (record: SQSRecord) => Promise<void>,
  { metrics, context, onRecordError }: ProcessSqsBatchOptions,
): Promise<SQSBatchResponse> {
  const processor = new BatchProcessor(EventType.SQS);
  try {
    const response = await processPartialResponse(event, processRecord, processor, {
      ...(context ? { context } : {}),
      throwOnFullBatchFailure: false,
      processInParallel: false,
    });
    if (onRecordError) for (const error of processor.errors) onRecordError(error as Error);
    if (response.batchItemFailures.length > 0) {
      metrics.addMetric("RecordsFailed", MetricUnit.Count, response.batchItemFailures.length);
    }
    return response;
  } finally {
    metrics.publishStoredMetrics();
  }
}
