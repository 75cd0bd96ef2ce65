// Figures the read routes derive from a set of events: the daily Goldstein series of a
// directed pair and the actor network of a period. Pure. Sums are kept in tenths of a
// point (every Goldstein score has one decimal) so that totals are exact and the same
// events always give the same figures, whatever order they were read in.
import type { EventRecord } from "./read-model.js";

export interface DailyPoint {
  date: string;
  eventCount: number;
  goldsteinTotal: number;
  goldsteinMean: number;
}

export interface NetworkActor {
  entity: string;
  eventCount: number;
}

export interface NetworkDyad {
  source: string;
  target: string;
  eventCount: number;
  goldsteinTotal: number;
  goldsteinMean: number;
}

const toTenths = (goldstein: number) => Math.round(goldstein * 10);
const round2 = (value: number) => Math.round(value * 100) / 100;

/** One point per day with events, oldest first. */
export function buildDailySeries(events: readonly EventRecord[]): DailyPoint[] {
  const days = new Map<string, { count: number; tenths: number }>();
  for (const { event } of events) {
    const day = days.get(event.date) ?? { count: 0, tenths: 0 };
    day.count += 1;
    day.tenths += toTenths(event.cameo.goldstein);
    days.set(event.date, day);
  }
  return [...days.entries()]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([date, day]) => ({
      date,
      eventCount: day.count,
      goldsteinTotal: day.tenths / 10,
      goldsteinMean: round2(day.tenths / 10 / day.count),
    }));
}

/** Actors (sources and targets) and directed dyads, busiest first; events without a target count for their source only. */
export function summarizeNetwork(events: readonly EventRecord[]): {
  actors: NetworkActor[];
  dyads: NetworkDyad[];
} {
  const actors = new Map<string, number>();
  const dyads = new Map<string, { source: string; target: string; count: number; tenths: number }>();
  for (const { event } of events) {
    const source = event.source.entity;
    actors.set(source, (actors.get(source) ?? 0) + 1);
    if (!event.target) continue;
    const target = event.target.entity;
    actors.set(target, (actors.get(target) ?? 0) + 1);
    const key = `${source}\u0000${target}`;
    const dyad = dyads.get(key) ?? { source, target, count: 0, tenths: 0 };
    dyad.count += 1;
    dyad.tenths += toTenths(event.cameo.goldstein);
    dyads.set(key, dyad);
  }
  const byCountThenName =
    <T extends { eventCount: number }>(name: (t: T) => string) =>
    (a: T, b: T) =>
      b.eventCount - a.eventCount || (name(a) < name(b) ? -1 : name(a) > name(b) ? 1 : 0);
  return {
    actors: [...actors.entries()]
      .map(([entity, eventCount]) => ({ entity, eventCount }))
      .sort(byCountThenName((a) => a.entity)),
    dyads: [...dyads.values()]
      .map((d) => ({
        source: d.source,
        target: d.target,
        eventCount: d.count,
        goldsteinTotal: d.tenths / 10,
        goldsteinMean: round2(d.tenths / 10 / d.count),
      }))
      .sort(byCountThenName((d) => `${d.source}>${d.target}`)),
  };
}

/** The first `days` days ending on `to` (inclusive), as YYYY-MM-DD bounds. */
export function windowEndingOn(to: string, days: number): { from: string; to: string } {
  const from = new Date(Date.parse(`${to}T00:00:00Z`) - (days - 1) * 86_400_000).toISOString().slice(0, 10);
  return { from, to };
}
