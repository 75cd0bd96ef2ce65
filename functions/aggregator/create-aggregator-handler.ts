// SQS batches of the coder's output (DiplomaticEventCoded, StanceRecorded, ArticleCoded
// envelopes) → the aggregates. Partial batch responses: a message that fails (a schema
// mismatch, aggregates that kept changing under it) is reported alone, retried by the
// queue and parked in its dead-letter queue after maxReceiveCount.
import type { Logger } from "@aws-lambda-powertools/logger";
import { type Metrics, MetricUnit } from "@aws-lambda-powertools/metrics";
import type { Context, SQSBatchResponse, SQSEvent, SQSRecord } from "aws-lambda";
import { ArticleCodedEventSchema } from "../../events/article-coded.js";
import { DiplomaticEventCodedEventSchema } from "../../events/diplomatic-event-coded.js";
import { DetailType } from "../../events/routing.js";
import { StanceRecordedEventSchema } from "../../events/stance-recorded.js";
import {
  type Aggregator,
  type AggregatorInput,
  buildEventInput,
  buildStanceInput,
} from "../core/aggregates/aggregate-contribution.js";
import { InvalidInputError } from "../core/errors.js";
import { toErrorIssues } from "../shared/http.js";
import { parseMessageJson } from "../shared/message-json.js";
import { processSqsBatchInOrder } from "../shared/process-sqs-batch.js";

export interface AggregatorHandlerDeps {
  aggregate: Aggregator;
  logger: Logger;
  metrics: Metrics;
}

export type AggregatorHandler = (event: SQSEvent, context?: Context) => Promise<SQSBatchResponse>;

const schemas = {
  [DetailType.DiplomaticEventCoded]: DiplomaticEventCodedEventSchema,
  [DetailType.StanceRecorded]: StanceRecordedEventSchema,
  [DetailType.ArticleCoded]: ArticleCodedEventSchema,
} as const;

/** What one SQS message asks of the aggregates; null for an ArticleCoded of a first version (nothing to withdraw). */
export function parseAggregatorMessage(body: string): AggregatorInput | null {
  const json = parseMessageJson(body);
  const detailType = (json as { "detail-type"?: unknown })?.["detail-type"];
  const schema = schemas[detailType as keyof typeof schemas];
  if (!schema) {
    throw new InvalidInputError(`detail-type ${String(detailType)} is not aggregated`, [
      { path: "detail-type", message: `expected one of ${Object.keys(schemas).join(", ")}` },
    ]);
  }
  const parsed = schema.safeParse(json);
  if (!parsed.success) {
    throw new InvalidInputError(
      `message is not a valid ${String(detailType)} event`,
      toErrorIssues(parsed.error.issues),
      { cause: parsed.error },
    );
  }
  const { detail } = parsed.data;
  if ("event" in detail) return buildEventInput(detail);
  if ("stance" in detail) return buildStanceInput(detail);
  return detail.version > 1
    ? { kind: "article", articleId: detail.articleId, version: detail.version }
    : null;
}

export function createAggregatorHandler(deps: AggregatorHandlerDeps): AggregatorHandler {
  const { logger, metrics } = deps;

  const processRecord = async (record: SQSRecord): Promise<void> => {
    let input: AggregatorInput | null;
    try {
      input = parseAggregatorMessage(record.body);
    } catch (error) {
      metrics.addMetric("PoisonMessages", MetricUnit.Count, 1);
      logger.error("unprocessable message", {
        messageId: record.messageId,
        issues: error instanceof InvalidInputError ? error.issues.slice(0, 20) : undefined,
        error: error as Error,
      });
      throw error;
    }
    if (!input) return;
    const outcome = await deps.aggregate(input);
    metrics.addMetric(
      outcome.status === "applied" ? "ContributionsApplied" : "ContributionsSkipped",
      MetricUnit.Count,
      1,
    );
    if (outcome.reverted > 0) metrics.addMetric("ContributionsReverted", MetricUnit.Count, outcome.reverted);
    for (const derived of outcome.derived)
      metrics.addMetric(`${derived.detailType}Written`, MetricUnit.Count, 1);
    logger.debug("message aggregated", {
      messageId: record.messageId,
      kind: input.kind,
      status: outcome.status,
      reverted: outcome.reverted,
      derived: outcome.derived.map((d) => d.eventKey),
    });
  };

  return async (event, context) => {
    if (context) logger.addContext(context);
    // One record at a time: records of one batch often touch the same cluster or pair,
    // and in parallel they would only collide and retry.
    return processSqsBatchInOrder(event, processRecord, {
      metrics,
      ...(context ? { context } : {}),
      onRecordError: (error) => {
        if (!(error instanceof InvalidInputError)) logger.error("record failed", { error });
      },
    });
  };
}
