import { describe, expect, it } from "vitest";
import { classifyInput } from "../../../bench/bundle-composition.js";
import { summarizeCpuProfile } from "../../../bench/cpu-profile.js";

describe("summarizeCpuProfile", () => {
  const frame = (functionName: string, url: string, lineNumber = 0) => ({ functionName, url, lineNumber });
  const profile = {
    nodes: [
      { id: 1, callFrame: frame("(root)", "") },
      { id: 2, callFrame: frame("tokenize", "file:///repo/coder/tokens.ts", 9) },
      { id: 3, callFrame: frame("findActors", "file:///repo/coder/actors.ts", 41) },
      // The same function reached along another call path: a second node.
      { id: 4, callFrame: frame("tokenize", "file:///repo/coder/tokens.ts", 9) },
      { id: 5, callFrame: frame("", "file:///elsewhere/lib.js", 0) },
    ],
    // Each sample's time is the delta to the next one.
    samples: [2, 3, 4, 2, 5, 1],
    timeDeltas: [0, 1000, 3000, 2000, 500, 1500],
  };

  it("adds self time per function across its nodes, largest first, with shares", () => {
    const { totalMs, hotSpots } = summarizeCpuProfile(profile, { repoRoot: "/repo" });
    expect(totalMs).toBe(8);
    expect(hotSpots[0]).toEqual({
      functionName: "tokenize",
      location: "coder/tokens.ts:10",
      selfMs: 1 + 2 + 0.5,
      share: 3.5 / 8,
    });
    expect(hotSpots[1]).toMatchObject({
      functionName: "findActors",
      selfMs: 3,
      location: "coder/actors.ts:42",
    });
    expect(hotSpots.find((h) => h.location.startsWith("file:///elsewhere"))?.functionName).toBe(
      "(anonymous)",
    );
  });

  it("keeps only the top entries", () => {
    expect(summarizeCpuProfile(profile, { top: 1 }).hotSpots).toHaveLength(1);
  });
});

describe("classifyInput", () => {
  it("groups bundle inputs by package, or by repository folder", () => {
    expect(classifyInput("node_modules/@aws-sdk/client-dynamodb/dist-es/index.js")).toBe(
      "@aws-sdk/client-dynamodb",
    );
    expect(classifyInput("node_modules/zod/v4/core/schemas.js")).toBe("zod");
    expect(classifyInput("node_modules/a/node_modules/b/index.js")).toBe("b");
    expect(classifyInput("coder/dictionaries/data/states.json")).toBe("coder/");
    expect(classifyInput("index.ts")).toBe("index.ts");
  });
});
