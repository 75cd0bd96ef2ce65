// Absolute paths the CDK app needs, independent of the directory `cdk` or the
// tests are started from.
import { join } from "node:path";
import { fileURLToPath } from "node:url";

export const REPO_ROOT = fileURLToPath(new URL("..", import.meta.url));

/** Absolute path of a file given relative to the repository root. */
export function resolveRepoPath(relativePath: string): string {
  return join(REPO_ROOT, relativePath);
}
