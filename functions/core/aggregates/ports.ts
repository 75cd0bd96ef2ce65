// What the aggregation needs from storage. The DynamoDB adapter (functions/aggregator/)
// implements it with conditional transactions; the logic in aggregate-contribution.ts
// decides what to write.

import type { StanceObservation } from "../../../events/stance-shifted.js";
import type { Contribution, ContributionKind } from "./aggregate-items.js";
import type { ClusterState } from "./clusters.js";
import type { DyadTrendState } from "./dyad-trends.js";
import type { StanceHistoryState } from "./stance-history.js";

/** An aggregate as read, with the revision its write must still find (0: absent). */
export interface Versioned<T> {
  state: T;
  rev: number;
}

export interface DerivedEventEntry {
  detailType: string;
  eventKey: string;
  detail: Record<string, unknown>;
}

export interface AggregateWrite {
  /** Apply: the marker to create (must not exist) and the article version that must still be current. */
  apply?: { contribution: Contribution };
  /** Revert: the marker to delete (must exist). */
  revert?: { contribution: Contribution };
  cluster?: { state: ClusterState; expectedRev: number };
  dyad?: { state: DyadTrendState; expectedRev: number };
  stanceHistory?: {
    state: StanceHistoryState;
    expectedRev: number;
    putEntry?: { key: string; observation: StanceObservation };
    deleteEntryKey?: string;
  };
  derivedEvents: DerivedEventEntry[];
}

export type CommitOutcome =
  | "committed"
  /** Apply: the marker exists already; revert: it is gone already. */
  | "already-done"
  /** Apply: a newer version of the article arrived in the meantime. */
  | "stale-version"
  /** An aggregate changed since it was read: read again and retry. */
  | "conflict";

export interface AggregateStore {
  /** Raises the article's gate to `version` unless it is higher; returns the gate's version after. */
  advanceGate(articleId: string, version: number): Promise<number>;
  /** Markers of the article's versions older than `version`. */
  listOlderContributions(articleId: string, version: number): Promise<Contribution[]>;
  hasContribution(
    articleId: string,
    version: number,
    kind: ContributionKind,
    itemId: string,
  ): Promise<boolean>;
  readCluster(clusterId: string): Promise<Versioned<ClusterState> | null>;
  readDyadTrend(source: string, target: string): Promise<Versioned<DyadTrendState> | null>;
  readStanceHistory(holder: string, target: string): Promise<Versioned<StanceHistoryState> | null>;
  readStanceObservations(
    holder: string,
    target: string,
    entryKeys: readonly string[],
  ): Promise<Map<string, StanceObservation>>;
  commit(write: AggregateWrite): Promise<CommitOutcome>;
}
