// The production stage: data outlives the stack, names and settings follow the context.
import { beforeAll, describe, expect, it } from "vitest";
import { resourcesOfType, type SynthesizedStack, synthesizeStack } from "./synth-stack.js";

let synth: SynthesizedStack;

beforeAll(() => {
  synth = synthesizeStack({ stage: "prod", busName: "news-events", logRetentionDays: "365" });
});

describe("prod stage", () => {
  it("names the stack after the stage", () => {
    expect(synth.stack.stackName).toBe("Attache-prod");
  });

  it("retains the table on stack deletion and replacement, and protects it from deletion", () => {
    const table = synth.resources[synth.logicalId(synth.stack.table.table)];
    expect(table?.DeletionPolicy).toBe("Retain");
    expect(table?.UpdateReplacePolicy).toBe("Retain");
    expect(table?.Properties?.DeletionProtectionEnabled).toBe(true);
  });

  it("retains every log group", () => {
    const logGroups = resourcesOfType(synth.resources, "AWS::Logs::LogGroup");
    expect(logGroups.length).toBeGreaterThanOrEqual(5);
    for (const [, logGroup] of logGroups) {
      expect(logGroup.DeletionPolicy).toBe("Retain");
      expect(logGroup.Properties?.RetentionInDays).toBe(365);
    }
  });

  it("uses the bus name from context", () => {
    synth.template.hasResourceProperties("AWS::Events::EventBus", { Name: "news-events" });
  });

  it("keeps a year of events in the archive and logs at INFO", () => {
    synth.template.hasResourceProperties("AWS::Events::Archive", { RetentionDays: 365 });
    const env = synth.resources[synth.logicalId(synth.stack.coder.function)]?.Properties?.Environment as {
      Variables: Record<string, unknown>;
    };
    expect(env.Variables.POWERTOOLS_LOG_LEVEL).toBe("INFO");
  });

  it("deploys the API stage under the stage name", () => {
    synth.template.hasResourceProperties("AWS::ApiGateway::Stage", { StageName: "prod" });
  });
});
