// Alarms an operator acts on, all sent to one encrypted SNS topic: a message in
// any dead-letter queue (something needs a fix and a re-drive) and any function
// error (something is failing now).
import { Duration, type RemovalPolicy } from "aws-cdk-lib";
import * as cloudwatch from "aws-cdk-lib/aws-cloudwatch";
import * as cloudwatchActions from "aws-cdk-lib/aws-cloudwatch-actions";
import * as iam from "aws-cdk-lib/aws-iam";
import * as kms from "aws-cdk-lib/aws-kms";
import type * as lambda from "aws-cdk-lib/aws-lambda";
import * as sns from "aws-cdk-lib/aws-sns";
import type * as sqs from "aws-cdk-lib/aws-sqs";
import { Construct } from "constructs";

export interface OperationsAlarmsProps {
  stage: string;
  removalPolicy: RemovalPolicy;
}

export class OperationsAlarms extends Construct {
  readonly topic: sns.Topic;
  readonly alarms: cloudwatch.Alarm[] = [];
  private readonly action: cloudwatchActions.SnsAction;

  constructor(scope: Construct, id: string, props: OperationsAlarmsProps) {
    super(scope, id);

    // A customer-managed key: CloudWatch can only publish to an encrypted topic if the
    // key policy lets it, and the AWS-managed SNS key's policy cannot be changed.
    const key = new kms.Key(this, "TopicKey", {
      description: `Encrypts the attache-${props.stage} alarm topic`,
      enableKeyRotation: true,
      removalPolicy: props.removalPolicy,
    });
    key.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: "AllowCloudWatchAlarmsToPublish",
        principals: [new iam.ServicePrincipal("cloudwatch.amazonaws.com")],
        actions: ["kms:Decrypt", "kms:GenerateDataKey"],
        resources: ["*"],
      }),
    );

    this.topic = new sns.Topic(this, "Topic", {
      displayName: `Attaché ${props.stage} alarms`,
      masterKey: key,
      enforceSSL: true,
    });
    this.action = new cloudwatchActions.SnsAction(this.topic);
  }

  /** Alarms as soon as one message sits in `queue`: each is an item the pipeline gave up on. */
  alarmOnQueueDepth(id: string, queue: sqs.IQueue, description: string): cloudwatch.Alarm {
    return this.register(
      queue
        .metricApproximateNumberOfMessagesVisible({ period: Duration.minutes(1), statistic: "Maximum" })
        .createAlarm(this, id, {
          alarmDescription: description,
          threshold: 0,
          comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
          evaluationPeriods: 1,
          treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
        }),
    );
  }

  /** Alarms on any invocation error of `fn` within five minutes. */
  alarmOnFunctionErrors(id: string, fn: lambda.IFunction, description: string): cloudwatch.Alarm {
    return this.register(
      fn.metricErrors({ period: Duration.minutes(5), statistic: "Sum" }).createAlarm(this, id, {
        alarmDescription: description,
        threshold: 0,
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
        evaluationPeriods: 1,
        treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
      }),
    );
  }

  /** Alarms when a stream consumer falls behind: stream records expire after 24 hours. */
  alarmOnIteratorAge(
    id: string,
    fn: lambda.IFunction,
    maxAge: Duration,
    description: string,
  ): cloudwatch.Alarm {
    return this.register(
      fn.metric("IteratorAge", { period: Duration.minutes(5), statistic: "Maximum" }).createAlarm(this, id, {
        alarmDescription: description,
        threshold: maxAge.toMilliseconds(),
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
        evaluationPeriods: 1,
        treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
      }),
    );
  }

  private register(alarm: cloudwatch.Alarm): cloudwatch.Alarm {
    alarm.addAlarmAction(this.action);
    alarm.addOkAction(this.action);
    this.alarms.push(alarm);
    return alarm;
  }
}
