// cdk-nag (AwsSolutions and Serverless packs) over the whole app: no finding may
// be left unacknowledged, every acknowledgement carries a reason, and the check
// itself does catch a finding.
import { App, Stack, Validations } from "aws-cdk-lib";
import * as sqs from "aws-cdk-lib/aws-sqs";
import type { IConstruct } from "constructs";
import { beforeAll, describe, expect, it } from "vitest";
import { createApp } from "../../infra/create-app.js";
import { createNagPacks } from "../../infra/nag.js";

let app: App;

beforeAll(() => {
  // Registered as in infra/app.ts, so the synth below runs the packs as `cdk synth` does.
  ({ app } = createApp({ context: { stage: "prod" } }, { nag: true }));
});

function findingsOf(scope: IConstruct) {
  return createNagPacks().flatMap((pack) =>
    pack.validateScope(scope).violations.map((violation) => ({
      pack: pack.readPackName,
      rule: violation.ruleName,
      severity: violation.severity,
      resources: violation.violatingResources.map((resource) => resource.constructPath),
    })),
  );
}

function acknowledgementsOf(scope: IConstruct): Array<{ path: string; id: string; reason: unknown }> {
  return scope.node.findAll().flatMap((construct) =>
    construct.node.metadata
      .filter((entry) => entry.type === Validations.ACKNOWLEDGED_RULES_METADATA_KEY)
      .flatMap((entry) =>
        Object.entries(entry.data as Record<string, unknown>).map(([id, reason]) => ({
          path: construct.node.path,
          id,
          reason,
        })),
      ),
  );
}

describe("cdk-nag", () => {
  it.each(["AwsSolutions", "Serverless"])("leaves no unacknowledged %s error or warning", (packName) => {
    expect(findingsOf(app).filter((finding) => finding.pack === packName)).toEqual([]);
  });

  it("records a written reason with every acknowledgement", () => {
    const acknowledgements = acknowledgementsOf(app);
    expect(acknowledgements.length).toBeGreaterThan(0);
    for (const acknowledgement of acknowledgements) {
      expect(typeof acknowledgement.reason, acknowledgement.id).toBe("string");
      expect((acknowledgement.reason as string).length, acknowledgement.id).toBeGreaterThan(40);
    }
  });

  it("does report a non-compliant resource (the check can fail)", () => {
    const probe = new App();
    new sqs.Queue(new Stack(probe, "Probe"), "PlainQueue");
    expect(findingsOf(probe).map((finding) => finding.rule)).toEqual(
      expect.arrayContaining(["AwsSolutions-SQS3", "AwsSolutions-SQS4", "Serverless-SQSRedrivePolicy"]),
    );
  });

  it("stops the synth of an app with the packs registered when a finding is unacknowledged", () => {
    const probe = new App();
    new sqs.Queue(new Stack(probe, "Probe"), "PlainQueue");
    Validations.of(probe).addPlugins(...createNagPacks());
    expect(() => probe.synth()).toThrow(/AwsSolutions-SQS4/);
  });

  it("lets the app's own synth (as `cdk synth` runs it, packs registered) through", () => {
    const assembly = app.synth();
    expect(assembly.stacks.map((stack) => stack.stackName)).toEqual(["Attache-prod"]);
  });
});
