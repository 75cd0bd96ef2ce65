// Builders for the coder's output as the aggregator receives it, for the aggregate tests.
import type { CodedEvent, Polarity, Stance } from "../../../coder/types.js";
import type { ArticleCodedDetail } from "../../../events/article-coded.js";
import type { DiplomaticEventCodedDetail } from "../../../events/diplomatic-event-coded.js";
import { CODER_SOURCE, DetailType } from "../../../events/routing.js";
import type { StanceRecordedDetail } from "../../../events/stance-recorded.js";
import { computeClusterId } from "../../../functions/core/aggregates/cluster-key.js";

export interface EventSpec {
  articleId: string;
  version?: number;
  eventId?: string;
  publisher: string;
  publishedAt?: string;
  source?: string;
  target?: string | null;
  code?: string;
  goldstein?: number;
  date?: string;
}

export function buildCodedEvent(spec: EventSpec): CodedEvent {
  const code = spec.code ?? "042";
  return {
    id: spec.eventId ?? `ev-${spec.articleId}`,
    source: { entity: spec.source ?? "CHN" },
    target: spec.target === null ? null : { entity: spec.target ?? "RUS" },
    cameo: {
      code,
      root: code.slice(0, 2),
      name: "Make a visit",
      goldstein: spec.goldstein ?? 1.9,
      quadClass: 1,
    },
    plover: { type: "CONSULT" },
    modality: "asserted",
    date: spec.date ?? "2025-04-01",
    evidence: { field: "body", start: 0, end: 4, text: "Wang" },
    ruleId: "test.rule",
    confidence: 0.9,
  };
}

export function buildEventDetail(spec: EventSpec): DiplomaticEventCodedDetail {
  const event = buildCodedEvent(spec);
  const version = spec.version ?? 1;
  return {
    eventKey: `${DetailType.DiplomaticEventCoded}#${spec.articleId}#${version}#${event.id}`,
    articleId: spec.articleId,
    version,
    event,
    clusterId: computeClusterId(event),
    publisher: spec.publisher,
    publishedAt: spec.publishedAt ?? "2025-04-01T12:00:00Z",
  };
}

export interface StanceSpec {
  articleId: string;
  version?: number;
  stanceId?: string;
  publisher?: string;
  publishedAt: string;
  holder?: string;
  target?: string;
  polarity: Polarity;
}

export function buildStanceDetail(spec: StanceSpec): StanceRecordedDetail {
  const version = spec.version ?? 1;
  const stance: Stance = {
    id: spec.stanceId ?? `st-${spec.articleId}`,
    holder: { entity: spec.holder ?? "USA" },
    target: { entity: spec.target ?? "CHN" },
    polarity: spec.polarity,
    confidence: 0.8,
    evidence: [{ field: "body", start: 0, end: 9, text: `${spec.polarity} text`.slice(0, 9) }],
  };
  return {
    eventKey: `${DetailType.StanceRecorded}#${spec.articleId}#${version}#${stance.id}`,
    articleId: spec.articleId,
    version,
    stance,
    publisher: spec.publisher ?? "wire",
    publishedAt: spec.publishedAt,
  };
}

export function buildArticleCodedDetail(
  articleId: string,
  version: number,
  eventIds: string[] = [],
): ArticleCodedDetail {
  return {
    eventKey: `${DetailType.ArticleCoded}#${articleId}#${version}`,
    articleId,
    version,
    contentHash: "0".repeat(64),
    publishedAt: "2025-04-01T12:00:00Z",
    source: "wire",
    url: "https://example.org/a",
    title: "t",
    eventCount: eventIds.length,
    stanceCount: 0,
    eventIds,
    stanceIds: [],
    codedAt: "2025-04-01T12:00:01Z",
    coderVersion: "test",
    ...(version > 1 ? { supersedes: version - 1 } : {}),
  };
}

/** The envelope an EventBridge → SQS target delivers as the message body. */
export function toEnvelope(
  detailType: string,
  detail: object,
  id = "00000000-0000-4000-8000-000000000000",
): string {
  return JSON.stringify({
    version: "0",
    id,
    "detail-type": detailType,
    source: CODER_SOURCE,
    account: "123456789012",
    time: "2025-04-01T12:00:05Z",
    region: "eu-west-1",
    resources: [],
    detail,
  });
}
