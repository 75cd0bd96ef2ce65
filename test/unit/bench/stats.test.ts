import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { computeMedian, computePercentile, summarizeSamples } from "../../../bench/stats.js";

describe("computePercentile (nearest rank)", () => {
  const hundred = Array.from({ length: 100 }, (_, i) => i + 1);

  it("returns the sample at rank ceil(p/100 × n)", () => {
    expect(computePercentile(hundred, 50)).toBe(50);
    expect(computePercentile(hundred, 95)).toBe(95);
    expect(computePercentile(hundred, 99)).toBe(99);
    expect(computePercentile(hundred, 100)).toBe(100);
    expect(computePercentile([10, 20, 30, 40], 50)).toBe(20);
    expect(computePercentile([10, 20, 30, 40], 51)).toBe(30);
  });

  it("never invents a value: p0 is the minimum and every answer is a sample", () => {
    expect(computePercentile([3, 1, 2], 0)).toBe(1);
    fc.assert(
      fc.property(
        fc.array(fc.double({ noNaN: true }), { minLength: 1 }),
        fc.integer({ min: 0, max: 100 }),
        (values, p) => {
          expect(values).toContain(computePercentile(values, p));
        },
      ),
    );
  });

  it("does not depend on the order of the samples and does not reorder them", () => {
    const values = [5, 1, 4, 2, 3];
    expect(computePercentile(values, 80)).toBe(4);
    expect(values).toEqual([5, 1, 4, 2, 3]);
  });

  it("is monotonic in p", () => {
    fc.assert(
      fc.property(fc.array(fc.integer(), { minLength: 1 }), fc.integer({ min: 0, max: 99 }), (values, p) => {
        expect(computePercentile(values, p)).toBeLessThanOrEqual(computePercentile(values, p + 1));
      }),
    );
  });

  it("refuses no samples and a p outside 0–100", () => {
    expect(() => computePercentile([], 50)).toThrow(RangeError);
    expect(() => computePercentile([1], 101)).toThrow(RangeError);
    expect(() => computePercentile([1], Number.NaN)).toThrow(RangeError);
  });
});

describe("computeMedian", () => {
  it("takes the middle sample, or the mean of the two middle ones", () => {
    expect(computeMedian([3, 1, 2])).toBe(2);
    expect(computeMedian([4, 1, 3, 2])).toBe(2.5);
    expect(() => computeMedian([])).toThrow(RangeError);
  });
});

describe("summarizeSamples", () => {
  it("reports count, extremes, mean and the three percentiles", () => {
    const summary = summarizeSamples([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    expect(summary).toEqual({ count: 10, min: 1, p50: 5, p95: 10, p99: 10, max: 10, mean: 5.5 });
  });
});
