// The dashboard's pure helpers: the sentence around an evidence span, and the colours
// and widths of the network's edges.
import { describe, expect, it } from "vitest";
import { colourForGoldstein, findEvidenceContext, widthForCount } from "../../dashboard/evidence.js";

describe("findEvidenceContext", () => {
  const text =
    "MOSCOW - China is ready. Wang met Lavrov on Tuesday in Moscow! Later, talks ended.\nNext line.";

  it("returns the span's sentence split around the span", () => {
    const start = text.indexOf("Lavrov");
    const context = findEvidenceContext(text, start, start + "Lavrov".length);
    expect(context).toEqual({ before: "Wang met ", span: "Lavrov", after: " on Tuesday in Moscow!" });
  });

  it("stops at a line break and at the text's ends", () => {
    const start = text.indexOf("Next");
    expect(findEvidenceContext(text, start, start + 4)).toEqual({
      before: "",
      span: "Next",
      after: " line.",
    });
    expect(findEvidenceContext(text, 0, 6)).toEqual({
      before: "",
      span: "MOSCOW",
      after: " - China is ready.",
    });
  });

  it("keeps at most 240 characters either side of a span in a long sentence", () => {
    const long = `${"word ".repeat(200)}SPAN${" word".repeat(200)}.`;
    const start = long.indexOf("SPAN");
    const context = findEvidenceContext(long, start, start + 4);
    expect(context.span).toBe("SPAN");
    expect(context.before.length).toBeLessThanOrEqual(240);
    expect(context.after.length).toBeLessThanOrEqual(241);
  });

  it("clamps offsets outside the text", () => {
    expect(findEvidenceContext("abc.", 10, 20)).toEqual({ before: "", span: "", after: "" });
    expect(findEvidenceContext("abc def", 4, 99)).toEqual({ before: "abc ", span: "def", after: "" });
  });
});

describe("edge styling", () => {
  it("colours conflict red, neutral grey and cooperation green", () => {
    expect(colourForGoldstein(-10)).toBe("rgb(215, 48, 31)");
    expect(colourForGoldstein(0)).toBe("rgb(158, 158, 158)");
    expect(colourForGoldstein(10)).toBe("rgb(26, 152, 80)");
    expect(colourForGoldstein(25)).toBe(colourForGoldstein(10));
  });

  it("widens edges with the event count, up to a cap", () => {
    expect(widthForCount(1)).toBeLessThan(widthForCount(4));
    expect(widthForCount(10_000)).toBe(14);
  });
});
