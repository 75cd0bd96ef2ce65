// Turns the routing module's raw EventBridge patterns (events/routing.ts) into
// the CDK's EventPattern shape. The CDK renders `detailType` back to
// "detail-type", so the deployed rule carries exactly the pattern routing.ts
// defines; the infra tests compare the two.
import type * as events from "aws-cdk-lib/aws-events";
import type { EventPattern } from "../events/routing.js";

export class EventPatternError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = "EventPatternError";
  }
}

// The top-level fields of an EventBridge event, by their name in the CDK's EventPattern.
const CDK_FIELD_BY_EVENT_FIELD: Record<string, keyof events.EventPattern> = {
  version: "version",
  id: "id",
  "detail-type": "detailType",
  source: "source",
  account: "account",
  time: "time",
  region: "region",
  resources: "resources",
  detail: "detail",
};

export function toCdkEventPattern(pattern: EventPattern): events.EventPattern {
  const converted: Record<string, unknown> = {};
  for (const [field, value] of Object.entries(pattern)) {
    const cdkField = CDK_FIELD_BY_EVENT_FIELD[field];
    // An unknown field would otherwise be dropped silently and the rule would match more than intended.
    if (cdkField === undefined) {
      throw new EventPatternError(
        `event pattern field "${field}" is not a top-level EventBridge event field`,
      );
    }
    converted[cdkField] = value;
  }
  return converted as events.EventPattern;
}
