import { describe, expect, it } from "vitest";
import type { CodedEvent } from "../../../coder/types.js";
import {
  CLUSTER_WINDOW_DAYS,
  computeClusterId,
  computeClusterKey,
  findClusterWindow,
} from "../../../functions/core/aggregates/cluster-key.js";

const event = (
  source: string,
  target: string | null,
  code: string,
  date: string,
): Pick<CodedEvent, "source" | "target" | "cameo" | "date"> => ({
  source: { entity: source },
  target: target === null ? null : { entity: target },
  cameo: { code, root: code.slice(0, 2), name: "x", goldstein: 1, quadClass: 1 },
  date,
});

describe("cluster ids", () => {
  it("put the days of one fixed window together and the next day of the next window apart", () => {
    const window = findClusterWindow("2025-04-01");
    expect(window).toEqual({ start: "2025-03-31", end: "2025-04-02" });
    expect(findClusterWindow("2025-03-31")).toEqual(window);
    expect(findClusterWindow("2025-04-02")).toEqual(window);
    expect(findClusterWindow("2025-04-03").start).toBe("2025-04-03");
    expect(findClusterWindow("2025-03-30").end).toBe("2025-03-30");
    expect(CLUSTER_WINDOW_DAYS).toBe(3);
  });

  it("join codes of one CAMEO root: 042 and 043 of one meeting are one cluster", () => {
    expect(computeClusterId(event("CHN", "RUS", "042", "2025-04-01"))).toBe(
      computeClusterId(event("CHN", "RUS", "043", "2025-04-02")),
    );
    expect(computeClusterId(event("CHN", "RUS", "042", "2025-04-01"))).not.toBe(
      computeClusterId(event("CHN", "RUS", "051", "2025-04-01")),
    );
  });

  it("order the pair of symmetric roots (a visit hosted and made), and keep directed roots directed", () => {
    expect(computeClusterId(event("RUS", "CHN", "043", "2025-04-01"))).toBe(
      computeClusterId(event("CHN", "RUS", "042", "2025-04-01")),
    );
    expect(computeClusterKey(event("RUS", "CHN", "190", "2025-04-01"))).toMatchObject({
      first: "CHN",
      second: "RUS",
      symmetric: true,
    });
    expect(computeClusterId(event("RUS", "UKR", "112", "2025-04-01"))).not.toBe(
      computeClusterId(event("UKR", "RUS", "112", "2025-04-01")),
    );
  });

  it("give events without a target their own cluster, readable in logs", () => {
    expect(computeClusterId(event("IRN", null, "04", "2025-04-01"))).toBe("IRN~-~04~2025-03-31");
  });

  it("refuse a date that is not a date", () => {
    expect(() => computeClusterId(event("IRN", null, "04", "April"))).toThrow(RangeError);
  });
});
