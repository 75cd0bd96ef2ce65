// Golden cases as data: each line of cases/*.jsonl is one short text with the
// events and stances it must give (SOURCE>TARGET:CODE, where CODE matches as a
// prefix of the emitted code, so "04" accepts "042"). Events not listed (and not
// in allowEvents) fail the case. backlog.jsonl holds known misses: the runner
// checks they are still missed, so fixing one forces moving it to a case file.
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { createCoder } from "../../coder/index.js";
import { ruleFiles } from "../../coder/rules/index.js";
import type { CodedArticle } from "../../coder/types.js";
import { inventedDictionaries } from "../fixtures/invented-dictionaries.js";

interface GoldenCase {
  id: string;
  title?: string;
  text: string;
  publishedAt: string;
  expectEvents: string[];
  expectStances: string[];
  allowEvents?: string[];
  notes: string;
}

const dir = join(import.meta.dirname, "cases");
const coder = createCoder(inventedDictionaries, ruleFiles);

function load(path: string): GoldenCase[] {
  return readFileSync(path, "utf8")
    .split("\n")
    .filter((l) => l.trim())
    .map((l) => JSON.parse(l) as GoldenCase);
}

function run(c: GoldenCase): CodedArticle {
  return coder.codeArticle({
    id: c.id,
    title: c.title ?? "",
    body: c.text,
    publishedAt: c.publishedAt,
    url: "https://example.org/golden",
    source: "golden",
  });
}

function matches(want: string, got: string[]): boolean {
  const [pair, code] = want.split(":") as [string, string];
  return got.some((g) => {
    const [gp, gc] = g.split(":") as [string, string];
    return gp === pair && gc.startsWith(code);
  });
}

function check(c: GoldenCase, coded: CodedArticle): string[] {
  const problems: string[] = [];
  const events = coded.events.map((e) => `${e.source.entity}>${e.target?.entity ?? "-"}:${e.cameo.code}`);
  const stances = coded.stances.map((s) => `${s.holder.entity}>${s.target.entity}:${s.polarity}`);
  for (const want of c.expectEvents) if (!matches(want, events)) problems.push(`missing event ${want}`);
  for (const got of events) {
    const allowed = [...c.expectEvents, ...(c.allowEvents ?? [])].some((w) => matches(w, [got]));
    if (!allowed) problems.push(`unexpected event ${got}`);
  }
  for (const want of c.expectStances) if (!stances.includes(want)) problems.push(`missing stance ${want}`);
  for (const got of stances) if (!c.expectStances.includes(got)) problems.push(`unexpected stance ${got}`);
  return problems;
}

const caseFiles = readdirSync(dir).filter((f) => f.endsWith(".jsonl"));

describe("golden cases", () => {
  for (const file of caseFiles) {
    for (const c of load(join(dir, file))) {
      it(`${file}: ${c.id} (${c.notes})`, () => {
        expect(check(c, run(c))).toEqual([]);
      });
    }
  }
});

describe("golden backlog (known misses)", () => {
  const backlog = load(join(import.meta.dirname, "backlog.jsonl"));
  for (const c of backlog) {
    it(`${c.id} is still missed (move it to cases/ once fixed)`, () => {
      expect(check(c, run(c)).length).toBeGreaterThan(0);
    });
  }
});
