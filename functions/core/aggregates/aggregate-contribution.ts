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
import {
  type AggregateStore,
  type AggregateWrite,
  type CommitOutcome,
  contributionId,
  type DerivedEventEntry,
  type GroupWrite,
  pairId,
  type Snapshot,
  type Versioned,
} from "./ports.js";
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

/** The outcome of one message of a batch, or why it failed (the queue retries it alone). */
export type BatchItemResult = { ok: true; outcome: AggregateOutcome } | { ok: false; error: unknown };

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

  async function aggregate(input: AggregatorInput): Promise<AggregateOutcome> {
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
  }

  type Tracked<T> = { state: T; rev: number; changed: boolean };
  type GroupItem = { index: number; input: Extract<AggregatorInput, { kind: "event" | "stance" }> };

  /**
   * Applies first-version contributions of a batch together: one consistent read of every
   * gate, marker and aggregate they touch, the contributions applied in memory in batch
   * order (each aggregate's state passing from one to the next, derived events found step
   * by step as one transaction each would find them), then one transaction for the lot.
   * A marker found existing or a gate moved on drops those contributions and the rest is
   * tried again; a changed aggregate reads again. Returns the outcomes it settled and,
   * when one transaction cannot hold them, the contributions still to apply.
   */
  async function applyGroup(
    items: GroupItem[],
  ): Promise<{ settled: Map<number, AggregateOutcome>; tooLarge: GroupItem[] }> {
    const settled = new Map<number, AggregateOutcome>();
    const finish = (item: GroupItem, status: AggregateOutcome["status"], derived: DerivedEventEntry[] = []) =>
      settled.set(item.index, { status, reverted: 0, derived });
    // A message repeated within the batch is settled by its first copy.
    const firstOf = new Map<string, GroupItem>();
    const repeats: Array<{ item: GroupItem; first: GroupItem }> = [];
    let pending: GroupItem[] = [];
    for (const item of items) {
      const id = contributionId(item.input.contribution);
      const first = firstOf.get(id);
      if (first) repeats.push({ item, first });
      else {
        firstOf.set(id, item);
        pending.push(item);
      }
    }
    const raised = new Set<string>();
    let conflicts = 0;
    let tooLarge: GroupItem[] = [];
    while (pending.length > 0) {
      const contributions = pending.map((p) => p.input.contribution);
      const snapshot = await store.readSnapshot({
        articleIds: [...new Set(contributions.map((c) => c.articleId))],
        contributions,
        clusterIds: [
          ...new Set(
            pending.flatMap((p) => (p.input.kind === "event" ? [p.input.clusterKey.clusterId] : [])),
          ),
        ],
        dyads: uniquePairs(
          pending.flatMap((p) =>
            p.input.kind === "event" && p.input.contribution.dyad
              ? [[p.input.contribution.dyad.source, p.input.contribution.dyad.target] as const]
              : [],
          ),
        ).map(([source, target]) => ({ source, target })),
        stanceHistories: uniquePairs(
          pending.flatMap((p) =>
            p.input.kind === "stance"
              ? [[p.input.contribution.holder, p.input.contribution.target] as const]
              : [],
          ),
        ).map(([holder, target]) => ({ holder, target })),
      });

      // Gates: an article seen for the first time has its gate raised (once), as `aggregate` does.
      const toRaise = new Map<string, number>();
      for (const { input } of pending) {
        const { articleId, version } = input.contribution;
        const gate = snapshot.gates.get(articleId);
        if ((gate === undefined || gate < version) && !raised.has(articleId)) toRaise.set(articleId, version);
      }
      const gateAfter = new Map(snapshot.gates);
      await Promise.all(
        [...toRaise].map(async ([articleId, version]) => {
          gateAfter.set(articleId, await store.advanceGate(articleId, version));
          raised.add(articleId);
        }),
      );
      const live: GroupItem[] = [];
      for (const item of pending) {
        const { articleId, version } = item.input.contribution;
        if ((gateAfter.get(articleId) ?? version) > version) finish(item, "stale");
        else if (snapshot.contributions.has(contributionId(item.input.contribution)))
          finish(item, "duplicate");
        else live.push(item);
      }
      pending = live;
      if (live.length === 0) break;

      const { write, derivedOf } = await buildGroupWrite(live, snapshot);
      const outcome = await store.commitGroup(write);
      if (outcome.status === "committed") {
        for (const item of live) finish(item, "applied", derivedOf.get(item.index) ?? []);
        pending = [];
        break;
      }
      if (outcome.status === "too-large") {
        tooLarge = live;
        pending = [];
        break;
      }
      const done = new Set(outcome.done);
      const stale = new Set(outcome.staleArticles);
      pending = live.filter((item) => {
        const { contribution } = item.input;
        if (done.has(contributionId(contribution))) finish(item, "duplicate");
        else if (stale.has(contribution.articleId)) finish(item, "stale");
        else return true;
        return false;
      });
      if (outcome.conflict || pending.length === live.length) {
        conflicts += 1;
        if (conflicts >= maxAttempts) {
          throw new ConcurrentAggregateError(
            `a batch's aggregates kept changing over ${maxAttempts} attempts`,
          );
        }
        await sleep(Math.floor(random() * Math.min(1_000, 10 * 2 ** conflicts)));
      }
    }
    for (const { item, first } of repeats) {
      const outcome = settled.get(first.index);
      if (outcome) finish(item, outcome.status === "applied" ? "duplicate" : outcome.status);
    }
    return { settled, tooLarge };
  }

  /** The batch applied in memory, in order, to what the snapshot holds. */
  async function buildGroupWrite(
    live: GroupItem[],
    snapshot: Snapshot,
  ): Promise<{ write: GroupWrite; derivedOf: Map<number, DerivedEventEntry[]> }> {
    const track = <T>(found: Versioned<T> | undefined, empty: () => T): Tracked<T> =>
      found
        ? { state: found.state, rev: found.rev, changed: false }
        : { state: empty(), rev: 0, changed: false };
    const clusters = new Map<string, Tracked<ClusterState>>();
    const dyads = new Map<string, Tracked<DyadTrendState>>();
    const histories = new Map<
      string,
      Tracked<StanceHistoryState> & { putEntries: GroupWrite["stanceHistories"][number]["putEntries"] }
    >();
    const derivedOf = new Map<number, DerivedEventEntry[]>();
    const shiftsToDescribe: Array<{ index: number; history: StanceHistoryState; shifts: StanceBoundary[] }> =
      [];
    const known = new Map<string, StanceObservation>();
    for (const { input } of live) {
      if (input.kind === "stance") known.set(input.contribution.entryKey, input.contribution.observation);
    }

    for (const { index, input } of live) {
      const derived: DerivedEventEntry[] = [];
      derivedOf.set(index, derived);
      if (input.kind === "event") {
        const { contribution, clusterKey } = input;
        let cluster = clusters.get(clusterKey.clusterId);
        if (!cluster) {
          cluster = track(snapshot.clusters.get(clusterKey.clusterId), () => emptyCluster(clusterKey));
          clusters.set(clusterKey.clusterId, cluster);
        }
        const change = addClusterMember(cluster.state, contribution.member, config.confirmationPublishers);
        if (change.changed) {
          cluster.state = change.state;
          cluster.changed = true;
        }
        derived.push(...change.confirmations.map((c) => toEntry(DetailType.EventConfirmed, c)));
        if (contribution.dyad) {
          const { source, target } = contribution.dyad;
          const id = pairId(source, target);
          let dyad = dyads.get(id);
          if (!dyad) {
            dyad = track(snapshot.dyads.get(id), () => emptyDyad(source, target));
            dyads.set(id, dyad);
          }
          const after = addDyadEvent(dyad.state, contribution.dyad);
          derived.push(
            ...findNewCrossings(dyad.state, after, config).map((c) =>
              toEntry(DetailType.DyadTrendChanged, c),
            ),
          );
          dyad.state = after;
          dyad.changed = true;
        }
      } else {
        const { contribution } = input;
        const id = pairId(contribution.holder, contribution.target);
        let history = histories.get(id);
        if (!history) {
          history = {
            ...track(snapshot.stanceHistories.get(id), () =>
              emptyHistory(contribution.holder, contribution.target),
            ),
            putEntries: [],
          };
          histories.set(id, history);
        }
        const change = insertStanceEntry(history.state, {
          key: contribution.entryKey,
          polarity: contribution.polarity,
        });
        history.state = change.state;
        history.changed = true;
        history.putEntries.push({ key: contribution.entryKey, observation: contribution.observation });
        if (change.shifts.length > 0)
          shiftsToDescribe.push({ index, history: change.state, shifts: change.shifts });
      }
    }
    // Shifts need both stances' evidence: this batch's are known, older ones are read, all
    // of them in one round trip.
    const missing = shiftsToDescribe
      .map(({ history, shifts }) => ({
        holder: history.holder,
        target: history.target,
        entryKeys: [...new Set(shifts.flatMap((s) => [s.from, s.to]))].filter((k) => !known.has(k)),
      }))
      .filter((request) => request.entryKeys.length > 0);
    const loaded =
      missing.length > 0
        ? await store.readStanceObservationsOf(missing)
        : new Map<string, Map<string, StanceObservation>>();
    for (const { index, history, shifts } of shiftsToDescribe) {
      const older = loaded.get(pairId(history.holder, history.target));
      const knownHere = older ? new Map([...known, ...older]) : known;
      derivedOf.get(index)!.push(...(await buildShifts(history, shifts, knownHere)));
    }
    const changed = <T>(map: Map<string, Tracked<T>>) =>
      [...map.values()].filter((t) => t.changed).map((t) => ({ state: t.state, expectedRev: t.rev }));
    const gates = new Map(
      live.map(({ input }) => [input.contribution.articleId, input.contribution.version]),
    );
    return {
      write: {
        applies: live.map(({ input }) => input.contribution),
        gates: [...gates].map(([articleId, version]) => ({ articleId, version })),
        clusters: changed(clusters),
        dyads: changed(dyads),
        stanceHistories: [...histories.values()].map((h) => ({
          state: h.state,
          expectedRev: h.rev,
          putEntries: h.putEntries,
        })),
        derivedEvents: live.flatMap(({ index }) => derivedOf.get(index) ?? []),
      },
      derivedOf,
    };
  }

  /**
   * A batch of messages, with the same outcome per message as `aggregate` one at a time.
   * First versions' events and stances (nearly everything) are applied together by
   * `applyGroup`; a revision or retraction, which may withdraw an older version, and
   * anything the group could not settle, go through `aggregate` alone and in order.
   */
  async function aggregateBatch(inputs: readonly AggregatorInput[]): Promise<BatchItemResult[]> {
    const results = new Map<number, BatchItemResult>();
    const grouped: GroupItem[] = [];
    inputs.forEach((input, index) => {
      if (input.kind !== "article" && input.contribution.version === 1) grouped.push({ index, input });
    });
    // A group too large for one transaction is halved, in order, until each part fits.
    const groups = grouped.length > 1 ? [grouped] : [];
    while (groups.length > 0) {
      const group = groups.shift()!;
      try {
        const { settled, tooLarge } = await applyGroup(group);
        for (const [index, outcome] of settled) results.set(index, { ok: true, outcome });
        if (tooLarge.length > 1) {
          const half = Math.ceil(tooLarge.length / 2);
          groups.unshift(tooLarge.slice(0, half), tooLarge.slice(half));
        }
      } catch {
        // Whatever stopped the group (a persistent conflict, a refused transaction) is
        // met again one message at a time, where it fails only the message it belongs to.
      }
    }
    for (const [index, input] of inputs.entries()) {
      if (results.has(index)) continue;
      try {
        results.set(index, { ok: true, outcome: await aggregate(input) });
      } catch (error) {
        results.set(index, { ok: false, error });
      }
    }
    return inputs.map((_, index) => results.get(index)!);
  }

  return Object.assign(aggregate, { batch: aggregateBatch });
}

function uniquePairs(pairs: ReadonlyArray<readonly [string, string]>): Array<readonly [string, string]> {
  return [...new Map(pairs.map((pair) => [pairId(pair[0], pair[1]), pair])).values()];
}

export type Aggregator = ReturnType<typeof createAggregator>;
