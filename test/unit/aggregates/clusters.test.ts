import { describe, expect, it } from "vitest";
import {
  addClusterMember,
  type ClusterMember,
  type ClusterState,
  removeClusterMember,
  summarizeCluster,
} from "../../../functions/core/aggregates/clusters.js";

const empty: ClusterState = {
  clusterId: "CHN~RUS~04~2025-03-31",
  first: "CHN",
  second: "RUS",
  cameoRoot: "04",
  symmetric: true,
  window: { start: "2025-03-31", end: "2025-04-02" },
  members: [],
  confirmed: false,
};

const member = (articleId: string, publisher: string, publishedAt: string, eventId = "ev-1", version = 1) =>
  ({
    articleId,
    version,
    eventId,
    publisher,
    publishedAt,
    date: "2025-04-01",
    cameoCode: "042",
    goldstein: 1.9,
  }) satisfies ClusterMember;

describe("clusters", () => {
  it("count articles, distinct publishers and mentions, and the first and last report", () => {
    let state = empty;
    for (const m of [
      member("a1", "wire", "2025-04-01T12:00:00Z"),
      member("a1", "wire", "2025-04-01T12:00:00Z", "ev-2"),
      member("a2", "wire", "2025-04-01T09:00:00+02:00"),
    ]) {
      state = addClusterMember(state, m, 5).state;
    }
    expect(summarizeCluster(state)).toEqual({
      articleCount: 2,
      publisherCount: 1,
      publishers: ["wire"],
      mentionCount: 3,
      firstSeen: "2025-04-01T09:00:00+02:00",
      lastSeen: "2025-04-01T12:00:00Z",
      cameoCodes: ["042"],
    });
  });

  it("confirm once, when the second distinct publisher reports it", () => {
    const first = addClusterMember(empty, member("a1", "wire", "2025-04-01T12:00:00Z"), 2);
    expect(first.confirmations).toEqual([]);
    const samePublisher = addClusterMember(first.state, member("a2", "wire", "2025-04-01T13:00:00Z"), 2);
    expect(samePublisher.confirmations).toEqual([]);
    const second = addClusterMember(samePublisher.state, member("a3", "post", "2025-04-02T08:00:00Z"), 2);
    expect(second.confirmations).toHaveLength(1);
    expect(second.confirmations[0]).toMatchObject({
      eventKey: "EventConfirmed#CHN~RUS~04~2025-03-31",
      publisherCount: 2,
      articleCount: 3,
      publishers: ["post", "wire"],
      threshold: 2,
      target: "RUS",
    });
    expect(second.confirmations[0]!.members.map((m) => m.articleId)).toEqual(["a1", "a2", "a3"]);
    const third = addClusterMember(second.state, member("a4", "daily", "2025-04-02T09:00:00Z"), 2);
    expect(third.confirmations).toEqual([]);
    // A retraction that drops below the threshold and a new report that reaches it again: still once.
    const dropped = removeClusterMember(
      removeClusterMember(third.state, member("a3", "post", "")).state,
      member("a4", "daily", ""),
    );
    expect(summarizeCluster(dropped.state).publisherCount).toBe(1);
    expect(
      addClusterMember(dropped.state, member("a5", "post", "2025-04-03T00:00:00Z"), 2).confirmations,
    ).toEqual([]);
  });

  it("ignore a member it has (a redelivery) and a removal of one it lacks", () => {
    const once = addClusterMember(empty, member("a1", "wire", "2025-04-01T12:00:00Z"), 2);
    const twice = addClusterMember(once.state, member("a1", "wire", "2025-04-01T12:00:00Z"), 2);
    expect(twice.changed).toBe(false);
    expect(twice.state).toBe(once.state);
    expect(removeClusterMember(once.state, member("zz", "wire", "")).changed).toBe(false);
  });

  it("give the same state whatever the order members arrive in", () => {
    const members = [
      member("a1", "wire", "2025-04-01T12:00:00Z"),
      member("a2", "post", "2025-04-01T13:00:00Z"),
      member("a3", "daily", "2025-04-02T13:00:00Z"),
    ];
    const build = (order: ClusterMember[]) => order.reduce((s, m) => addClusterMember(s, m, 2).state, empty);
    expect(build([...members].reverse())).toEqual(build(members));
  });

  it("keep versions of one article apart, so a revision's removal takes only the old version", () => {
    let state = addClusterMember(empty, member("a1", "wire", "2025-04-01T12:00:00Z", "ev-1", 1), 2).state;
    state = addClusterMember(state, member("a1", "wire", "2025-04-01T12:00:00Z", "ev-1", 2), 2).state;
    state = removeClusterMember(state, { articleId: "a1", version: 1, eventId: "ev-1" }).state;
    expect(state.members.map((m) => m.version)).toEqual([2]);
  });
});
