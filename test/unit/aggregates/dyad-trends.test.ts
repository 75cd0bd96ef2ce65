import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  DEFAULT_AGGREGATION_CONFIG,
  readAggregationConfig,
} from "../../../functions/core/aggregates/config.js";
import {
  addDyadEvent,
  type DyadEvent,
  type DyadTrendState,
  evaluateDyadTrend,
  findNewCrossings,
  listTrendCrossings,
  removeDyadEvent,
  toGoldsteinTenths,
} from "../../../functions/core/aggregates/dyad-trends.js";

const empty: DyadTrendState = { source: "RUS", target: "UKR", days: [] };
const config = DEFAULT_AGGREGATION_CONFIG;

function day(offset: number): string {
  return new Date(Date.UTC(2025, 2, 1 + offset)).toISOString().slice(0, 10);
}

/**
 * 30 days of cooperation (one +3.0 event a day, 1-30 March), then conflict (one -8.0 a
 * day) from 31 March. The turning point is 31 March; with a margin of 2 the 7-day mean
 * is first 2 points below the 30-day baseline on 1 April:
 *   short    25-31 Mar + 1 Apr: 5 x 3.0 + 2 x -8.0 = -1.0 over 7  = -0.14
 *   baseline 3 Mar - 1 Apr:    28 x 3.0 + 2 x -8.0 = 68.0 over 30 = 2.27   difference -2.41
 */
function turningSeries(conflictDays: number, recoveryDays = 0): DyadEvent[] {
  const events: DyadEvent[] = [];
  for (let i = 0; i < 30; i += 1) events.push({ date: day(i), goldsteinTenths: 30 });
  for (let i = 30; i < 30 + conflictDays; i += 1) events.push({ date: day(i), goldsteinTenths: -80 });
  for (let i = 30 + conflictDays; i < 30 + conflictDays + recoveryDays; i += 1) {
    events.push({ date: day(i), goldsteinTenths: 30 });
  }
  return events;
}

const build = (events: DyadEvent[]) => events.reduce(addDyadEvent, empty);

describe("dyad trends", () => {
  it("find the escalation on the day the short mean falls the margin below the baseline", () => {
    const crossings = listTrendCrossings(build(turningSeries(20)), config);
    expect(crossings).toEqual([
      {
        eventKey: "DyadTrendChanged#RUS#UKR#2025-04-01#escalating",
        source: "RUS",
        target: "UKR",
        direction: "escalating",
        date: "2025-04-01",
        short: {
          start: "2025-03-26",
          end: "2025-04-01",
          days: 7,
          eventCount: 7,
          goldsteinTotal: -1,
          mean: -0.14,
        },
        baseline: {
          start: "2025-03-03",
          end: "2025-04-01",
          days: 30,
          eventCount: 30,
          goldsteinTotal: 68,
          mean: 2.27,
        },
        difference: -2.41,
        margin: 2,
      },
    ]);
  });

  it("judge the day before the crossing steady, and stay escalating without announcing again", () => {
    const points = evaluateDyadTrend(build(turningSeries(20)).days, config);
    const regimeOn = (date: string) => points.find((p) => p.date === date)?.regime;
    expect(regimeOn("2025-03-30")).toBe("steady");
    expect(regimeOn("2025-03-31")).toBe("steady");
    expect(regimeOn("2025-04-01")).toBe("escalating");
    expect(regimeOn("2025-04-10")).toBe("escalating");
  });

  it("find the de-escalation when cooperation returns after the baseline has caught up", () => {
    const crossings = listTrendCrossings(build(turningSeries(40, 10)), config);
    expect(crossings.map((c) => [c.date, c.direction])).toEqual([
      ["2025-04-01", "escalating"],
      // 40 conflict days (31 Mar - 9 May), cooperation from 10 May: on 11 May the short
      // mean is (5 x -8 + 2 x 3) / 7 = -4.86 against a baseline of (28 x -8 + 2 x 3) / 30 = -7.27.
      ["2025-05-11", "de-escalating"],
    ]);
    expect(crossings[1]!.difference).toBe(2.41);
  });

  it("respect the configured margin", () => {
    // On the k-th conflict day (k ≤ 7) the difference is -11k (1/7 - 1/30) = -1.2k: below -5 from k = 5.
    const wide = { ...config, trendMargin: 5 };
    expect(listTrendCrossings(build(turningSeries(20)), wide).map((c) => c.date)).toEqual(["2025-04-04"]);
  });

  it("judge nothing on too few events", () => {
    const sparse = build([
      { date: "2025-03-01", goldsteinTenths: 70 },
      { date: "2025-03-20", goldsteinTenths: -100 },
    ]);
    expect(evaluateDyadTrend(sparse.days, config).map((p) => p.regime)).toEqual([
      "insufficient",
      "insufficient",
    ]);
    expect(listTrendCrossings(sparse, config)).toEqual([]);
  });

  it("announce a crossing once when events arrive in date order", () => {
    let state = empty;
    const announced: string[] = [];
    for (const event of turningSeries(40, 10)) {
      const next = addDyadEvent(state, event);
      announced.push(...findNewCrossings(state, next, config).map((c) => c.eventKey));
      state = next;
    }
    expect(announced).toEqual(listTrendCrossings(state, config).map((c) => c.eventKey));
  });

  it("reach exactly the same totals and crossings in any order, and undo exactly (property)", () => {
    const goldstein = fc.integer({ min: -100, max: 100 });
    fc.assert(
      fc.property(
        fc.array(fc.record({ offset: fc.integer({ min: 0, max: 60 }), goldsteinTenths: goldstein }), {
          minLength: 1,
          maxLength: 80,
        }),
        fc.func(fc.integer()),
        (raw, rank) => {
          const events = raw.map((r) => ({ date: day(r.offset), goldsteinTenths: r.goldsteinTenths }));
          const shuffled = events
            .map((event, i) => ({ event, r: rank(i) }))
            .sort((a, b) => a.r - b.r)
            .map((x) => x.event);
          const a = build(events);
          const b = build(shuffled);
          expect(b).toEqual(a);
          expect(listTrendCrossings(b, config)).toEqual(listTrendCrossings(a, config));
          const extra = { date: day(30), goldsteinTenths: 17 };
          expect(removeDyadEvent(addDyadEvent(a, extra), extra)).toEqual(a);
        },
      ),
    );
  });

  it("keep scores in exact tenths", () => {
    expect(toGoldsteinTenths(1.9)).toBe(19);
    expect(toGoldsteinTenths(-0.3)).toBe(-3);
    const state = [0.1, 0.2, -0.3].reduce(
      (s, g) => addDyadEvent(s, { date: "2025-03-01", goldsteinTenths: toGoldsteinTenths(g) }),
      empty,
    );
    expect(state.days).toEqual([{ date: "2025-03-01", goldsteinTenths: 0, count: 3 }]);
  });
});

describe("aggregation settings", () => {
  it("default to two publishers, 7 against 30 days and a margin of 2", () => {
    expect(readAggregationConfig({})).toEqual(DEFAULT_AGGREGATION_CONFIG);
    expect(DEFAULT_AGGREGATION_CONFIG).toMatchObject({
      confirmationPublishers: 2,
      shortWindowDays: 7,
      baselineWindowDays: 30,
      trendMargin: 2,
    });
  });

  it("read overrides from the environment and refuse nonsense", () => {
    expect(readAggregationConfig({ CONFIRMATION_PUBLISHERS: "3", TREND_MARGIN: "1.5" })).toMatchObject({
      confirmationPublishers: 3,
      trendMargin: 1.5,
    });
    expect(() => readAggregationConfig({ CONFIRMATION_PUBLISHERS: "0" })).toThrow(
      /invalid aggregation settings/,
    );
    expect(() => readAggregationConfig({ TREND_MARGIN: "wide" })).toThrow(/invalid aggregation settings/);
    expect(() => readAggregationConfig({ TREND_BASELINE_WINDOW_DAYS: "5" })).toThrow(/invalid/);
  });
});
