// zod/mini loads no messages by default ("Invalid input" for every issue); the schemas
// load the English ones. A file of its own: zod's classic API, imported elsewhere,
// would load them too and hide their absence.
import { describe, expect, it } from "vitest";
import { ArticleSchema } from "../../../events/article-published.js";

describe("schema issues", () => {
  it("are worded in English, as the API's 400s and dead-letter reasons show them", () => {
    const parsed = ArticleSchema.safeParse({ id: "a-1", title: 7 });
    const byPath = new Map(parsed.error?.issues.map((issue) => [issue.path.join("."), issue.message]));
    expect(byPath.get("title")).toBe("Invalid input: expected string, received number");
    expect(byPath.get("body")).toBe("Invalid input: expected string, received undefined");
  });
});
