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
  type AggregateOutcome,
  type Aggregator,
  type AggregatorInput,
  type BatchItemResult,
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

  type Parsed = { ok: true; input: AggregatorInput | null } | { ok: false; error: unknown };

  const parse = (record: SQSRecord): Parsed => {
    try {
      return { ok: true, input: parseAggregatorMessage(record.body) };
    } catch (error) {
      return { ok: false, error };
    }
  };

  const report = (record: SQSRecord, input: AggregatorInput, outcome: AggregateOutcome): void => {
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
    // The batch is aggregated as a whole first: records of one batch mostly come from one
    // article and touch the same clusters, pairs and histories, so reading them once and
    // writing each once (one transaction) replaces a read and a transaction per record.
    // Each record's outcome is then reported as if it had been processed alone.
    const parsed = event.Records.map(parse);
    const valid: Array<{ position: number; input: AggregatorInput }> = [];
    parsed.forEach((p, position) => {
      if (p.ok && p.input) valid.push({ position, input: p.input });
    });
    const results = new Map<number, BatchItemResult>();
    const answers = await deps.aggregate.batch(valid.map((v) => v.input));
    for (const [i, answer] of answers.entries()) results.set(valid[i]!.position, answer);
    const positions = new Map(event.Records.map((record, position) => [record, position]));
    const byMessageId = new Map(event.Records.map((record, position) => [record.messageId, position]));

    const processRecord = async (record: SQSRecord): Promise<void> => {
      const position = positions.get(record) ?? byMessageId.get(record.messageId)!;
      const p = parsed[position]!;
      if (!p.ok) {
        metrics.addMetric("PoisonMessages", MetricUnit.Count, 1);
        logger.error("unprocessable message", {
          messageId: record.messageId,
          issues: p.error instanceof InvalidInputError ? p.error.issues.slice(0, 20) : undefined,
          error: p.error as Error,
        });
        throw p.error;
      }
      if (!p.input) return;
      const result = results.get(position)!;
      if (!result.ok) throw result.error;
      report(record, p.input, result.outcome);
    };

    return processSqsBatchInOrder(event, processRecord, {
      metrics,
      ...(context ? { context } : {}),
      onRecordError: (error) => {
        if (!(error instanceof InvalidInputError)) logger.error("record failed", { error });
      },
    });
  };
}
