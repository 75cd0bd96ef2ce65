// Lambda events built from the JSON fixtures in test/fixtures/lambda, varied per test.
import { readFileSync } from "node:fs";
import { marshall } from "@aws-sdk/util-dynamodb";
import type {
  APIGatewayProxyEvent,
  DynamoDBRecord,
  DynamoDBStreamEvent,
  SQSEvent,
  SQSRecord,
} from "aws-lambda";
import type { Article } from "../../../coder/types.js";
import type { StreamChange } from "../../../functions/core/derive-bus-entries.js";

const fixturesDir = new URL("../../fixtures/lambda/", import.meta.url);
const samplesDir = new URL("../../../events/samples/", import.meta.url);

function readJson<T>(url: URL): T {
  return JSON.parse(readFileSync(url, "utf8")) as T;
}

export function readSampleArticle(name: string): Article {
  return readJson<Article>(new URL(`articles/${name}.json`, samplesDir));
}

export function buildPostArticlesEvent(
  body: string | null,
  headers: Record<string, string> = { "Content-Type": "application/json" },
): APIGatewayProxyEvent {
  const event = readJson<APIGatewayProxyEvent>(new URL("api-gateway-post-articles.json", fixturesDir));
  return {
    ...event,
    headers,
    multiValueHeaders: Object.fromEntries(Object.entries(headers).map(([k, v]) => [k, [v]])),
    body,
  };
}

export function buildGetArticleEvent(id: string | undefined): APIGatewayProxyEvent {
  const event = readJson<APIGatewayProxyEvent>(new URL("api-gateway-get-article.json", fixturesDir));
  return { ...event, path: `/articles/${id ?? ""}`, pathParameters: id === undefined ? null : { id } };
}

/** The envelope an EventBridge → SQS target delivers as the message body. */
export function buildArticlePublishedEnvelope(article: unknown): Record<string, unknown> {
  const envelope = readJson<Record<string, unknown>>(
    new URL("eventbridge-article-published.json", fixturesDir),
  );
  return { ...envelope, detail: article };
}

export function buildSqsEvent(bodies: string[]): SQSEvent {
  const template = readJson<SQSRecord>(new URL("sqs-record.json", fixturesDir));
  return { Records: bodies.map((body, i) => ({ ...template, messageId: `message-${i + 1}`, body })) };
}

/** Stream records as Lambda receives them, from changes the in-memory store logged. */
export function buildStreamEvent(changes: readonly StreamChange[]): DynamoDBStreamEvent {
  const template = readJson<DynamoDBRecord>(new URL("dynamodb-stream-record.json", fixturesDir));
  return {
    Records: changes.map((change) => {
      const image = change.newImage ?? change.oldImage ?? {};
      return {
        ...template,
        eventName: change.eventName,
        dynamodb: {
          ...template.dynamodb,
          SequenceNumber: change.sequenceNumber,
          Keys: marshall({ pk: image.pk, sk: image.sk }) as never,
          ...(change.newImage
            ? { NewImage: marshall(change.newImage, { removeUndefinedValues: true }) as never }
            : {}),
          ...(change.oldImage
            ? { OldImage: marshall(change.oldImage, { removeUndefinedValues: true }) as never }
            : {}),
        },
      };
    }),
  };
}
