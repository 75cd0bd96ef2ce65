// Why a batch record failed, announced on a process-local diagnostics channel. Lambda's
// partial batch response can only name the failed records, not say why, so in AWS the
// reason lives in the function's log, keyed by the SQS messageId (which SQS keeps when it
// moves a message to the dead-letter queue) or the stream sequence number. The local
// queue and stream poller, in the same process, subscribe to this channel and attach the
// reason to the dead letter or the on-failure record. With no subscriber, publishing
// costs nothing.
import { channel } from "node:diagnostics_channel";
import { InvalidInputError } from "../core/errors.js";

export const RECORD_FAILED_CHANNEL = "attache:record-failed";

export interface RecordFailure {
  /** What the handler names in batchItemFailures: an SQS messageId or a stream sequence number. */
  itemIdentifier: string;
  /** One line: the error's name and message, the schema issues, and the root cause. */
  reason: string;
}

const recordFailed = channel(RECORD_FAILED_CHANNEL);

/** A short reason that names the problem without repeating the message's content. */
export function describeRecordFailure(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  let reason = `${error.name}: ${error.message}`;
  if (error instanceof InvalidInputError && error.issues.length > 0) {
    const issues = error.issues.slice(0, 10).map((issue) => `${issue.path || "(message)"}: ${issue.message}`);
    reason += ` (${issues.join("; ")}${error.issues.length > 10 ? "; …" : ""})`;
  } else if (error.cause instanceof Error) {
    reason += ` (cause: ${error.cause.name}: ${error.cause.message})`;
  }
  return reason;
}

export function announceRecordFailure(itemIdentifier: string, error: unknown): void {
  if (!recordFailed.hasSubscribers) return;
  const failure: RecordFailure = { itemIdentifier, reason: describeRecordFailure(error) };
  recordFailed.publish(failure);
}
