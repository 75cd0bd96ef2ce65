// The Lambda bundles as `cdk synth` builds them: the real stack synthesized with
// its own constructs, plus an empty handler and an "SDK external" variant of the
// coder built with the same shared bundling options, and the node_modules the
// Lambda runtime would provide to them.
import { existsSync, mkdirSync, rmSync, statSync, symlinkSync } from "node:fs";
import { join } from "node:path";
import { App, Stack } from "aws-cdk-lib";
import type * as lambda from "aws-cdk-lib/aws-lambda";
import { NodejsFunction } from "aws-cdk-lib/aws-lambda-nodejs";
import * as s3assets from "aws-cdk-lib/aws-s3-assets";
import type { IConstruct } from "constructs";
import {
  ATTACHE_ARCHITECTURE,
  ATTACHE_BUNDLE_FILE,
  ATTACHE_BUNDLING,
  ATTACHE_RUNTIME,
  RUNTIME_PROVIDED_MODULES,
} from "../infra/constructs/attache-function.js";
import { createApp } from "../infra/create-app.js";
import { REPO_ROOT, resolveRepoPath } from "../infra/paths.js";

export const FUNCTION_NAMES = ["ingest", "coder", "emitter", "query", "aggregator"] as const;
export type FunctionName = (typeof FUNCTION_NAMES)[number];

export interface BuiltBundle {
  /** "empty" and "sdk-floor" are the reference handlers in bench/, not deployed functions. */
  name: FunctionName | "empty" | "sdk-floor";
  /**
   * "deployed": as `cdk synth` builds it (the AWS SDK bundled in);
   * "sdk-external": the same options with the AWS SDK left to the runtime's copy, for comparison.
   */
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
  return join(outdir, asset.assetPath, ATTACHE_BUNDLE_FILE);
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
 * The packages the Lambda runtime provides (RUNTIME_PROVIDED_MODULES: the AWS SDK v3
 * and its @smithy/* dependencies), as scope folders of node_modules.
 */
export const RUNTIME_PROVIDED_SCOPES: readonly string[] = RUNTIME_PROVIDED_MODULES.map((pattern) => {
  if (!/^@[^/]+\/\*$/.test(pattern))
    throw new BundleBuildError(`external ${pattern} is not a whole npm scope ("@scope/*")`);
  return pattern.slice(0, -2);
});

/**
 * Gives the bundles below `dir` what the Lambda runtime gives a function: a
 * node_modules holding the runtime-provided packages only (links to the
 * repository's copies, whose own dependencies then resolve from the repository),
 * so an ES-module import of `@aws-sdk/*` resolves as it does in Lambda and
 * anything else a bundle failed to include does not resolve at all. Put `dir`
 * outside the repository, or the repository's node_modules answers every import.
 * Returns the node_modules folder.
 */
export function provideRuntimeModules(dir: string): string {
  const nodeModules = join(dir, "node_modules");
  mkdirSync(nodeModules, { recursive: true });
  for (const scope of RUNTIME_PROVIDED_SCOPES) {
    const link = join(nodeModules, scope);
    if (!existsSync(link)) symlinkSync(resolveRepoPath(join("node_modules", scope)), link, "dir");
  }
  return nodeModules;
}

/** Builds every bundle under `outdir`. */
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

  // The reference handler and the SDK-bundled variant, from the same shared options.
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
  const sdkFloor = build("SdkFloor", "bench/sdk-floor-handler.ts", ATTACHE_BUNDLING.externalModules ?? []);
  bundles.push(describeBundle("sdk-floor", "deployed", bundleFileOf(sdkFloor, refOut), 0));
  // The variant on the runtime's SDK keeps the choice to bundle it measured; it matters
  // for the coder, whose size and cold start have targets; the others would only
  // lengthen the run.
  for (const name of ["coder"] as const) {
    const fn = build(`${name}-sdk-external`, `functions/${name}/handler.ts`, [...RUNTIME_PROVIDED_MODULES]);
    const memorySize = bundles.find((b) => b.name === name)?.memorySize ?? 0;
    bundles.push(describeBundle(name, "sdk-external", bundleFileOf(fn, refOut), memorySize));
  }
  return bundles;
}
