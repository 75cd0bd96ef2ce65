// CLI: code articles from a file (or "-" for stdin) and print one JSON line per
// article: { articleId, events, stances }. Accepts one JSON article, a JSON array,
// or JSON Lines. Invalid records are reported on stderr with their line number;
// the valid ones around them are still coded, and the exit code is then 1.
import { readFileSync } from "node:fs";
import { articleSchema, describeArticleIssues } from "../coder/article-schema.js";
import { codeArticle } from "../coder/index.js";

interface RawRecord {
  line: number;
  value?: unknown;
  error?: string;
}

function readInput(path: string): string {
  return path === "-" ? readFileSync(0, "utf8") : readFileSync(path, "utf8");
}

/** Splits the input into records, whatever the framing. */
export function parseRecords(text: string): RawRecord[] {
  const trimmed = text.replace(/^\uFEFF/, "").trim();
  if (trimmed === "") return [];
  // A whole-document JSON value (one article, or an array of them).
  if (trimmed.startsWith("[") || (trimmed.startsWith("{") && !trimmed.includes("\n{"))) {
    try {
      const value: unknown = JSON.parse(trimmed);
      if (Array.isArray(value)) return value.map((v, i) => ({ line: i + 1, value: v }));
      return [{ line: 1, value }];
    } catch {
      // Not one document: fall through to JSON Lines.
    }
  }
  const records: RawRecord[] = [];
  const lines = text.split(/\r?\n/);
  lines.forEach((raw, i) => {
    const line = raw.trim();
    if (line === "") return;
    try {
      records.push({ line: i + 1, value: JSON.parse(line) });
    } catch (e) {
      records.push({ line: i + 1, error: `not JSON (${(e as Error).message})` });
    }
  });
  return records;
}

function main(): number {
  const path = process.argv[2];
  if (!path) {
    process.stderr.write("usage: npm run --silent extract -- <file | ->\n");
    return 2;
  }
  let text: string;
  try {
    text = readInput(path);
  } catch (e) {
    process.stderr.write(`cannot read ${path}: ${(e as Error).message}\n`);
    return 2;
  }
  let invalid = 0;
  const out: string[] = [];
  for (const rec of parseRecords(text)) {
    if (rec.error) {
      invalid++;
      process.stderr.write(`line ${rec.line}: ${rec.error}\n`);
      continue;
    }
    const parsed = articleSchema.safeParse(rec.value);
    if (!parsed.success) {
      invalid++;
      process.stderr.write(`line ${rec.line}: invalid article: ${describeArticleIssues(parsed.error)}\n`);
      continue;
    }
    try {
      const coded = codeArticle(parsed.data);
      out.push(JSON.stringify({ articleId: coded.articleId, events: coded.events, stances: coded.stances }));
    } catch (e) {
      // The coder is meant never to throw; if it does, keep going and say where.
      invalid++;
      process.stderr.write(
        `line ${rec.line}: could not code article ${parsed.data.id}: ${(e as Error).message}\n`,
      );
    }
    if (out.length >= 256) {
      process.stdout.write(`${out.join("\n")}\n`);
      out.length = 0;
    }
  }
  if (out.length) process.stdout.write(`${out.join("\n")}\n`);
  return invalid > 0 ? 1 : 0;
}

process.exitCode = main();
