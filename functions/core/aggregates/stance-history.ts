// Stance histories: for one (holder, target), every recorded stance ordered by the
// publication time of its article (not by arrival), and the shifts in it. Pure.
//
// A shift is a boundary between two neighbouring entries of different polarity. When an
// entry is inserted or removed, some boundaries vanish and some appear. A new boundary is
// announced (StanceShifted) unless it merely continues a vanished one with the same two
// polarities: then the shift was announced already and has only moved. So
//   support(Jan) oppose(Mar) + late oppose(Feb)  -> the support→oppose shift moves to Feb: nothing new
//   support(Jan) oppose(Mar) + late support(Feb) -> it moves to Feb→Mar: nothing new
//   support(Jan) support(Mar) + late oppose(Feb) -> support→oppose and oppose→support: both announced
//   oppose(Mar) + late support(Jan)              -> support→oppose at Mar: announced, not latest
// which is what keeps a late-arriving older article from producing a false shift: it is
// placed by its date, and compared with its neighbours there, never with the newest entry.
import type { Polarity } from "../../../coder/types.js";

export interface StanceEntryRef {
  /** `<publishedAt as UTC ISO>#<articleId>#<version 6 digits>#<stanceId>`: sorts by date. */
  key: string;
  polarity: Polarity;
}

export interface StanceHistoryState {
  holder: string;
  target: string;
  /** Sorted by key. */
  entries: StanceEntryRef[];
}

export interface StanceBoundary {
  from: string;
  to: string;
  fromPolarity: Polarity;
  toPolarity: Polarity;
  /** `to` is the newest entry of the history. */
  latest: boolean;
}

export interface StanceHistoryChange {
  state: StanceHistoryState;
  changed: boolean;
  /** Boundaries to announce as StanceShifted. */
  shifts: StanceBoundary[];
}

/** The entry key; publication times with an offset are normalised so keys sort by instant. */
export function createStanceEntryKey(entry: {
  publishedAt: string;
  articleId: string;
  version: number;
  stanceId: string;
}): string {
  const instant = new Date(entry.publishedAt).toISOString();
  return `${instant}#${entry.articleId}#${String(entry.version).padStart(6, "0")}#${entry.stanceId}`;
}

export function listStanceBoundaries(entries: readonly StanceEntryRef[]): StanceBoundary[] {
  const boundaries: StanceBoundary[] = [];
  const lastKey = entries.at(-1)?.key;
  for (let i = 1; i < entries.length; i += 1) {
    const before = entries[i - 1]!;
    const after = entries[i]!;
    if (before.polarity === after.polarity) continue;
    boundaries.push({
      from: before.key,
      to: after.key,
      fromPolarity: before.polarity,
      toPolarity: after.polarity,
      latest: after.key === lastKey,
    });
  }
  return boundaries;
}

const boundaryId = (b: StanceBoundary) => `${b.from}\u0000${b.to}`;

/** Boundaries of `after` that are new and do not continue a vanished boundary of `before`. */
export function findNewShifts(
  before: readonly StanceEntryRef[],
  after: readonly StanceEntryRef[],
): StanceBoundary[] {
  const old = listStanceBoundaries(before);
  const now = listStanceBoundaries(after);
  const oldIds = new Set(old.map(boundaryId));
  const nowIds = new Set(now.map(boundaryId));
  const vanished = old.filter((b) => !nowIds.has(boundaryId(b)));
  const created = now.filter((b) => !oldIds.has(boundaryId(b)));
  const shifts: StanceBoundary[] = [];
  for (const boundary of created) {
    const continued = vanished.findIndex(
      (v) => v.fromPolarity === boundary.fromPolarity && v.toPolarity === boundary.toPolarity,
    );
    if (continued >= 0) {
      // One vanished boundary explains one moved boundary, no more.
      vanished.splice(continued, 1);
      continue;
    }
    shifts.push(boundary);
  }
  return shifts;
}

export function insertStanceEntry(state: StanceHistoryState, entry: StanceEntryRef): StanceHistoryChange {
  if (state.entries.some((e) => e.key === entry.key)) return { state, changed: false, shifts: [] };
  const entries = [...state.entries, entry].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  return { state: { ...state, entries }, changed: true, shifts: findNewShifts(state.entries, entries) };
}

export function removeStanceEntry(state: StanceHistoryState, key: string): StanceHistoryChange {
  const entries = state.entries.filter((e) => e.key !== key);
  if (entries.length === state.entries.length) return { state, changed: false, shifts: [] };
  return { state: { ...state, entries }, changed: true, shifts: findNewShifts(state.entries, entries) };
}
