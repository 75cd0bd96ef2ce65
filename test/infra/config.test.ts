// Deployment settings from CDK context: defaults per stage and early, clear errors.
import { describe, expect, it } from "vitest";
import { DeploymentConfigError, parseDeploymentConfig } from "../../infra/config.js";

const parse = (context: Record<string, unknown>) => parseDeploymentConfig((key) => context[key]);

describe("parseDeploymentConfig", () => {
  it("defaults to the dev stage with its bus name and short retention", () => {
    expect(parse({})).toEqual({
      stage: "dev",
      isProduction: false,
      busName: "attache-dev",
      logRetention: 14,
      archiveRetentionDays: 30,
      logLevel: "DEBUG",
    });
  });

  it("treats stage prod as production with longer retention", () => {
    expect(parse({ stage: "prod" })).toMatchObject({
      stage: "prod",
      isProduction: true,
      busName: "attache-prod",
      logRetention: 90,
      archiveRetentionDays: 365,
      logLevel: "INFO",
    });
  });

  it("reads overrides given as strings on the command line or as numbers in cdk.json", () => {
    expect(
      parse({
        stage: "staging",
        busName: "news.bus",
        logRetentionDays: "30",
        archiveRetentionDays: 0,
        logLevel: "warn",
      }),
    ).toMatchObject({
      stage: "staging",
      isProduction: false,
      busName: "news.bus",
      logRetention: 30,
      archiveRetentionDays: 0,
      logLevel: "WARN",
    });
  });

  it.each([
    [{ stage: "Prod" }, /stage/],
    [{ stage: "dev_1" }, /stage/],
    [{ stage: "a-very-long-stage-name-x" }, /stage/],
    [{ stage: 7 }, /stage.*string/],
    [{ busName: "default" }, /busName/],
    [{ busName: "has space" }, /busName/],
    [{ logRetentionDays: "10" }, /logRetentionDays.*one of/],
    [{ logRetentionDays: "fourteen" }, /logRetentionDays.*whole number/],
    [{ archiveRetentionDays: "-1" }, /archiveRetentionDays/],
    [{ logLevel: "LOUD" }, /logLevel/],
  ])("rejects %j", (context, message) => {
    expect(() => parse(context)).toThrow(DeploymentConfigError);
    expect(() => parse(context)).toThrow(message);
  });

  it("passes aggregation settings as the aggregator's variables, checked by the aggregator's own parser", () => {
    expect(parse({}).aggregationEnvironment).toBeUndefined();
    expect(parse({ confirmationPublishers: "3", trendMargin: 1.5 }).aggregationEnvironment).toEqual({
      CONFIRMATION_PUBLISHERS: "3",
      TREND_MARGIN: "1.5",
    });
    expect(() => parse({ confirmationPublishers: 0 })).toThrow(/CONFIRMATION_PUBLISHERS/);
    expect(() => parse({ trendMargin: "wide" })).toThrow(DeploymentConfigError);
  });
});
