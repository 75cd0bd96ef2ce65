// Where a bundle's bytes come from: the same esbuild build CDK runs (the format and
// externals of ATTACHE_BUNDLING), with a metafile, grouped by package (or by repository
// folder for our own code). `npx tsx bench/bundle-composition.ts` prints every
// function's composition.
import { resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { OutputFormat } from "aws-cdk-lib/aws-lambda-nodejs";
import { build } from "esbuild";
import { ATTACHE_BUNDLING } from "../infra/constructs/attache-function.js";
import { resolveRepoPath } from "../infra/paths.js";

export interface CompositionEntry {
  origin: string;
  bytes: number;
}

/** The handler of every deployed function, by name. */
export const FUNCTION_ENTRIES = {
  ingest: "functions/ingest/handler.ts",
  coder: "functions/coder/handler.ts",
  emitter: "functions/emitter/handler.ts",
  query: "functions/query/handler.ts",
  aggregator: "functions/aggregator/handler.ts",
} as const;

/** "node_modules/@aws-sdk/client-dynamodb/dist-es/x.js" → "@aws-sdk/client-dynamodb"; "coder/engine.ts" → "coder/". */
export function classifyInput(path: string): string {
  const marker = "node_modules/";
  const at = path.lastIndexOf(marker);
  if (at >= 0) {
    const parts = path.slice(at + marker.length).split("/");
    return parts[0]?.startsWith("@") ? `${parts[0]}/${parts[1]}` : (parts[0] ?? path);
  }
  const top = path.split("/")[0] ?? path;
  return path.includes("/") ? `${top}/` : top;
}

export async function describeBundleComposition(entry: string, top = 8): Promise<CompositionEntry[]> {
  const result = await build({
    entryPoints: [resolveRepoPath(entry)],
    bundle: true,
    platform: "node",
    format: ATTACHE_BUNDLING.format === OutputFormat.ESM ? "esm" : "cjs",
    target: "node22",
    mainFields: ["module", "main"],
    minify: true,
    charset: "utf8",
    external: ATTACHE_BUNDLING.externalModules ?? [],
    write: false,
    outdir: resolveRepoPath("node_modules/.cache/attache-bench/composition"),
    metafile: true,
    logLevel: "silent",
    absWorkingDir: resolveRepoPath("."),
  });
  const totals = new Map<string, number>();
  for (const output of Object.values(result.metafile.outputs)) {
    for (const [input, { bytesInOutput }] of Object.entries(output.inputs)) {
      const origin = classifyInput(input);
      totals.set(origin, (totals.get(origin) ?? 0) + bytesInOutput);
    }
  }
  return [...totals.entries()]
    .map(([origin, bytes]) => ({ origin, bytes }))
    .sort((a, b) => b.bytes - a.bytes)
    .slice(0, top);
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  for (const [name, entry] of Object.entries(FUNCTION_ENTRIES)) {
    const parts = await describeBundleComposition(entry, 100);
    const total = parts.reduce((sum, part) => sum + part.bytes, 0);
    process.stdout.write(`${name}: ${total.toLocaleString("en-US")} bytes\n`);
    for (const part of parts.filter((p) => p.bytes >= 1024)) {
      process.stdout.write(
        `  ${part.origin.padEnd(40)} ${part.bytes.toLocaleString("en-US").padStart(10)}\n`,
      );
    }
  }
}
