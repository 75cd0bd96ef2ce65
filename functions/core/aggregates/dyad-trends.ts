// Dyad trends: for a directed pair (source → target), daily Goldstein totals and event
// counts, a short-window mean compared with a baseline-window mean, and the days on which
// the short mean crosses the baseline by the configured margin. Pure.
//
// Totals are kept in tenths of a Goldstein point (every score has one decimal), as
// integers: adding and removing in any order then gives exactly the same figures, which
// floating-point sums would not, and a replay must give identical trends.
import type { DyadTrendChangedDetail } from "../../../events/dyad-trend-changed.js";
import { DetailType } from "../../../events/routing.js";
import type { AggregationConfig } from "./config.js";

export interface DyadDay {
  date: string;
  goldsteinTenths: number;
  count: number;
}

export interface DyadTrendState {
  source: string;
  target: string;
  /** Days with at least one event, sorted by date. */
  days: DyadDay[];
}

export interface DyadEvent {
  date: string;
  goldsteinTenths: number;
}

export type TrendRegime = "escalating" | "de-escalating" | "steady" | "insufficient";

export interface WindowFigures {
  start: string;
  end: string;
  days: number;
  eventCount: number;
  goldsteinTenths: number;
}

export interface TrendPoint {
  date: string;
  short: WindowFigures;
  baseline: WindowFigures;
  /** short mean − baseline mean; null when a window lacks the events to judge. */
  difference: number | null;
  regime: TrendRegime;
}

const DAY_MS = 86_400_000;
const toDayNumber = (date: string) => Math.floor(Date.parse(`${date}T00:00:00Z`) / DAY_MS);
const fromDayNumber = (day: number) => new Date(day * DAY_MS).toISOString().slice(0, 10);

export function toGoldsteinTenths(goldstein: number): number {
  return Math.round(goldstein * 10);
}

function adjustDay(state: DyadTrendState, event: DyadEvent, sign: 1 | -1): DyadTrendState {
  const days = state.days.map((d) => ({ ...d }));
  const index = days.findIndex((d) => d.date === event.date);
  if (index >= 0) {
    const day = days[index]!;
    day.count += sign;
    day.goldsteinTenths += sign * event.goldsteinTenths;
    if (day.count <= 0) days.splice(index, 1);
  } else if (sign > 0) {
    days.push({ date: event.date, goldsteinTenths: event.goldsteinTenths, count: 1 });
    days.sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0));
  }
  return { ...state, days };
}

export function addDyadEvent(state: DyadTrendState, event: DyadEvent): DyadTrendState {
  return adjustDay(state, event, 1);
}

export function removeDyadEvent(state: DyadTrendState, event: DyadEvent): DyadTrendState {
  return adjustDay(state, event, -1);
}

const mean = (w: WindowFigures) => w.goldsteinTenths / 10 / w.eventCount;

/**
 * The trend judged on every day that has events: the short window is the
 * `shortWindowDays` days ending that day, the baseline the `baselineWindowDays` days
 * ending that day (it includes the short window, as a moving-average crossover does).
 */
export function evaluateDyadTrend(days: readonly DyadDay[], config: AggregationConfig): TrendPoint[] {
  const numbered = days.map((d) => ({ ...d, day: toDayNumber(d.date) }));
  const points: TrendPoint[] = [];
  const windowOver = (endIndex: number, length: number): WindowFigures => {
    const end = numbered[endIndex]!.day;
    const start = end - length + 1;
    let eventCount = 0;
    let goldsteinTenths = 0;
    for (let i = endIndex; i >= 0 && numbered[i]!.day >= start; i -= 1) {
      eventCount += numbered[i]!.count;
      goldsteinTenths += numbered[i]!.goldsteinTenths;
    }
    return {
      start: fromDayNumber(start),
      end: fromDayNumber(end),
      days: length,
      eventCount,
      goldsteinTenths,
    };
  };
  for (let i = 0; i < numbered.length; i += 1) {
    const short = windowOver(i, config.shortWindowDays);
    const baseline = windowOver(i, config.baselineWindowDays);
    const enough =
      short.eventCount >= config.trendMinShortEvents &&
      baseline.eventCount - short.eventCount >= config.trendMinBaselineEvents;
    if (!enough) {
      points.push({ date: numbered[i]!.date, short, baseline, difference: null, regime: "insufficient" });
      continue;
    }
    const difference = mean(short) - mean(baseline);
    const regime: TrendRegime =
      difference <= -config.trendMargin
        ? "escalating"
        : difference >= config.trendMargin
          ? "de-escalating"
          : "steady";
    points.push({ date: numbered[i]!.date, short, baseline, difference, regime });
  }
  return points;
}

const round2 = (value: number) => Math.round(value * 100) / 100;

function describeWindow(w: WindowFigures): DyadTrendChangedDetail["short"] {
  return {
    start: w.start,
    end: w.end,
    days: w.days,
    eventCount: w.eventCount,
    goldsteinTotal: w.goldsteinTenths / 10,
    mean: w.eventCount === 0 ? 0 : round2(mean(w)),
  };
}

/**
 * The crossings of a series: days whose regime is escalating or de-escalating while the
 * previous judged day's was not the same (steady, insufficient or the opposite).
 */
export function listTrendCrossings(
  state: DyadTrendState,
  config: AggregationConfig,
): DyadTrendChangedDetail[] {
  const crossings: DyadTrendChangedDetail[] = [];
  let previous: TrendRegime = "steady";
  for (const point of evaluateDyadTrend(state.days, config)) {
    if ((point.regime === "escalating" || point.regime === "de-escalating") && point.regime !== previous) {
      crossings.push({
        eventKey: `${DetailType.DyadTrendChanged}#${state.source}#${state.target}#${point.date}#${point.regime}`,
        source: state.source,
        target: state.target,
        direction: point.regime,
        date: point.date,
        short: describeWindow(point.short),
        baseline: describeWindow(point.baseline),
        difference: round2(point.difference ?? 0),
        margin: config.trendMargin,
      });
    }
    previous = point.regime;
  }
  return crossings;
}

/** Crossings of `after` that `before` did not have: the ones to announce. */
export function findNewCrossings(
  before: DyadTrendState,
  after: DyadTrendState,
  config: AggregationConfig,
): DyadTrendChangedDetail[] {
  const known = new Set(listTrendCrossings(before, config).map((c) => c.eventKey));
  return listTrendCrossings(after, config).filter((c) => !known.has(c.eventKey));
}
