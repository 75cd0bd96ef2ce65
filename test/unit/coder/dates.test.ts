import { describe, expect, it } from "vitest";
import { findDates, formatDate, parsePublished } from "../../../coder/dates.js";
import { tokenize } from "../../../coder/tokens.js";

function resolve(text: string, publishedAt: string): string[] {
  const tokens = tokenize(text);
  return findDates(tokens, 0, tokens.length, parsePublished(publishedAt)).map((d) => formatDate(d.date));
}

describe("dates relative to publication", () => {
  // 2025-04-01 is a Tuesday.
  it("resolves weekdays to the most recent one on or before publication", () => {
    expect(resolve("met on Tuesday", "2025-04-01T12:00:00Z")).toEqual(["2025-04-01"]);
    expect(resolve("met on Monday", "2025-04-01T12:00:00Z")).toEqual(["2025-03-31"]);
    expect(resolve("met on Wednesday", "2025-04-01T12:00:00Z")).toEqual(["2025-03-26"]);
  });
  it("resolves yesterday, last month and last week", () => {
    expect(resolve("yesterday", "2025-04-01T12:00:00Z")).toEqual(["2025-03-31"]);
    expect(resolve("last month", "2025-03-31T12:00:00Z")).toEqual(["2025-02-28"]);
    expect(resolve("last week", "2025-04-01T00:00:00Z")).toEqual(["2025-03-25"]);
  });
  it("puts month-day dates after publication in the previous year", () => {
    expect(resolve("on June 19", "2025-07-01T00:00:00Z")).toEqual(["2025-06-19"]);
    expect(resolve("on December 3", "2025-01-10T00:00:00Z")).toEqual(["2024-12-03"]);
    expect(resolve("in December", "2024-01-07T00:00:00Z")).toEqual(["2023-12-01"]);
  });
  it("reads years after in or since", () => {
    expect(resolve("cut ties in 2016", "2023-03-10T00:00:00Z")).toEqual(["2016-01-01"]);
  });
  it("does not take the modal 'may' for a month", () => {
    expect(resolve("Tokyo may allow it", "2024-06-10T00:00:00Z")).toEqual([]);
    expect(resolve("expelled on May 8", "2024-05-16T00:00:00Z")).toEqual(["2024-05-08"]);
  });
});
