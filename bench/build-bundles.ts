// The Lambda bundles as `cdk synth` builds them: the real stack synthesized with
// its own constructs, plus an empty handler and an "SDK from the runtime"
// variant built with the same shared bundling options.
import { rmSync, statSync } from "node:fs";
import { join } from "node:path";
import { App, Stack } from "aws-cdk-lib";
import type * as lambda from "aws-cdk-lib/aws-lambda";
import { NodejsFunction } from "aws-cdk-lib/aws-lambda-nodejs";
import * as s3assets from "aws-cdk-lib/aws-s3-assets";
import type { IConstruct } from "constructs";
import {
  ATTACHE_ARCHITECTURE,
  ATTACHE_BUNDLING,
  ATTACHE_RUNTIME,
} from "../infra/constructs/attache-function.js";
import { createApp } from "../infra/create-app.js";
import { REPO_ROOT, resolveRepoPath } from "../infra/paths.js";

export const FUNCTION_NAMES = ["ingest", "coder", "emitter", "query"] as const;
export type FunctionName = (typeof FUNCTION_NAMES)[number];

export interface BuiltBundle {
  name: FunctionName | "empty";
  /** "deployed": as `cdk synth` builds it; "sdk-external": the same options with `@aws-sdk/*` left to the runtime. */
  variant: "deployed" | "sdk-external";
  file: string;
  bytes: number;
  sourceMapBytes: number;
  /** MB, from the synthesized function (0 for the reference handler, which is not deployed). */
  memorySize: number;
}

export class BundleBuildError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = "BundleBuildError";
  }
}

function bundleFileOf(fn: IConstruct, outdir: string): string {
  const asset = fn.node.findAll().find((c): c is s3assets.Asset => c instanceof s3assets.Asset);
  if (!asset) throw new BundleBuildError(`no code asset under ${fn.node.path}`);
  return join(outdir, asset.assetPath, "index.mjs");
}

function describeBundle(
  name: BuiltBundle["name"],
  variant: BuiltBundle["variant"],
  file: string,
  memorySize: number,
): BuiltBundle {
  return {
    name,
    variant,
    file,
    bytes: statSync(file).size,
    sourceMapBytes: statSync(`${file}.map`).size,
    memorySize,
  };
}

/**
 * Builds every bundle under `outdir`. Keep `outdir` inside the repository: the
 * "sdk-external" bundles import `@aws-sdk/*` at run time and find it in the
 * repository's node_modules, as the deployed ones would find the runtime's copy.
 */
export function buildBundles(outdir: string): BuiltBundle[] {
  rmSync(outdir, { recursive: true, force: true });
  const bundles: BuiltBundle[] = [];

  // The real stack, exactly as `cdk synth` builds it (cdk-nag off: it checks, it does not build).
  const realOut = join(outdir, "stack");
  const { stack } = createApp({ outdir: realOut }, { nag: false });
  for (const name of FUNCTION_NAMES) {
    const fn = stack[name].function;
    const memorySize = (fn.node.defaultChild as lambda.CfnFunction).memorySize;
    if (typeof memorySize !== "number") throw new BundleBuildError(`${name} has no memory size`);
    bundles.push(describeBundle(name, "deployed", bundleFileOf(fn, realOut), memorySize));
  }

  // The reference handler and the SDK-external variants, from the same shared options.
  const refOut = join(outdir, "reference");
  const app = new App({ outdir: refOut });
  const refStack = new Stack(app, "AttacheBenchReference");
  const build = (id: string, entry: string, externalModules: string[]) =>
    new NodejsFunction(refStack, id, {
      entry: resolveRepoPath(entry),
      handler: "handler",
      projectRoot: REPO_ROOT,
      depsLockFilePath: resolveRepoPath("package-lock.json"),
      runtime: ATTACHE_RUNTIME,
      architecture: ATTACHE_ARCHITECTURE,
      bundling: { ...ATTACHE_BUNDLING, externalModules },
    });
  const empty = build("Empty", "bench/empty-handler.ts", ATTACHE_BUNDLING.externalModules ?? []);
  bundles.push(describeBundle("empty", "deployed", bundleFileOf(empty, refOut), 0));
  // The SDK-external variant matters for the coder, whose size has a target; the
  // others would only lengthen the run.
  for (const name of ["coder"] as const) {
    const fn = build(`${name}-sdk-external`, `functions/${name}/handler.ts`, ["@aws-sdk/*"]);
    const memorySize = bundles.find((b) => b.name === name)?.memorySize ?? 0;
    bundles.push(describeBundle(name, "sdk-external", bundleFileOf(fn, refOut), memorySize));
  }
  return bundles;
}
