// Builds the CDK app from context, so `cdk synth` (infra/app.ts) and the infra
// tests construct exactly the same thing.
import { App, type AppProps, Tags } from "aws-cdk-lib";
import { readDeploymentConfig } from "./config.js";
import { applyNagPacks } from "./nag.js";
import { AttacheStack } from "./stacks/attache-stack.js";

export interface CreatedApp {
  app: App;
  stack: AttacheStack;
}

export function createApp(props: AppProps = {}, options: { nag?: boolean } = {}): CreatedApp {
  const app = new App(props);
  const config = readDeploymentConfig(app.node);

  // Environment-agnostic (no account or region): synth works offline, and the
  // account and region come from the operator's credentials at deploy time.
  const stack = new AttacheStack(app, `Attache-${config.stage}`, {
    config,
    description: `Attaché (${config.stage}): codes diplomatic events and stances from news articles`,
  });
  Tags.of(app).add("project", "attache");
  Tags.of(app).add("stage", config.stage);

  if (options.nag ?? true) applyNagPacks(app);
  return { app, stack };
}
