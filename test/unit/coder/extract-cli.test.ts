// The extract CLI: one JSON line per valid article, one stderr line per invalid
// record naming its line, exit code 1 when any record was invalid.
import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { describe, expect, it } from "vitest";

const root = join(import.meta.dirname, "../../..");

function run(input: string) {
  const r = spawnSync(process.execPath, ["--import", "tsx", "scripts/extract.ts", "-"], {
    cwd: root,
    input,
    encoding: "utf8",
  });
  return { code: r.status, out: r.stdout.trim() ? r.stdout.trim().split("\n") : [], err: r.stderr.trim() };
}

const good = (id: string) =>
  JSON.stringify({
    id,
    title: "China condemns Russia",
    body: "China condemned Russia on Monday.",
    publishedAt: "2024-05-10T00:00:00Z",
    url: "https://example.org",
    source: "test",
  });

describe("extract CLI", () => {
  it("codes valid records around invalid ones and reports each bad line", () => {
    const input = [good("a"), "{not json", JSON.stringify({ id: "b", title: 3 }), "", good("c")].join("\n");
    const r = run(input);
    expect(r.code).toBe(1);
    expect(r.out.map((l) => JSON.parse(l).articleId)).toEqual(["a", "c"]);
    expect(r.err).toMatch(/line 2: not JSON/);
    expect(r.err).toMatch(/line 3: invalid article: .*title/);
  });

  it("accepts a JSON array and exits 0 when all records are valid", () => {
    const r = run(`[${good("x")}, ${good("y")}]`);
    expect(r.code).toBe(0);
    const lines = r.out.map((l) => JSON.parse(l));
    expect(lines.map((l) => l.articleId)).toEqual(["x", "y"]);
    expect(lines[0]).toHaveProperty("events");
    expect(lines[0]).toHaveProperty("stances");
  });

  it("prints nothing and succeeds on empty input", () => {
    expect(run("")).toEqual({ code: 0, out: [], err: "" });
  });
});
