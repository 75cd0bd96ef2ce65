import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { Polarity } from "../../../coder/types.js";
import {
  createStanceEntryKey,
  insertStanceEntry,
  listStanceBoundaries,
  removeStanceEntry,
  type StanceEntryRef,
  type StanceHistoryState,
} from "../../../functions/core/aggregates/stance-history.js";

const empty: StanceHistoryState = { holder: "USA", target: "CHN", entries: [] };
const entry = (month: string, polarity: Polarity, articleId = `a-${month}`): StanceEntryRef => ({
  key: createStanceEntryKey({
    publishedAt: `2025-${month}-10T00:00:00Z`,
    articleId,
    version: 1,
    stanceId: "st",
  }),
  polarity,
});
const build = (entries: StanceEntryRef[]) => entries.reduce((s, e) => insertStanceEntry(s, e).state, empty);
const shiftsOf = (state: StanceHistoryState, next: StanceEntryRef) =>
  insertStanceEntry(state, next).shifts.map((s) => `${s.fromPolarity}→${s.toPolarity}@${s.to.slice(5, 7)}`);

describe("stance histories", () => {
  it("order entries by publication instant, whatever the offset they were written with", () => {
    // As written, "2025-04-01T00:30+02:00" sorts after "2025-03-31T23:00Z"; as instants it is earlier.
    const withOffset = createStanceEntryKey({
      publishedAt: "2025-04-01T00:30:00+02:00",
      articleId: "b",
      version: 1,
      stanceId: "s",
    });
    const utc = createStanceEntryKey({
      publishedAt: "2025-03-31T23:00:00Z",
      articleId: "a",
      version: 1,
      stanceId: "s",
    });
    expect(withOffset < utc).toBe(true);
    expect(withOffset.startsWith("2025-03-31T22:30:00.000Z#b#000001#s")).toBe(true);
  });

  it("announce a shift when the newest stance changes polarity, marked latest", () => {
    const state = build([entry("01", "support")]);
    const change = insertStanceEntry(state, entry("03", "oppose"));
    expect(change.shifts).toHaveLength(1);
    expect(change.shifts[0]).toMatchObject({ fromPolarity: "support", toPolarity: "oppose", latest: true });
    expect(shiftsOf(state, entry("03", "support"))).toEqual([]);
  });

  it("compare a late older stance with its neighbours by date, never with the newest (no false shift)", () => {
    // support(Jan) oppose(Mar): a late support from Feb only moves the known shift to Feb→Mar.
    const known = build([entry("01", "support"), entry("03", "oppose")]);
    expect(shiftsOf(known, entry("02", "support"))).toEqual([]);
    // ... and a late oppose from Feb moves it to Jan→Feb: still the same shift, not a second one.
    expect(shiftsOf(known, entry("02", "oppose"))).toEqual([]);
    // A late oppose between two supports is a real excursion: both boundaries are new.
    const steady = build([entry("01", "support"), entry("03", "support")]);
    expect(shiftsOf(steady, entry("02", "oppose"))).toEqual(["support→oppose@02", "oppose→support@03"]);
    // The newest entry is opposite to the late one, yet nothing is announced against it.
    const latest = build([entry("01", "support"), entry("02", "support"), entry("04", "oppose")]);
    expect(shiftsOf(latest, entry("01", "support", "a-01b"))).toEqual([]);
  });

  it("mark a shift latest only when it leads to the newest stance of the history", () => {
    // A late January support before a March oppose: the shift leads to the current stance.
    const current = insertStanceEntry(build([entry("03", "oppose")]), entry("01", "support"));
    expect(current.shifts).toEqual([expect.objectContaining({ fromPolarity: "support", latest: true })]);
    // A late excursion in the past: both of its boundaries are history, not news.
    const past = insertStanceEntry(
      build([entry("01", "support"), entry("03", "support"), entry("04", "support")]),
      entry("02", "oppose"),
    );
    expect(past.shifts.map((s) => s.latest)).toEqual([false, false]);
  });

  it("announce both new boundaries when a third polarity lands between two", () => {
    const state = build([entry("01", "support"), entry("03", "oppose")]);
    expect(shiftsOf(state, entry("02", "neutral"))).toEqual(["support→neutral@02", "neutral→oppose@03"]);
  });

  it("on removal, announce only a boundary that did not exist in any form before", () => {
    const excursion = build([entry("01", "support"), entry("02", "oppose"), entry("03", "support")]);
    expect(removeStanceEntry(excursion, entry("02", "oppose").key).shifts).toEqual([]);
    const threeWay = build([entry("01", "support"), entry("02", "neutral"), entry("03", "oppose")]);
    expect(removeStanceEntry(threeWay, entry("02", "neutral").key).shifts).toEqual([
      expect.objectContaining({ fromPolarity: "support", toPolarity: "oppose" }),
    ]);
    expect(removeStanceEntry(threeWay, "nothing").changed).toBe(false);
  });

  it("ignore an entry it has (a redelivery)", () => {
    const state = build([entry("01", "support")]);
    expect(insertStanceEntry(state, entry("01", "support")).changed).toBe(false);
  });

  it("reach the same history and boundaries whatever the arrival order (property)", () => {
    const polarity = fc.constantFrom<Polarity>("support", "oppose", "neutral");
    fc.assert(
      fc.property(
        fc.uniqueArray(fc.record({ day: fc.integer({ min: 1, max: 28 }), polarity }), {
          selector: (e) => e.day,
          minLength: 1,
          maxLength: 12,
        }),
        fc.func(fc.integer()),
        (raw, rank) => {
          const entries = raw.map((r) =>
            entry(`0${1 + (r.day % 9)}`.slice(-2), r.polarity, `art-${String(r.day).padStart(2, "0")}`),
          );
          const shuffled = [...entries].sort((a, b) => rank(a.key) - rank(b.key));
          const inOrder = build(entries);
          const other = build(shuffled);
          expect(other).toEqual(inOrder);
          expect(listStanceBoundaries(other.entries)).toEqual(listStanceBoundaries(inOrder.entries));
          // Announced in date order, exactly the boundaries of the final history are announced.
          const sorted = [...entries].sort((a, b) => (a.key < b.key ? -1 : 1));
          let state = empty;
          const announced: string[] = [];
          for (const e of sorted) {
            const change = insertStanceEntry(state, e);
            announced.push(...change.shifts.map((s) => `${s.from}|${s.to}`));
            state = change.state;
          }
          expect(announced).toEqual(listStanceBoundaries(state.entries).map((b) => `${b.from}|${b.to}`));
        },
      ),
    );
  });
});
