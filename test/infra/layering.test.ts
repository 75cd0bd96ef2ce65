// The layering rules of .dependency-cruiser.cjs, run through the same CLI as
// `npm run depcruise`: the repository has no violation, and the rules do catch
// each kind of violation in a fixture tree with the same layer names.
import { execFile } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { promisify } from "node:util";
import { beforeAll, describe, expect, it } from "vitest";
import { REPO_ROOT } from "../../infra/paths.js";

const run = promisify(execFile);
const DEPCRUISE = join(REPO_ROOT, "node_modules", ".bin", "depcruise");
const FIXTURE_ROOT = "test/fixtures/layering/";

interface Violation {
  from: string;
  to: string;
  rule: { name: string; severity: string };
}

async function cruise(paths: string[], env: Record<string, string> = {}): Promise<Violation[]> {
  // The JSON reporter exits non-zero when it finds errors; the report is on stdout either way.
  const result = await run(
    DEPCRUISE,
    ["--config", ".dependency-cruiser.cjs", "--output-type", "json", ...paths],
    { cwd: REPO_ROOT, env: { ...process.env, ...env }, maxBuffer: 64 * 1024 * 1024 },
  ).catch((error: { stdout?: string; stderr?: string }) => {
    if (!error.stdout)
      throw new Error(`depcruise failed: ${error.stderr ?? String(error)}`, { cause: error });
    return { stdout: error.stdout };
  });
  const report = JSON.parse(result.stdout) as { summary: { violations: Violation[] } };
  return report.summary.violations;
}

describe("layering", () => {
  it("finds no violation in the repository (the folders npm run depcruise checks)", async () => {
    const script = (
      JSON.parse(readFileSync(join(REPO_ROOT, "package.json"), "utf8")) as {
        scripts: Record<string, string>;
      }
    ).scripts.depcruise;
    const folders = script?.split(".dependency-cruiser.cjs")[1]?.trim().split(/\s+/) ?? [];
    expect(folders).toEqual(expect.arrayContaining(["coder", "functions", "infra", "local"]));

    const violations = await cruise(folders);
    expect(
      violations.map((violation) => `${violation.rule.name}: ${violation.from} -> ${violation.to}`),
    ).toEqual([]);
  });

  describe("in the fixture tree", () => {
    let violations: Violation[];
    beforeAll(async () => {
      violations = await cruise([FIXTURE_ROOT], { DEPCRUISE_LAYER_ROOT: FIXTURE_ROOT });
    });
    const rulesBrokenBy = (file: string) =>
      violations
        .filter((violation) => violation.from === `${FIXTURE_ROOT}${file}`)
        .map((violation) => violation.rule.name);

    it.each([
      ["coder/violates-sdk.ts", "coder-imports-no-aws"],
      ["coder/violates-sdk-types.ts", "coder-imports-no-aws"],
      ["coder/violates-powertools.ts", "coder-imports-no-aws"],
      ["coder/violates-runtime-layer.ts", "coder-imports-no-runtime-layer"],
      ["functions/violates-infra.ts", "functions-import-no-infra-or-local"],
      ["functions/violates-local.ts", "functions-import-no-infra-or-local"],
    ])("reports %s as %s", (file, rule) => {
      expect(rulesBrokenBy(file)).toEqual([rule]);
    });

    it("reports nothing for a coder file that imports only its own modules and plain libraries", () => {
      expect(rulesBrokenBy("coder/clean.ts")).toEqual([]);
      expect(violations.every((violation) => violation.rule.severity === "error")).toBe(true);
    });
  });
});
