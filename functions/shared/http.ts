// JSON responses and the one error shape every API answer uses:
// { "error": { "code", "message", "issues": [{ "path", "message" }] } }
import type { APIGatewayProxyEvent, APIGatewayProxyResult } from "aws-lambda";
import type * as z from "zod/mini";

export interface ErrorIssue {
  path: string;
  message: string;
}

export function respondJson(
  statusCode: number,
  body: unknown,
  headers: Record<string, string> = {},
): APIGatewayProxyResult {
  return {
    statusCode,
    // nosniff: a browser must treat stored text (article titles and bodies hold anything a
    // publisher sent, markup included) as the JSON it is, never sniff it into HTML or script.
    headers: {
      "content-type": "application/json; charset=utf-8",
      "x-content-type-options": "nosniff",
      ...headers,
    },
    body: JSON.stringify(body),
  };
}

export function respondError(
  statusCode: number,
  code: string,
  message: string,
  issues: ErrorIssue[] = [],
): APIGatewayProxyResult {
  return respondJson(statusCode, { error: { code, message, issues } });
}

/** Zod issues as `{ path: "publishedAt", message }`, the path dotted ("" for the whole body). */
export function toErrorIssues(issues: readonly z.core.$ZodIssue[]): ErrorIssue[] {
  return issues.map((issue) => ({ path: issue.path.map(String).join("."), message: issue.message }));
}

/** A header's value whatever its case, from either header map API Gateway fills. */
export function readHeader(
  event: Pick<APIGatewayProxyEvent, "headers" | "multiValueHeaders">,
  name: string,
): string | undefined {
  const wanted = name.toLowerCase();
  for (const [key, value] of Object.entries(event.headers ?? {})) {
    if (key.toLowerCase() === wanted && value !== undefined) return value;
  }
  for (const [key, values] of Object.entries(event.multiValueHeaders ?? {})) {
    if (key.toLowerCase() === wanted && values?.[0] !== undefined) return values[0];
  }
  return undefined;
}
