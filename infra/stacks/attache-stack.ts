// The whole pipeline in one stack:
//   POST /articles -> ingest -> bus --articlePublishedRoute--> coder queue (+DLQ)
//   -> coder -> table -> stream -> emitter -> bus --conflictEventsRoute--> subscriber queue (+DLQ)
//   bus --aggregatorRoute--> aggregator queue (+DLQ) -> aggregator -> table (aggregates + outbox)
//   -> stream -> emitter -> bus (EventConfirmed, StanceShifted, DyadTrendChanged)
//   GET /articles/{id} -> query (read-only)
// Rule patterns, table keys and indexes come from the shared modules that the
// local stack reads too, so what runs locally is what is deployed.
import { CfnOutput, Duration, RemovalPolicy, Stack, type StackProps, Validations } from "aws-cdk-lib";
import type * as dynamodb from "aws-cdk-lib/aws-dynamodb";
import * as iam from "aws-cdk-lib/aws-iam";
import * as lambda from "aws-cdk-lib/aws-lambda";
import * as eventSources from "aws-cdk-lib/aws-lambda-event-sources";
import type { Construct } from "constructs";
import { aggregatorRoute, articlePublishedRoute, conflictEventsRoute } from "../../events/routing.js";
import type { DeploymentConfig } from "../config.js";
import { ArticleTable } from "../constructs/article-table.js";
import { ArticlesApi } from "../constructs/articles-api.js";
import { AttacheBus } from "../constructs/attache-bus.js";
import { AttacheFunction } from "../constructs/attache-function.js";
import { OperationsAlarms } from "../constructs/operations-alarms.js";
import { createTerminalQueue, QueueWithDeadLetter } from "../constructs/queue-with-dead-letter.js";

export interface AttacheStackProps extends StackProps {
  config: DeploymentConfig;
}

/** Coder settings: long enough to code a 200,000-character article with room to spare. */
const CODER_TIMEOUT = Duration.seconds(60);
const CODER_BATCH_WINDOW = Duration.seconds(5);
/** Receives of one article before it is parked in the coder's dead-letter queue. */
const CODER_MAX_RECEIVE_COUNT = 5;
const EMITTER_TIMEOUT = Duration.seconds(60);
/** A contribution is a few reads and one transaction; retries under contention stay well inside this. */
const AGGREGATOR_TIMEOUT = Duration.seconds(30);
const AGGREGATOR_BATCH_WINDOW = Duration.seconds(2);
/**
 * The actions the aggregator's transactions and reads use, on the table only (it queries
 * no index): TransactWriteItems is authorised per action inside it.
 */
export const AGGREGATOR_TABLE_ACTIONS = [
  "dynamodb:ConditionCheckItem",
  "dynamodb:DeleteItem",
  "dynamodb:GetItem",
  "dynamodb:PutItem",
  "dynamodb:Query",
  "dynamodb:UpdateItem",
];

export class AttacheStack extends Stack {
  readonly bus: AttacheBus;
  readonly table: ArticleTable;
  readonly coderQueue: QueueWithDeadLetter;
  readonly subscriberQueue: QueueWithDeadLetter;
  readonly aggregatorQueue: QueueWithDeadLetter;
  readonly aggregator: AttacheFunction;
  readonly emitterFailureQueue: ReturnType<typeof createTerminalQueue>;
  readonly ingest: AttacheFunction;
  readonly coder: AttacheFunction;
  readonly emitter: AttacheFunction;
  readonly query: AttacheFunction;
  readonly api: ArticlesApi;
  readonly alarms: OperationsAlarms;

  constructor(scope: Construct, id: string, props: AttacheStackProps) {
    super(scope, id, props);
    const { config } = props;
    const removalPolicy = config.isProduction ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY;
    const functionDefaults = { logRetention: config.logRetention, logLevel: config.logLevel, removalPolicy };

    this.bus = new AttacheBus(this, "Events", {
      busName: config.busName,
      archiveRetentionDays: config.archiveRetentionDays,
    });
    this.table = new ArticleTable(this, "Articles", { isProduction: config.isProduction });
    this.alarms = new OperationsAlarms(this, "Alarms", { stage: config.stage, removalPolicy });

    // --- ingest: POST /articles -> ArticlePublished on the bus -------------------
    this.ingest = new AttacheFunction(this, "Ingest", {
      ...functionDefaults,
      entry: "functions/ingest/handler.ts",
      serviceName: "ingest",
      description: "Validates a published article and puts ArticlePublished on the bus",
      environment: { EVENT_BUS_NAME: this.bus.bus.eventBusName },
    });
    this.bus.grantPublish(this.ingest.function);

    // --- coder: coder queue -> codeArticle -> table ----------------------------
    this.coder = new AttacheFunction(this, "Coder", {
      ...functionDefaults,
      entry: "functions/coder/handler.ts",
      serviceName: "coder",
      description: "Codes events and stances from each article and stores them",
      memorySize: 1024,
      timeout: CODER_TIMEOUT,
      environment: { TABLE_NAME: this.table.table.tableName },
    });
    this.table.table.grantReadWriteData(this.coder.function);

    this.coderQueue = new QueueWithDeadLetter(this, "CoderQueue", {
      // AWS guidance for Lambda consumers: at least six times the function timeout
      // (plus the batching window), so retries by Lambda do not redeliver a message
      // that is still being processed.
      visibilityTimeout: Duration.seconds(6 * CODER_TIMEOUT.toSeconds() + CODER_BATCH_WINDOW.toSeconds()),
      maxReceiveCount: CODER_MAX_RECEIVE_COUNT,
    });
    // Events EventBridge cannot deliver go to the same dead-letter queue as articles the
    // coder gave up on: both hold ArticlePublished envelopes and re-drive to the coder queue.
    this.bus.routeToQueue(articlePublishedRoute, this.coderQueue.queue, this.coderQueue.deadLetterQueue);
    this.coder.function.addEventSource(
      new eventSources.SqsEventSource(this.coderQueue.queue, {
        batchSize: 10,
        maxBatchingWindow: CODER_BATCH_WINDOW,
        // Only the failed articles of a batch return to the queue, not the whole batch.
        reportBatchItemFailures: true,
        // Bounds the concurrent coders (and so the write rate) during a backlog.
        maxConcurrency: 10,
      }),
    );
    Validations.of(this.coder.function).acknowledge({
      id: "Serverless-LambdaEventSourceMappingDestination",
      reason:
        "SQS event source mappings do not support on-failure destinations; the coder queue's redrive policy moves an article to its dead-letter queue after 5 receives.",
    });
    acknowledgeIndexWildcard(this.coder, this.table.table);

    // --- emitter: table stream -> derived events on the bus (transactional outbox) --
    this.emitterFailureQueue = createTerminalQueue(this, "EmitterFailures");
    Validations.of(this.emitterFailureQueue).acknowledge({
      id: "AwsSolutions-SQS3",
      reason:
        "This queue is the stream mapping's on-failure destination (a dead-letter queue the rule does not recognise as one); an alarm fires on its depth.",
    });
    this.emitter = new AttacheFunction(this, "Emitter", {
      ...functionDefaults,
      entry: "functions/emitter/handler.ts",
      serviceName: "emitter",
      description:
        "Emits ArticleCoded, DiplomaticEventCoded, StanceRecorded and the aggregator's derived events for what the table stored",
      timeout: EMITTER_TIMEOUT,
      environment: { EVENT_BUS_NAME: this.bus.bus.eventBusName },
    });
    this.bus.grantPublish(this.emitter.function);
    this.emitter.function.addEventSource(
      new eventSources.DynamoEventSource(this.table.table, {
        // TRIM_HORIZON, not LATEST: records written before the mapping was enabled (a
        // first deployment, or the mapping re-created) are still emitted. The outbox
        // promises every stored item is emitted; subscribers de-duplicate on eventKey.
        startingPosition: lambda.StartingPosition.TRIM_HORIZON,
        batchSize: 100,
        // A failing record is isolated by halving the batch instead of blocking its shard.
        bisectBatchOnError: true,
        retryAttempts: 10,
        // Stream records live 24 hours; older ones cannot be read anyway.
        maxRecordAge: Duration.hours(24),
        reportBatchItemFailures: true,
        // Records of one item stay in order (an article version, then its supersession).
        parallelizationFactor: 1,
        onFailure: new eventSources.SqsDlq(this.emitterFailureQueue),
      }),
    );
    Validations.of(this.emitter.role).acknowledge({
      id: "AwsSolutions-IAM5[Resource::*]",
      reason:
        "Besides the X-Ray actions, the stream event source needs dynamodb:ListStreams, which supports no resource-level permissions; the other stream actions are scoped to the table's stream.",
    });

    // --- aggregator: coder output -> clusters, stance histories, dyad trends ------
    // Fed from the bus, not the table stream: replaying the archive into a fresh stack
    // rebuilds the same aggregates. Its derived events leave through the table's outbox
    // and the emitter, like every other derived event.
    this.aggregator = new AttacheFunction(this, "Aggregator", {
      ...functionDefaults,
      entry: "functions/aggregator/handler.ts",
      serviceName: "aggregator",
      description: "Aggregates coded events and stances into clusters, stance histories and dyad trends",
      timeout: AGGREGATOR_TIMEOUT,
      environment: { TABLE_NAME: this.table.table.tableName, ...config.aggregationEnvironment },
    });
    iam.Grant.addToPrincipal({
      grantee: this.aggregator.function,
      actions: AGGREGATOR_TABLE_ACTIONS,
      resourceArns: [this.table.table.tableArn],
    });
    this.aggregatorQueue = new QueueWithDeadLetter(this, "AggregatorQueue", {
      visibilityTimeout: Duration.seconds(
        6 * AGGREGATOR_TIMEOUT.toSeconds() + AGGREGATOR_BATCH_WINDOW.toSeconds(),
      ),
      maxReceiveCount: 5,
      // A replay of a year's archive can queue a backlog; keep it for the SQS maximum.
      retentionPeriod: Duration.days(14),
    });
    this.bus.routeToQueue(aggregatorRoute, this.aggregatorQueue.queue, this.aggregatorQueue.deadLetterQueue);
    this.aggregator.function.addEventSource(
      new eventSources.SqsEventSource(this.aggregatorQueue.queue, {
        batchSize: 10,
        maxBatchingWindow: AGGREGATOR_BATCH_WINDOW,
        reportBatchItemFailures: true,
        // Hot aggregates (one busy pair, one big story) serialise through conditional
        // writes; more concurrent aggregators would mostly collide and retry.
        maxConcurrency: 5,
      }),
    );
    Validations.of(this.aggregator.function).acknowledge({
      id: "Serverless-LambdaEventSourceMappingDestination",
      reason:
        "SQS event source mappings do not support on-failure destinations; the aggregator queue's redrive policy moves a message to its dead-letter queue after 5 receives.",
    });

    // --- query: GET /articles/{id}, read-only ---------------------------------
    this.query = new AttacheFunction(this, "Query", {
      ...functionDefaults,
      entry: "functions/query/handler.ts",
      serviceName: "query",
      description: "Answers the read API: articles, events, dyads, actors and clusters (read-only)",
      environment: { TABLE_NAME: this.table.table.tableName },
    });
    this.table.table.grantReadData(this.query.function);
    acknowledgeIndexWildcard(this.query, this.table.table);

    // --- example subscriber: conflict events to a queue a downstream team reads ---
    this.subscriberQueue = new QueueWithDeadLetter(this, "ConflictSubscriber", {
      visibilityTimeout: Duration.seconds(60),
      maxReceiveCount: 5,
      retentionPeriod: Duration.days(14),
    });
    this.bus.routeToQueue(
      conflictEventsRoute,
      this.subscriberQueue.queue,
      this.subscriberQueue.deadLetterQueue,
    );

    this.api = new ArticlesApi(this, "Api", {
      stage: config.stage,
      isProduction: config.isProduction,
      ingestFunction: this.ingest.function,
      queryFunction: this.query.function,
      logRetention: config.logRetention,
      removalPolicy,
    });

    // --- alarms -------------------------------------------------------------------
    this.alarms.alarmOnQueueDepth(
      "CoderDeadLetterAlarm",
      this.coderQueue.deadLetterQueue,
      "Articles the coder gave up on (or EventBridge could not deliver). Fix, then re-drive to the coder queue: docs/deploy.md.",
    );
    this.alarms.alarmOnQueueDepth(
      "EmitterFailureAlarm",
      this.emitterFailureQueue,
      "Stream batches the emitter could not publish. Their derived events are missing from the bus: docs/deploy.md.",
    );
    this.alarms.alarmOnQueueDepth(
      "SubscriberDeadLetterAlarm",
      this.subscriberQueue.deadLetterQueue,
      "Conflict events the example subscriber did not consume (or EventBridge could not deliver): docs/deploy.md.",
    );
    this.alarms.alarmOnQueueDepth(
      "AggregatorDeadLetterAlarm",
      this.aggregatorQueue.deadLetterQueue,
      "Coded events or stances the aggregator gave up on (or EventBridge could not deliver); clusters, stance histories and trends miss them until re-driven: docs/derived-events.md.",
    );
    for (const [id, fn] of [
      ["Ingest", this.ingest],
      ["Coder", this.coder],
      ["Emitter", this.emitter],
      ["Query", this.query],
      ["Aggregator", this.aggregator],
    ] as const) {
      this.alarms.alarmOnFunctionErrors(
        `${id}ErrorsAlarm`,
        fn.function,
        `attache-${id.toLowerCase()} failed invocations in the last 5 minutes; see its log group.`,
      );
    }
    this.alarms.alarmOnIteratorAge(
      "EmitterIteratorAgeAlarm",
      this.emitter.function,
      Duration.hours(1),
      "The emitter is more than an hour behind the table stream; records expire after 24 hours.",
    );

    // --- outputs --------------------------------------------------------------------
    const outputs: Record<string, { value: string; description: string }> = {
      ApiUrl: { value: this.api.api.url, description: "Base URL of the articles API (stage included)" },
      PostArticlesArn: {
        value: this.api.postArticlesArn,
        description: "Resource for a publisher's execute-api:Invoke permission on POST /articles",
      },
      EventBusName: { value: this.bus.bus.eventBusName, description: "The Attaché event bus" },
      EventBusArn: { value: this.bus.bus.eventBusArn, description: "Resource for events:PutEvents grants" },
      TableName: { value: this.table.table.tableName, description: "The single DynamoDB table" },
      SubscriberQueueUrl: {
        value: this.subscriberQueue.queue.queueUrl,
        description: "The example subscriber's queue (conflict events)",
      },
      SubscriberQueueArn: {
        value: this.subscriberQueue.queue.queueArn,
        description: "Re-drive destination for the example subscriber's dead letters",
      },
      CoderQueueArn: { value: this.coderQueue.queue.queueArn, description: "Re-drive destination" },
      CoderDeadLetterQueueArn: {
        value: this.coderQueue.deadLetterQueue.queueArn,
        description: "Articles the coder gave up on",
      },
      SubscriberDeadLetterQueueArn: {
        value: this.subscriberQueue.deadLetterQueue.queueArn,
        description: "Conflict events the example subscriber gave up on",
      },
      EmitterFailureQueueUrl: {
        value: this.emitterFailureQueue.queueUrl,
        description: "Stream batches the emitter could not publish",
      },
      AggregatorQueueArn: {
        value: this.aggregatorQueue.queue.queueArn,
        description: "Re-drive destination for the aggregator's dead letters",
      },
      AggregatorDeadLetterQueueArn: {
        value: this.aggregatorQueue.deadLetterQueue.queueArn,
        description: "Coded events and stances the aggregator gave up on",
      },
      AlarmTopicArn: { value: this.alarms.topic.topicArn, description: "Subscribe here to receive alarms" },
    };
    for (const [outputId, output] of Object.entries(outputs)) new CfnOutput(this, outputId, output);
  }
}

/**
 * The CDK's table grants include `<table>/index/*` so the function can query every
 * index; acknowledge exactly that finding, with the table's real logical id.
 */
function acknowledgeIndexWildcard(fn: AttacheFunction, table: dynamodb.Table): void {
  const stack = Stack.of(table);
  const logicalId = stack.getLogicalId(table.node.defaultChild as dynamodb.CfnTable);
  Validations.of(fn.role).acknowledge({
    id: `AwsSolutions-IAM5[Resource::<${logicalId}.Arn>/index/*]`,
    reason:
      "Table grants cover the table's own global secondary indexes (byActor, byTarget, byDyad), which the access patterns query; no other table is reachable.",
  });
}
