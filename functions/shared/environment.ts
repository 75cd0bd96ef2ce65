// Configuration comes from environment variables, read once per cold start: a missing
// one stops the function at initialisation instead of failing on some later request.
import { MissingConfigurationError } from "../core/errors.js";

export function readRequiredEnv(name: string, env: NodeJS.ProcessEnv = process.env): string {
  const value = env[name]?.trim();
  if (!value) throw new MissingConfigurationError(`environment variable ${name} is not set`);
  return value;
}

/** Runs `task` once; a failure is not cached, so the next invocation tries again. */
export function createOnce(task: () => Promise<void>): () => Promise<void> {
  let running: Promise<void> | undefined;
  return () => {
    running ??= task().catch((error: unknown) => {
      running = undefined;
      throw error;
    });
    return running;
  };
}
