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

/**
 * One transaction for a whole batch of contributions (all of them applies): every marker,
 * one gate check per article, each aggregate the batch changes written once with its
 * final state, the stance entries, and the outbox items. Coalescing keeps the guarantees
 * of one transaction per contribution: all of it or none, each aggregate conditional on
 * the revision read, each marker on its absence.
 */
export interface GroupWrite {
  applies: Contribution[];
  /** The version each article's gate must still be at. */
  gates: { articleId: string; version: number }[];
  clusters: { state: ClusterState; expectedRev: number }[];
  dyads: { state: DyadTrendState; expectedRev: number }[];
  stanceHistories: {
    state: StanceHistoryState;
    expectedRev: number;
    putEntries: { key: string; observation: StanceObservation }[];
  }[];
  derivedEvents: DerivedEventEntry[];
}

export type GroupCommitOutcome =
  | { status: "committed" }
  /** Nothing written; says which markers exist already and which gates moved on, if known. */
  | {
      status: "cancelled";
      /** Marker ids (see `contributionId`) found to exist. */
      done: string[];
      /** Articles whose gate is no longer at the version checked. */
      staleArticles: string[];
      /** An aggregate changed since it was read (or the transaction collided): read again. */
      conflict: boolean;
    }
  /** More actions than one transaction holds: apply the contributions one at a time instead. */
  | { status: "too-large" };

/** What a batch needs to know before it applies: everything read in one round trip. */
export interface SnapshotRequest {
  articleIds: string[];
  contributions: Contribution[];
  clusterIds: string[];
  dyads: { source: string; target: string }[];
  stanceHistories: { holder: string; target: string }[];
}

export interface Snapshot {
  /** Gate version by article id (absent: no gate yet). */
  gates: Map<string, number>;
  /** Ids (see `contributionId`) of the markers that exist. */
  contributions: Set<string>;
  clusters: Map<string, Versioned<ClusterState>>;
  /** By `pairId(source, target)`. */
  dyads: Map<string, Versioned<DyadTrendState>>;
  /** By `pairId(holder, target)`. */
  stanceHistories: Map<string, Versioned<StanceHistoryState>>;
}

/** A marker's identity within a batch. */
export const contributionId = (c: Pick<Contribution, "articleId" | "version" | "kind" | "itemId">): string =>
  `${c.articleId}\u0000${c.version}\u0000${c.kind}\u0000${c.itemId}`;

/** A directed pair's identity within a batch. */
export const pairId = (first: string, second: string): string => `${first}\u0000${second}`;

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
  /** `readStanceObservations` for several histories in one round trip, by `pairId(holder, target)`. */
  readStanceObservationsOf(
    requests: readonly { holder: string; target: string; entryKeys: readonly string[] }[],
  ): Promise<Map<string, Map<string, StanceObservation>>>;
  /** Everything a batch needs, read at once (consistently). */
  readSnapshot(request: SnapshotRequest): Promise<Snapshot>;
  commitGroup(write: GroupWrite): Promise<GroupCommitOutcome>;
}
