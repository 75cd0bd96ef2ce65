// The EventBridge wire protocol (AWS JSON 1.1) in front of the local bus:
// `POST` with `X-Amz-Target: AWSEvents.<Operation>` and a JSON body, answered
// the way the AWS SDK's JSON protocol parser expects (errors carry `__type`
// and `x-amzn-errortype`). Signatures are not checked: anything local may call.
import { randomUUID } from "node:crypto";
import { EventBusApiError, type LocalEventBus } from "./event-bus.js";

export const EVENTBRIDGE_TARGET_PREFIX = "AWSEvents.";

export interface ApiResponse {
  statusCode: number;
  headers: Record<string, string>;
  body: string;
}

/** True when a request is meant for the EventBridge endpoint. */
export function isEventBridgeRequest(headers: Record<string, string | string[] | undefined>): boolean {
  const target = headers["x-amz-target"];
  return typeof target === "string" && target.startsWith(EVENTBRIDGE_TARGET_PREFIX);
}

export async function handleEventBridgeRequest(
  bus: LocalEventBus,
  target: string,
  bodyText: string,
): Promise<ApiResponse> {
  const operation = target.slice(EVENTBRIDGE_TARGET_PREFIX.length);
  let request: Record<string, unknown>;
  try {
    const parsed: unknown = bodyText.length === 0 ? {} : JSON.parse(bodyText);
    if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) {
      return errorResponse("SerializationException", "The request body must be a JSON object");
    }
    request = parsed as Record<string, unknown>;
  } catch (error) {
    return errorResponse(
      "SerializationException",
      `The request body is not JSON: ${(error as Error).message}`,
    );
  }
  try {
    switch (operation) {
      case "PutEvents":
        return jsonResponse(200, await bus.putEvents(request));
      case "DescribeEventBus":
        return jsonResponse(200, bus.describeEventBus(request));
      default:
        return errorResponse("UnknownOperationException", `The local bus does not implement ${operation}`);
    }
  } catch (error) {
    if (error instanceof EventBusApiError) return errorResponse(error.code, error.message);
    return errorResponse("InternalException", (error as Error).message ?? String(error), 500);
  }
}

function jsonResponse(statusCode: number, payload: unknown): ApiResponse {
  return {
    statusCode,
    headers: { "content-type": "application/x-amz-json-1.1", "x-amzn-requestid": randomUUID() },
    body: JSON.stringify(payload),
  };
}

function errorResponse(code: string, message: string, statusCode = 400): ApiResponse {
  const response = jsonResponse(statusCode, { __type: code, message });
  response.headers["x-amzn-errortype"] = code;
  return response;
}
