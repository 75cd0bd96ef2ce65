// The Lambda entry points: each exports `handler`, and refuses to start without its configuration.
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";

const modules = [
  ["ingest", "../../../functions/ingest/handler.js", "EVENT_BUS_NAME"],
  ["coder", "../../../functions/coder/handler.js", "TABLE_NAME"],
  ["emitter", "../../../functions/emitter/handler.js", "EVENT_BUS_NAME"],
  ["query", "../../../functions/query/handler.js", "TABLE_NAME"],
] as const;

describe("handler modules", () => {
  const saved = { ...process.env };
  beforeEach(() => {
    vi.resetModules();
    process.env.AWS_REGION = "us-east-1";
    process.env.POWERTOOLS_METRICS_DISABLED = "true";
    process.env.POWERTOOLS_LOG_LEVEL = "SILENT";
    delete process.env.EVENT_BUS_NAME;
    delete process.env.TABLE_NAME;
  });
  afterEach(() => {
    process.env = { ...saved };
  });

  it.each(modules)("%s fails at start without %s", async (_name, path, variable) => {
    await expect(import(/* @vite-ignore */ path)).rejects.toThrow(new RegExp(`${variable} is not set`));
  });

  it.each(modules)("%s exports a handler once configured", async (_name, path, variable) => {
    process.env[variable] = "attache-test";
    const module = (await import(/* @vite-ignore */ path)) as { handler: unknown };
    expect(module.handler).toBeTypeOf("function");
  });
});
