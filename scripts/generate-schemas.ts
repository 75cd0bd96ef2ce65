// Writes the JSON Schema of every event (envelope and detail) into events/json/, from the
// Zod schemas in events/. Run after changing an event schema; a test fails while the
// checked-in files are stale. `--check` only compares and exits 1 on a difference.
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import * as z from "zod/mini";
import { eventCatalog } from "../events/catalog.js";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");
export const schemaDir = join(root, "events", "json");

/** File name → content for every generated schema. */
export function renderSchemas(): Map<string, string> {
  const files = new Map<string, string>();
  for (const entry of eventCatalog) {
    const variants = [
      { file: `${entry.name}.schema.json`, schema: entry.envelope, what: "event (EventBridge envelope)" },
      { file: `${entry.name}.detail.schema.json`, schema: entry.detail, what: "event detail" },
    ];
    for (const { file, schema, what } of variants) {
      const json = {
        ...z.toJSONSchema(schema, { target: "draft-2020-12" }),
        $id: `https://attache.example.org/events/json/${file}`,
        title: `${entry.detailType} ${what}`,
        description: `source "${entry.source}", detail-type "${entry.detailType}". Generated from events/${entry.name}.ts by scripts/generate-schemas.ts; do not edit.`,
      };
      files.set(file, `${JSON.stringify(json, null, 2)}\n`);
    }
  }
  return files;
}

function main(): void {
  const check = process.argv.includes("--check");
  const stale: string[] = [];
  mkdirSync(schemaDir, { recursive: true });
  for (const [file, content] of renderSchemas()) {
    const path = join(schemaDir, file);
    let current: string | undefined;
    try {
      current = readFileSync(path, "utf8");
    } catch {
      current = undefined;
    }
    if (current === content) continue;
    stale.push(relative(root, path));
    if (!check) writeFileSync(path, content);
  }
  if (check && stale.length > 0) {
    console.error(`stale JSON Schemas (run npm run schemas):\n  ${stale.join("\n  ")}`);
    process.exit(1);
  }
  console.log(stale.length === 0 ? "JSON Schemas are up to date" : `wrote ${stale.join(", ")}`);
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) main();
