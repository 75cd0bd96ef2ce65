import { describe, expect, it } from "vitest";
import { ArticleFileError, parseArticles } from "../../../local/article-file.js";

describe("parseArticles (what npm run publish reads)", () => {
  it("reads one JSON object, even pretty-printed", () => {
    expect(parseArticles('{\n  "id": "a",\n  "title": "T"\n}\n', "a.json")).toEqual([
      { label: "a.json", article: { id: "a", title: "T" } },
    ]);
  });

  it("reads a JSON array as several articles", () => {
    expect(parseArticles('[{"id":"a"},{"id":"b"}]', "many.json").map((p) => p.label)).toEqual([
      "many.json[0]",
      "many.json[1]",
    ]);
  });

  it("reads JSON Lines, skipping blank lines and naming line numbers", () => {
    const parsed = parseArticles('{"id":"a"}\n\n{"id":"b"}\r\n', "x.jsonl");
    expect(parsed).toEqual([
      { label: "x.jsonl:1", article: { id: "a" } },
      { label: "x.jsonl:3", article: { id: "b" } },
    ]);
  });

  it("names the line that is not JSON", () => {
    expect(() => parseArticles('{"id":"a"}\n{broken\n', "bad.jsonl")).toThrow(/bad\.jsonl:2 is not JSON/);
  });

  it("refuses an empty file", () => {
    expect(() => parseArticles("  \n", "empty.json")).toThrow(ArticleFileError);
  });
});
