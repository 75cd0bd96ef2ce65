// Errors of the aggregation; each keeps its cause so logs show the root.

/** Other writers kept changing the same aggregate; the message is retried by its queue. */
export class ConcurrentAggregateError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = "ConcurrentAggregateError";
  }
}

/** DynamoDB refused an aggregate transaction for a reason retrying will not fix here. */
export class AggregateWriteError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = "AggregateWriteError";
  }
}
