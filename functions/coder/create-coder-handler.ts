// SQS batches of ArticlePublished envelopes → code and store each article. A message that
// can never succeed (not JSON, not an ArticlePublished event, an invalid article) is
// reported in batchItemFailures like any failure: the queue's redrive policy moves it to
// the DLQ after maxReceiveCount, and the rest of the batch is unaffected.
import type { Logger } from "@aws-lambda-powertools/logger";
import { type Metrics, MetricUnit } from "@aws-lambda-powertools/metrics";
import type { Context, SQSBatchResponse, SQSEvent, SQSRecord } from "aws-lambda";
import type { Article } from "../../coder/types.js";
import { ArticlePublishedEventSchema } from "../../events/article-published.js";
import { InvalidInputError } from "../core/errors.js";
import { type ProcessArticleDeps, processArticle } from "../core/process-article.js";
import { toErrorIssues } from "../shared/http.js";
import { parseMessageJson } from "../shared/message-json.js";
import { processSqsBatchInOrder } from "../shared/process-sqs-batch.js";
import { announceRecordFailure, describeRecordFailure } from "../shared/record-failures.js";

export interface CoderDeps extends ProcessArticleDeps {
  logger: Logger;
  metrics: Metrics;
}

export type CoderHandler = (event: SQSEvent, context?: Context) => Promise<SQSBatchResponse>;

/** The article inside one SQS message (an EventBridge envelope as the rule target delivers it). */
export function parseArticleMessage(body: string): Article {
  const json = parseMessageJson(body);
  const parsed = ArticlePublishedEventSchema.safeParse(json);
  if (!parsed.success) {
    throw new InvalidInputError(
      "message is not a valid ArticlePublished event",
      toErrorIssues(parsed.error.issues),
      { cause: parsed.error },
    );
  }
  return parsed.data.detail;
}

export function createCoderHandler(deps: CoderDeps): CoderHandler {
  const { logger, metrics } = deps;

  /**
   * Every failure is logged with its messageId and receive count (the trail an operator
   * follows from a dead letter back to its reason) and announced for a local queue.
   */
  const processRecord = async (record: SQSRecord): Promise<void> => {
    try {
      await codeRecord(record);
    } catch (error) {
      announceRecordFailure(record.messageId, error);
      if (!(error instanceof InvalidInputError)) {
        logger.error("record failed", {
          messageId: record.messageId,
          receiveCount: record.attributes?.ApproximateReceiveCount,
          reason: describeRecordFailure(error),
          error: error as Error,
        });
      }
      throw error;
    }
  };

  const codeRecord = async (record: SQSRecord): Promise<void> => {
    const messageId = record.messageId;
    let article: Article;
    try {
      article = parseArticleMessage(record.body);
    } catch (error) {
      metrics.addMetric("PoisonMessages", MetricUnit.Count, 1);
      logger.error("unprocessable message", {
        messageId,
        receiveCount: record.attributes?.ApproximateReceiveCount,
        issues: error instanceof InvalidInputError ? error.issues.slice(0, 20) : undefined,
        error: error as Error,
      });
      throw error;
    }
    const outcome = await processArticle(article, deps);
    if (outcome.status === "duplicate") {
      metrics.addMetric("ArticlesSkippedAsDuplicate", MetricUnit.Count, 1);
      logger.info("article already stored", { messageId, articleId: article.id, version: outcome.version });
      return;
    }
    metrics.addMetric("ArticlesCoded", MetricUnit.Count, 1);
    metrics.addMetric("EventsCoded", MetricUnit.Count, outcome.eventCount);
    metrics.addMetric("StancesCoded", MetricUnit.Count, outcome.stanceCount);
    if (outcome.droppedItems > 0)
      metrics.addMetric("CoderItemsRejected", MetricUnit.Count, outcome.droppedItems);
    logger.info("article coded", {
      messageId,
      articleId: article.id,
      version: outcome.version,
      events: outcome.eventCount,
      stances: outcome.stanceCount,
      rejectedItems: outcome.droppedItems,
    });
  };

  return async (event, context) => {
    if (context) logger.addContext(context);
    // One record at a time: the coder is CPU-bound, and two versions of one article in a
    // batch then store in the order they arrived.
    return processSqsBatchInOrder(event, processRecord, { metrics, ...(context ? { context } : {}) });
  };
}
