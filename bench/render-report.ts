// `npx tsx bench/render-report.ts`: rewrites BENCHMARKS.md from the last run's
// measurements (node_modules/.cache/attache-bench/results.json) without measuring
// again, for when only the wording of the report changed.
import { readFileSync, writeFileSync } from "node:fs";
import { resolveRepoPath } from "../infra/paths.js";
import { type BenchResults, renderReport, renderSummary } from "./report.js";

const results = JSON.parse(
  readFileSync(resolveRepoPath("node_modules/.cache/attache-bench/results.json"), "utf8"),
) as BenchResults;
writeFileSync(resolveRepoPath(process.argv[2] ?? "BENCHMARKS.md"), renderReport(results));
process.stdout.write(renderSummary(results));
