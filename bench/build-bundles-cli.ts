// `node --import tsx bench/build-bundles-cli.ts <outdir>`: builds the bundles in a
// process of its own and prints them as one JSON line, while CDK's esbuild
// output goes to stderr, where the benchmark keeps it out of its summary.
import { BundleBuildError, buildBundles } from "./build-bundles.js";

const outdir = process.argv[2];
if (!outdir) throw new BundleBuildError("usage: build-bundles-cli.ts <outdir>");
process.stdout.write(`${JSON.stringify(buildBundles(outdir))}\n`);
