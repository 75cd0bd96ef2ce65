// The rule packs every synth is checked against. A finding that is not
// acknowledged (with a written reason, next to the construct it concerns)
// stops the synth.
import { type App, Validations } from "aws-cdk-lib";
import { AwsSolutionsChecks, type NagPack, ServerlessChecks } from "cdk-nag";

/** Fresh instances of the packs the app is checked against. */
export function createNagPacks(): NagPack[] {
  return [new AwsSolutionsChecks(), new ServerlessChecks()];
}

export function applyNagPacks(app: App): void {
  Validations.of(app).addPlugins(...createNagPacks());
}
