import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    // Integration and end-to-end tests share one DynamoDB Local started here.
    globalSetup: ["test/global-setup.ts"],
    // CDK apps synthesized in tests write to a folder per test file, removed afterwards.
    setupFiles: ["test/support/cdk-outdir.ts"],
    testTimeout: 30_000,
    hookTimeout: 120_000,
    reporters: ["default", "json"],
    outputFile: { json: ".attache/test-report.json" },
  },
});
