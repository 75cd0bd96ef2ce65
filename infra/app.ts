// Entry point of `cdk synth` / `cdk deploy` (cdk.json: npx tsx infra/app.ts).
// Settings come from context: -c stage=prod -c busName=... -c logRetentionDays=90
// -c archiveRetentionDays=365 -c logLevel=INFO (docs/deploy.md).
import { createApp } from "./create-app.js";

createApp();
