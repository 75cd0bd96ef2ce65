// A work queue and the dead-letter queue its poison messages end in, both
// encrypted and TLS-only, so every queue in the stack follows one pattern.
import { Duration, Validations } from "aws-cdk-lib";
import * as sqs from "aws-cdk-lib/aws-sqs";
import { Construct } from "constructs";

export interface QueueWithDeadLetterProps {
  /** Must be at least six times the consumer's timeout (AWS guidance for Lambda event sources). */
  visibilityTimeout: Duration;
  /** Receives before a message moves to the dead-letter queue. */
  maxReceiveCount: number;
  /** How long a message may wait; the dead-letter queue keeps messages for the SQS maximum. */
  retentionPeriod?: Duration;
}

export class QueueWithDeadLetter extends Construct {
  readonly queue: sqs.Queue;
  readonly deadLetterQueue: sqs.Queue;

  constructor(scope: Construct, id: string, props: QueueWithDeadLetterProps) {
    super(scope, id);

    // The maximum (14 days) gives an operator two weekends to fix a fault and re-drive.
    this.deadLetterQueue = createTerminalQueue(this, "DeadLetterQueue");

    this.queue = new sqs.Queue(this, "Queue", {
      visibilityTimeout: props.visibilityTimeout,
      retentionPeriod: props.retentionPeriod ?? Duration.days(4),
      encryption: sqs.QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      deadLetterQueue: { queue: this.deadLetterQueue, maxReceiveCount: props.maxReceiveCount },
    });
  }
}

/**
 * A queue that is itself the end of the line (a dead-letter queue or an
 * on-failure destination): encrypted, TLS-only, 14 days' retention, no redrive.
 */
export function createTerminalQueue(scope: Construct, id: string): sqs.Queue {
  const queue = new sqs.Queue(scope, id, {
    retentionPeriod: Duration.days(14),
    // SQS-managed keys, not KMS: EventBridge and Lambda can then write to the queue
    // without a key policy, and there is no per-request KMS cost.
    encryption: sqs.QueueEncryption.SQS_MANAGED,
    enforceSSL: true,
  });
  Validations.of(queue).acknowledge({
    id: "Serverless-SQSRedrivePolicy",
    reason:
      "This queue is a dead-letter queue or failure destination: the end of the line, re-driven by an operator after a fix (docs/deploy.md); an alarm fires on its depth.",
  });
  return queue;
}
