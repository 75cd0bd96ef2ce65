// One message from the coder's output, applied to the aggregates exactly once.
//
//   1. The article's gate is raised to this version. A message of an older version than
//      the gate is stale: its version was replaced, so it contributes nothing.
//   2. Contributions of older versions of the article (a revision or retraction) are
//      reverted, each in its own transaction with the deletion of its marker.
//   3. The contribution is applied in one transaction: its marker (which must not exist),
//      the aggregates it changes (each on condition of the revision read), the derived
//      events it causes (outbox items), and a check that the gate is still this version.
// A conflict (another contribution changed an aggregate first) reads again and retries;
// a redelivery finds its marker and does nothing. Arrival order does not change the
// resulting aggregates, which is what lets a replay of the archive rebuild them.
import type { CodedEvent, Stance } from "../../../coder/types.js";
import { DetailType } from "../../../events/routing.js";
import type { StanceObservation, StanceShiftedDetail } from "../../../events/stance-shifted.js";
import type { Contribution, EventContribution, StanceContribution } from "./aggregate-items.js";
import { type ClusterKey, computeClusterKey } from "./cluster-key.js";
import { addClusterMember, type ClusterState, removeClusterMember } from "./clusters.js";
import type { AggregationConfig } from "./config.js";
import {
  addDyadEvent,
  type DyadTrendState,
  findNewCrossings,
  removeDyadEvent,
  toGoldsteinTenths,
} from "./dyad-trends.js";
import { ConcurrentAggregateError } from "./errors.js";
import type { AggregateStore, AggregateWrite, CommitOutcome, DerivedEventEntry } from "./ports.js";
import {
  createStanceEntryKey,
  insertStanceEntry,
  removeStanceEntry,
  type StanceBoundary,
  type StanceHistoryState,
} from "./stance-history.js";

export type AggregatorInput =
  | { kind: "article"; articleId: string; version: number }
  | { kind: "event"; contribution: EventContribution; clusterKey: ClusterKey }
  | { kind: "stance"; contribution: StanceContribution };

export interface AggregateDeps {
  store: AggregateStore;
  config: AggregationConfig;
  /** Attempts of one transaction when other writers keep changing the same aggregate. */
  maxAttempts?: number;
  sleep?: (ms: number) => Promise<void>;
  random?: () => number;
}

export type AggregateOutcome = {
  status: "applied" | "duplicate" | "stale" | "article-only";
  /** Contributions of replaced versions undone on the way. */
  reverted: number;
  /** Derived events written to the outbox (EventConfirmed, StanceShifted, DyadTrendChanged). */
  derived: DerivedEventEntry[];
};

export function buildEventInput(detail: {
  articleId: string;
  version: number;
  event: CodedEvent;
  publisher: string;
  publishedAt: string;
}): AggregatorInput {
  const { event } = detail;
  const clusterKey = computeClusterKey(event);
  return {
    kind: "event",
    clusterKey,
    contribution: {
      kind: "event",
      articleId: detail.articleId,
      version: detail.version,
      itemId: event.id,
      clusterId: clusterKey.clusterId,
      member: {
        articleId: detail.articleId,
        version: detail.version,
        eventId: event.id,
        publisher: detail.publisher,
        publishedAt: detail.publishedAt,
        date: event.date,
        cameoCode: event.cameo.code,
        goldstein: event.cameo.goldstein,
      },
      dyad: event.target
        ? {
            source: event.source.entity,
            target: event.target.entity,
            date: event.date,
            goldsteinTenths: toGoldsteinTenths(event.cameo.goldstein),
          }
        : null,
    },
  };
}

export function buildStanceInput(detail: {
  articleId: string;
  version: number;
  stance: Stance;
  publisher: string;
  publishedAt: string;
}): AggregatorInput {
  const { stance } = detail;
  return {
    kind: "stance",
    contribution: {
      kind: "stance",
      articleId: detail.articleId,
      version: detail.version,
      itemId: stance.id,
      holder: stance.holder.entity,
      target: stance.target.entity,
      entryKey: createStanceEntryKey({
        publishedAt: detail.publishedAt,
        articleId: detail.articleId,
        version: detail.version,
        stanceId: stance.id,
      }),
      polarity: stance.polarity,
      observation: {
        polarity: stance.polarity,
        articleId: detail.articleId,
        version: detail.version,
        publisher: detail.publisher,
        publishedAt: detail.publishedAt,
        stance,
      },
    },
  };
}

function emptyCluster(key: ClusterKey): ClusterState {
  return {
    clusterId: key.clusterId,
    first: key.first,
    second: key.second,
    cameoRoot: key.cameoRoot,
    symmetric: key.symmetric,
    window: key.window,
    members: [],
    confirmed: false,
  };
}

const emptyDyad = (source: string, target: string): DyadTrendState => ({ source, target, days: [] });
const emptyHistory = (holder: string, target: string): StanceHistoryState => ({
  holder,
  target,
  entries: [],
});

const toEntry = (detailType: string, detail: { eventKey: string }): DerivedEventEntry => ({
  detailType,
  eventKey: detail.eventKey,
  detail: detail as unknown as Record<string, unknown>,
});

function observationRef(observation: StanceObservation): string {
  return `${observation.articleId}:${observation.version}:${observation.stance.id}`;
}

export function createAggregator(deps: AggregateDeps) {
  const { store, config } = deps;
  const maxAttempts = deps.maxAttempts ?? 10;
  const sleep = deps.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  const random = deps.random ?? Math.random;

  /** Builds and commits a write until it goes through or is found done. */
  async function commitWithRetries(
    describe: string,
    build: () => Promise<AggregateWrite>,
  ): Promise<{ outcome: Exclude<CommitOutcome, "conflict">; write: AggregateWrite }> {
    for (let attempt = 1; ; attempt += 1) {
      const write = await build();
      const outcome = await store.commit(write);
      if (outcome !== "conflict") return { outcome, write };
      if (attempt >= maxAttempts) {
        throw new ConcurrentAggregateError(
          `${describe}: aggregates kept changing over ${maxAttempts} attempts`,
        );
      }
      // Jittered backoff: the writers that collided should not collide again in step.
      await sleep(Math.floor(random() * Math.min(1_000, 10 * 2 ** attempt)));
    }
  }

  async function buildShifts(
    history: StanceHistoryState,
    shifts: StanceBoundary[],
    known: Map<string, StanceObservation>,
  ): Promise<DerivedEventEntry[]> {
    if (shifts.length === 0) return [];
    const missing = [...new Set(shifts.flatMap((s) => [s.from, s.to]))].filter((k) => !known.has(k));
    const loaded =
      missing.length > 0
        ? await store.readStanceObservations(history.holder, history.target, missing)
        : new Map();
    const find = (key: string): StanceObservation => {
      const observation = known.get(key) ?? loaded.get(key);
      if (!observation) {
        throw new ConcurrentAggregateError(
          `stance history ${history.holder}→${history.target} lacks entry ${key}`,
        );
      }
      return observation;
    };
    return shifts.map((shift) => {
      const from = find(shift.from);
      const to = find(shift.to);
      const detail: StanceShiftedDetail = {
        eventKey: `${DetailType.StanceShifted}#${history.holder}#${history.target}#${observationRef(from)}#${observationRef(to)}`,
        holder: history.holder,
        target: history.target,
        from,
        to,
        latest: shift.latest,
      };
      return toEntry(DetailType.StanceShifted, detail);
    });
  }

  async function buildEventWrite(
    contribution: EventContribution,
    direction: "apply" | "revert",
    clusterKey?: ClusterKey,
  ): Promise<AggregateWrite> {
    const derived: DerivedEventEntry[] = [];
    const write: AggregateWrite = { [direction]: { contribution }, derivedEvents: derived };
    const cluster = await store.readCluster(contribution.clusterId);
    const clusterBefore = cluster?.state ?? (clusterKey ? emptyCluster(clusterKey) : null);
    if (clusterBefore) {
      const change =
        direction === "apply"
          ? addClusterMember(clusterBefore, contribution.member, config.confirmationPublishers)
          : removeClusterMember(clusterBefore, contribution.member);
      if (change.changed) write.cluster = { state: change.state, expectedRev: cluster?.rev ?? 0 };
      derived.push(...change.confirmations.map((c) => toEntry(DetailType.EventConfirmed, c)));
    }
    if (contribution.dyad) {
      const { source, target } = contribution.dyad;
      const dyad = await store.readDyadTrend(source, target);
      const before = dyad?.state ?? emptyDyad(source, target);
      if (direction === "apply" || dyad) {
        const after =
          direction === "apply"
            ? addDyadEvent(before, contribution.dyad)
            : removeDyadEvent(before, contribution.dyad);
        write.dyad = { state: after, expectedRev: dyad?.rev ?? 0 };
        derived.push(
          ...findNewCrossings(before, after, config).map((c) => toEntry(DetailType.DyadTrendChanged, c)),
        );
      }
    }
    return write;
  }

  async function buildStanceWrite(
    contribution: StanceContribution,
    direction: "apply" | "revert",
  ): Promise<AggregateWrite> {
    const history = await store.readStanceHistory(contribution.holder, contribution.target);
    const before = history?.state ?? emptyHistory(contribution.holder, contribution.target);
    const write: AggregateWrite = { [direction]: { contribution }, derivedEvents: [] };
    const change =
      direction === "apply"
        ? insertStanceEntry(before, { key: contribution.entryKey, polarity: contribution.polarity })
        : removeStanceEntry(before, contribution.entryKey);
    if (!change.changed && direction === "revert") return write;
    write.stanceHistory = {
      state: change.state,
      expectedRev: history?.rev ?? 0,
      ...(direction === "apply"
        ? { putEntry: { key: contribution.entryKey, observation: contribution.observation } }
        : { deleteEntryKey: contribution.entryKey }),
    };
    const known = new Map<string, StanceObservation>(
      direction === "apply" ? [[contribution.entryKey, contribution.observation]] : [],
    );
    write.derivedEvents.push(...(await buildShifts(change.state, change.shifts, known)));
    return write;
  }

  async function revert(contribution: Contribution): Promise<DerivedEventEntry[]> {
    const { outcome, write } = await commitWithRetries(
      `reverting ${contribution.kind} ${contribution.itemId} of ${contribution.articleId} v${contribution.version}`,
      () =>
        contribution.kind === "event"
          ? buildEventWrite(contribution, "revert")
          : buildStanceWrite(contribution, "revert"),
    );
    return outcome === "committed" ? write.derivedEvents : [];
  }

  return async function aggregate(input: AggregatorInput): Promise<AggregateOutcome> {
    const { articleId, version } = input.kind === "article" ? input : input.contribution;
    const gate = await store.advanceGate(articleId, version);
    if (gate > version) return { status: "stale", reverted: 0, derived: [] };

    const derived: DerivedEventEntry[] = [];
    const older = await store.listOlderContributions(articleId, version);
    for (const contribution of older) derived.push(...(await revert(contribution)));
    if (input.kind === "article") return { status: "article-only", reverted: older.length, derived };

    const { contribution } = input;
    if (await store.hasContribution(articleId, version, contribution.kind, contribution.itemId)) {
      return { status: "duplicate", reverted: older.length, derived };
    }
    const { outcome, write } = await commitWithRetries(
      `applying ${contribution.kind} ${contribution.itemId} of ${articleId} v${version}`,
      () =>
        input.kind === "event"
          ? buildEventWrite(input.contribution, "apply", input.clusterKey)
          : buildStanceWrite(input.contribution, "apply"),
    );
    if (outcome === "already-done") return { status: "duplicate", reverted: older.length, derived };
    if (outcome === "stale-version") return { status: "stale", reverted: older.length, derived };
    derived.push(...write.derivedEvents);
    return { status: "applied", reverted: older.length, derived };
  };
}

export type Aggregator = ReturnType<typeof createAggregator>;
