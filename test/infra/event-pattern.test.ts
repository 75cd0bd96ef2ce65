// routing.ts patterns become CDK patterns that render back to the same JSON.
import { Stack } from "aws-cdk-lib";
import * as events from "aws-cdk-lib/aws-events";
import { describe, expect, it } from "vitest";
import { routes } from "../../events/routing.js";
import { EventPatternError, toCdkEventPattern } from "../../infra/event-pattern.js";

describe("toCdkEventPattern", () => {
  it.each(routes.map((route) => [route.id, route] as const))(
    "renders %s back to its routing.ts pattern",
    (_id, route) => {
      const stack = new Stack();
      const rule = new events.Rule(stack, "Rule", { eventPattern: toCdkEventPattern(route.pattern) });
      const rendered = stack.resolve((rule.node.defaultChild as events.CfnRule).eventPattern);
      expect(rendered).toEqual(route.pattern);
    },
  );

  it("maps every top-level event field", () => {
    expect(
      toCdkEventPattern({
        version: ["0"],
        id: ["x"],
        "detail-type": ["A"],
        source: ["s"],
        account: ["1"],
        time: ["t"],
        region: ["r"],
        resources: ["arn"],
        detail: { a: [1] },
      }),
    ).toEqual({
      version: ["0"],
      id: ["x"],
      detailType: ["A"],
      source: ["s"],
      account: ["1"],
      time: ["t"],
      region: ["r"],
      resources: ["arn"],
      detail: { a: [1] },
    });
  });

  it("refuses a field EventBridge events do not have instead of dropping it", () => {
    expect(() => toCdkEventPattern({ detailType: ["A"] })).toThrow(EventPatternError);
  });
});
