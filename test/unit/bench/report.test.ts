// The benchmark report's judgement of the targets and its generated prose, over the
// figures of a real full run (fixtures/bench-results.json, bundle paths shortened).
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { type BenchResults, judgeTargets, renderReport, TARGETS } from "../../../bench/report.js";

const fixture = JSON.parse(
  readFileSync(new URL("./fixtures/bench-results.json", import.meta.url), "utf8"),
) as BenchResults;

/** A deep copy to change, so no test sees another's edits. */
const results = (): BenchResults => structuredClone(fixture);

const metOf = (r: BenchResults, target: string) => {
  const verdict = judgeTargets(r).find((v) => v.target.startsWith(target));
  if (!verdict) throw new Error(`no verdict for ${target}`);
  return verdict.met;
};

describe("judgeTargets", () => {
  it("judges all six targets from the run's figures", () => {
    const verdicts = judgeTargets(results());
    expect(verdicts).toHaveLength(6);
    expect(verdicts.map((v) => v.met)).toEqual([false, false, true, false, false, false]);
  });

  // Each target right at its threshold and just past it.
  it.each([
    {
      target: "Coder ≥",
      at: (r: BenchResults) => {
        for (const round of r.throughput.rounds)
          round.coderCpuMs = (r.throughput.articles / TARGETS.coderArticlesPerSecond) * 1000;
      },
      past: (r: BenchResults) => {
        for (const round of r.throughput.rounds)
          round.coderCpuMs = (r.throughput.articles / TARGETS.coderArticlesPerSecond) * 1000 + 1;
      },
    },
    {
      target: "Coder ≤",
      at: (r: BenchResults) => {
        for (const round of r.throughput.rounds) round.coderCpuMs = round.floorCpuMs * TARGETS.floorRatio;
      },
      past: (r: BenchResults) => {
        for (const round of r.throughput.rounds) round.coderCpuMs = round.floorCpuMs * TARGETS.floorRatio + 1;
      },
    },
    {
      target: "Coder cold",
      at: (r: BenchResults) => setColdRatio(r, TARGETS.coldStartRatio),
      past: (r: BenchResults) => setColdRatio(r, TARGETS.coldStartRatio + 0.01),
    },
    {
      target: "Local end to end",
      at: (r: BenchResults) => setP99(r, TARGETS.endToEndP99Ms - 1),
      past: (r: BenchResults) => setP99(r, TARGETS.endToEndP99Ms),
    },
    {
      target: "Cost",
      at: (r: BenchResults) => {
        r.cost.total = TARGETS.costPerMillion - 0.01;
      },
      past: (r: BenchResults) => {
        r.cost.total = TARGETS.costPerMillion;
      },
    },
  ])("$target: met at the threshold, missed just past it", ({ target, at, past }) => {
    const within = results();
    at(within);
    expect(metOf(within, target)).toBe(true);
    const beyond = results();
    past(beyond);
    expect(metOf(beyond, target)).toBe(false);
  });

  it("does not call the end-to-end target met when articles were lost", () => {
    const r = results();
    setP99(r, 100);
    if (r.steady) r.steady.lost = 1;
    expect(metOf(r, "Local end to end")).toBe(false);
  });
});

describe("renderReport", () => {
  it("writes every section without a missing or impossible figure", () => {
    const report = renderReport(results());
    for (const heading of ["## Targets", "## 1.", "## 2.", "## 3.", "## 4.", "## 5."])
      expect(report).toContain(heading);
    expect(report).not.toMatch(/\bNaN\b|\bundefined\b|Infinity|\[object Object\]/);
  });

  it("sets the coder's cold start against the SDK floor, and the end-to-end step against DynamoDB Local's ceiling", () => {
    const report = renderReport(results());
    expect(report).toContain("**The floor under that target.**");
    expect(report).toContain("**DynamoDB Local's own ceiling**");
    expect(report).toMatch(/the stack's Node process used [\d.]+ of a core and DynamoDB Local [\d.]+/);
  });

  it("names the highest rate the ramp held and the first it did not", () => {
    const r = results();
    const step = r.ramp[0];
    if (!step?.latency) throw new Error("the fixture lacks a ramp step with latencies");
    const at = (rate: number, p99: number, sustained: boolean) => ({
      ...structuredClone(step),
      offeredRate: rate,
      sustained,
      latency: { ...step.latency!, p50: p99 / 2, p99 },
    });
    r.ramp = [at(5, 140, true), at(10, 201, true), at(20, 688, false)];
    const report = renderReport(r);
    expect(report).toContain(
      "held p99 under 250 ms up to 10/s (p50 101 ms, p99 201 ms); at 20/s p99 was 688 ms",
    );
    expect(report).toContain("**Maximum sustained throughput:** 10 articles/s");
  });

  it("leaves those paragraphs out when a run did not measure them, and still writes no impossible figure", () => {
    const r = results();
    r.coldStarts = r.coldStarts.filter((c) => c.bundle.name !== "sdk-floor");
    r.dynamoDbCeiling = null;
    r.steadyCpu = null;
    const report = renderReport(r);
    expect(report).not.toContain("The floor under that target");
    expect(report).not.toContain("DynamoDB Local's own ceiling");
    expect(report).toContain("its ceiling was not measured in this run");
    expect(report).not.toMatch(/\bNaN\b|\bundefined\b|Infinity/);
  });
});

function setColdRatio(r: BenchResults, ratio: number): void {
  const empty = r.coldStarts.find((c) => c.bundle.name === "empty");
  const coder = r.coldStarts.find((c) => c.bundle.name === "coder" && c.bundle.variant === "deployed");
  if (!empty || !coder) throw new Error("the fixture lacks the empty or the coder cold start");
  coder.untilFirstAnswerMs = empty.untilFirstAnswerMs * ratio;
}

function setP99(r: BenchResults, p99: number): void {
  if (!r.steady?.latency) throw new Error("the fixture lacks the steady step's latency");
  r.steady.latency.p99 = p99;
  r.steady.lost = 0;
}
