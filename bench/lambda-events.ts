// The first events the cold-start runs hand each bundle, shaped as Lambda
// delivers them: an API Gateway REST proxy event, an SQS batch whose body is the
// EventBridge envelope the bus rule sends, and DynamoDB stream records.
import { randomUUID } from "node:crypto";
import type { APIGatewayProxyEvent, DynamoDBRecord, DynamoDBStreamEvent, SQSEvent } from "aws-lambda";
import type { Article } from "../coder/types.js";
import { ARTICLES_SOURCE, DetailType } from "../events/routing.js";

const REGION = "us-east-1";
const ACCOUNT = "000000000000";

export function buildApiEvent(options: {
  method: "GET" | "POST";
  resource: string;
  path: string;
  pathParameters: Record<string, string> | null;
  body: string | null;
}): APIGatewayProxyEvent {
  const headers: Record<string, string> =
    options.method === "POST" ? { "Content-Type": "application/json" } : { Accept: "application/json" };
  return {
    resource: options.resource,
    path: options.path,
    httpMethod: options.method,
    headers,
    multiValueHeaders: Object.fromEntries(Object.entries(headers).map(([k, v]) => [k, [v]])),
    queryStringParameters: null,
    multiValueQueryStringParameters: null,
    pathParameters: options.pathParameters,
    stageVariables: null,
    requestContext: {
      accountId: ACCOUNT,
      apiId: "bench",
      authorizer: undefined,
      protocol: "HTTP/1.1",
      httpMethod: options.method,
      identity: {
        accessKey: null,
        accountId: ACCOUNT,
        apiKey: null,
        apiKeyId: null,
        caller: "AIDABENCH",
        clientCert: null,
        cognitoAuthenticationProvider: null,
        cognitoAuthenticationType: null,
        cognitoIdentityId: null,
        cognitoIdentityPoolId: null,
        principalOrgId: null,
        sourceIp: "192.0.2.10",
        user: "AIDABENCH",
        userAgent: "attache-bench",
        userArn: `arn:aws:iam::${ACCOUNT}:user/publisher`,
      },
      path: `/prod${options.path}`,
      stage: "prod",
      requestId: randomUUID(),
      requestTimeEpoch: Date.now(),
      resourceId: "bench",
      resourcePath: options.resource,
    },
    body: options.body,
    isBase64Encoded: false,
  };
}

export function buildPostArticleEvent(article: Article): APIGatewayProxyEvent {
  return buildApiEvent({
    method: "POST",
    resource: "/articles",
    path: "/articles",
    pathParameters: null,
    body: JSON.stringify(article),
  });
}

export function buildGetArticleEvent(id: string): APIGatewayProxyEvent {
  return buildApiEvent({
    method: "GET",
    resource: "/articles/{id}",
    path: `/articles/${encodeURIComponent(id)}`,
    pathParameters: { id },
    body: null,
  });
}

/** An SQS batch as the coder's event source mapping delivers it: one ArticlePublished envelope per message. */
export function buildCoderSqsEvent(articles: readonly Article[]): SQSEvent {
  const now = Date.now();
  return buildSqsEvent(
    "attache-coder",
    articles.map((article) => ({
      version: "0",
      id: randomUUID(),
      "detail-type": DetailType.ArticlePublished,
      source: ARTICLES_SOURCE,
      account: ACCOUNT,
      time: new Date(now).toISOString().replace(/\.\d{3}Z$/, "Z"),
      region: REGION,
      resources: [],
      detail: article,
    })),
  );
}

/** An SQS batch as the aggregator's mapping delivers it: bus envelopes the aggregator rule routed, as archived. */
export function buildAggregatorSqsEvent(envelopes: readonly unknown[]): SQSEvent {
  return buildSqsEvent("attache-aggregator", envelopes);
}

/** One SQS message per EventBridge envelope: what an SQS target of a bus rule receives. */
function buildSqsEvent(queueName: string, envelopes: readonly unknown[]): SQSEvent {
  const now = Date.now();
  return {
    Records: envelopes.map((envelope) => {
      const body = JSON.stringify(envelope);
      return {
        messageId: randomUUID(),
        receiptHandle: `bench-${randomUUID()}`,
        body,
        attributes: {
          ApproximateReceiveCount: "1",
          SentTimestamp: String(now),
          SenderId: "AIDABENCH",
          ApproximateFirstReceiveTimestamp: String(now),
        },
        messageAttributes: {},
        md5OfBody: "",
        eventSource: "aws:sqs",
        eventSourceARN: `arn:aws:sqs:${REGION}:${ACCOUNT}:${queueName}`,
        awsRegion: REGION,
      };
    }),
  };
}

export function buildStreamEvent(records: readonly DynamoDBRecord[]): DynamoDBStreamEvent {
  return { Records: [...records] };
}
