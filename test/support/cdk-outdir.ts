// Each test file's CDK apps write their cloud assembly (templates and bundled functions,
// megabytes per app) to one temporary folder of the file's own, removed after the file.
// Without an outdir, aws-cdk-lib makes a new temporary folder for every app synthesized
// and never removes it: ten per test run. Files running at once get separate folders,
// since they synthesize stacks of the same names.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll } from "vitest";

const outdir = mkdtempSync(join(tmpdir(), "attache-cdk-out-"));
process.env.CDK_OUTDIR = outdir;

afterAll(() => {
  delete process.env.CDK_OUTDIR;
  rmSync(outdir, { recursive: true, force: true });
});
