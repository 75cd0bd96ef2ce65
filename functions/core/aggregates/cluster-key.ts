// Which cluster a coded event joins, as a pure function of the event itself: source and
// target entities, CAMEO root and a fixed date window. Nothing about arrival order or
// other events enters it, so the coder can stamp it on the stored event, every replay
// puts the event in the same cluster, and two aggregators never disagree.
//
// Why the CAMEO root (two digits) and not the full code: two outlets describing the same
// meeting are coded "04", "042" or "043" depending on their wording; the root is what
// they agree on. Why a fixed window and not "within N days of the cluster": a sliding
// window makes membership depend on which report arrived first (chains of reports can
// drag a cluster along), which no replay could reproduce. See docs/derived-events.md.
import type { CodedEvent } from "../../../coder/types.js";

/** Width of the date buckets events are clustered in, in days. */
export const CLUSTER_WINDOW_DAYS = 3;

/**
 * CAMEO roots whose events describe one joint act however the pair is ordered: a visit
 * is "A makes a visit to B" (042) in one outlet and "B hosts A" (043) in another;
 * consultations, material cooperation and fighting are mutual. For these roots the
 * entities are put in a fixed order, so both accounts fall in one cluster.
 */
export const SYMMETRIC_CAMEO_ROOTS: ReadonlySet<string> = new Set(["04", "06", "19"]);

/** Placeholder for an event without a target (a cluster of "X did something"). */
export const NO_TARGET = "-";

const DAY_MS = 86_400_000;

export interface ClusterWindow {
  /** First day of the window (YYYY-MM-DD), inclusive. */
  start: string;
  /** Last day of the window (YYYY-MM-DD), inclusive. */
  end: string;
}

export interface ClusterKey {
  clusterId: string;
  /** The entities in cluster order (sorted for symmetric roots). */
  first: string;
  second: string;
  cameoRoot: string;
  symmetric: boolean;
  window: ClusterWindow;
}

function toDayNumber(date: string): number {
  const ms = Date.parse(`${date}T00:00:00Z`);
  if (Number.isNaN(ms)) throw new RangeError(`not an ISO date: ${date}`);
  return Math.floor(ms / DAY_MS);
}

function fromDayNumber(day: number): string {
  return new Date(day * DAY_MS).toISOString().slice(0, 10);
}

/** The fixed window (counted from 1970-01-01) that holds `date`. */
export function findClusterWindow(date: string, windowDays = CLUSTER_WINDOW_DAYS): ClusterWindow {
  const day = toDayNumber(date);
  const start = Math.floor(day / windowDays) * windowDays;
  return { start: fromDayNumber(start), end: fromDayNumber(start + windowDays - 1) };
}

/** The cluster of `event`: `<first>~<second>~<root>~<window start>`, readable in logs and keys. */
export function computeClusterKey(
  event: Pick<CodedEvent, "source" | "target" | "cameo" | "date">,
): ClusterKey {
  const cameoRoot = event.cameo.root;
  const symmetric = SYMMETRIC_CAMEO_ROOTS.has(cameoRoot) && event.target !== null;
  const source = event.source.entity;
  const target = event.target?.entity ?? NO_TARGET;
  const [first, second] = symmetric && target < source ? [target, source] : [source, target];
  const window = findClusterWindow(event.date);
  return {
    clusterId: `${first}~${second}~${cameoRoot}~${window.start}`,
    first,
    second,
    cameoRoot,
    symmetric,
    window,
  };
}

export function computeClusterId(event: Pick<CodedEvent, "source" | "target" | "cameo" | "date">): string {
  return computeClusterKey(event).clusterId;
}
