// Why a queue record failed, announced on a process-local diagnostics channel. Lambda's
// partial batch response can only name the failed records, not say why, so in AWS the
// reason lives in the function's log (keyed by messageId, which SQS keeps when it moves
// a message to the dead-letter queue). A local queue in the same process subscribes to
// this channel and attaches the reason to the dead letter itself. With no subscriber,
// publishing costs nothing.
import { channel } from "node:diagnostics_channel";
import { InvalidInputError } from "../core/errors.js";

export const RECORD_FAILED_CHANNEL = "attache:record-failed";

export interface RecordFailure {
  messageId: string;
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

export function announceRecordFailure(messageId: string, error: unknown): void {
  if (!recordFailed.hasSubscribers) return;
  const failure: RecordFailure = { messageId, reason: describeRecordFailure(error) };
  recordFailed.publish(failure);
}
