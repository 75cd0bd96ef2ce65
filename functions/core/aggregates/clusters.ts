// Event clusters: the reports of one real-world event across articles. Pure: the state
// goes in, the new state and the events to emit come out; the store makes it durable.
//
// A cluster keeps its members (one per coded event of an article version), and every
// figure is derived from them. Keeping members rather than counters is what makes a
// revision or retraction exact: removing an article's old version removes its members,
// and firstSeen/lastSeen, articles and publishers are recomputed, not guessed.
import type { EventConfirmedDetail } from "../../../events/event-confirmed.js";
import { DetailType } from "../../../events/routing.js";
import type { ClusterWindow } from "./cluster-key.js";
import { NO_TARGET } from "./cluster-key.js";

export interface ClusterMember {
  articleId: string;
  version: number;
  eventId: string;
  publisher: string;
  publishedAt: string;
  date: string;
  cameoCode: string;
  goldstein: number;
}

export interface ClusterState {
  clusterId: string;
  /** Entities in cluster order (see cluster-key.ts). */
  first: string;
  second: string;
  cameoRoot: string;
  symmetric: boolean;
  window: ClusterWindow;
  /** Sorted by member key, so the same members always serialise the same way. */
  members: ClusterMember[];
  /** Set once EventConfirmed has been emitted; never unset, so it is emitted once. */
  confirmed: boolean;
}

export interface ClusterSummary {
  articleCount: number;
  publisherCount: number;
  publishers: string[];
  mentionCount: number;
  firstSeen: string | null;
  lastSeen: string | null;
  cameoCodes: string[];
}

/** Members of one cluster are unique by article, version and event. */
export function createMemberKey(member: Pick<ClusterMember, "articleId" | "version" | "eventId">): string {
  return `${member.articleId}#${String(member.version).padStart(6, "0")}#${member.eventId}`;
}

const byMemberKey = (a: ClusterMember, b: ClusterMember) => {
  const ka = createMemberKey(a);
  const kb = createMemberKey(b);
  return ka < kb ? -1 : ka > kb ? 1 : 0;
};

/** Compares instants written with any offset. */
function compareInstants(a: string, b: string): number {
  return Date.parse(a) - Date.parse(b) || (a < b ? -1 : a > b ? 1 : 0);
}

export function summarizeCluster(state: Pick<ClusterState, "members">): ClusterSummary {
  const { members } = state;
  const articles = new Set(members.map((m) => m.articleId));
  const publishers = [...new Set(members.map((m) => m.publisher))].sort();
  const times = members.map((m) => m.publishedAt).sort(compareInstants);
  return {
    articleCount: articles.size,
    publisherCount: publishers.length,
    publishers,
    mentionCount: members.length,
    firstSeen: times[0] ?? null,
    lastSeen: times.at(-1) ?? null,
    cameoCodes: [...new Set(members.map((m) => m.cameoCode))].sort(),
  };
}

export interface ClusterChange {
  state: ClusterState;
  /** False when the member was there already (a redelivery): nothing to write. */
  changed: boolean;
  confirmations: EventConfirmedDetail[];
}

export const MAX_CONFIRMATION_MEMBERS = 100;

function buildConfirmation(state: ClusterState, threshold: number): EventConfirmedDetail {
  const summary = summarizeCluster(state);
  const members = [...state.members]
    .sort((a, b) => compareInstants(a.publishedAt, b.publishedAt) || byMemberKey(a, b))
    .slice(0, MAX_CONFIRMATION_MEMBERS);
  return {
    eventKey: `${DetailType.EventConfirmed}#${state.clusterId}`,
    clusterId: state.clusterId,
    source: state.first,
    target: state.second === NO_TARGET ? null : state.second,
    symmetric: state.symmetric,
    cameoRoot: state.cameoRoot,
    cameoCodes: summary.cameoCodes,
    window: state.window,
    // A confirmed cluster has members, so both are set.
    firstSeen: summary.firstSeen ?? "",
    lastSeen: summary.lastSeen ?? "",
    articleCount: summary.articleCount,
    publisherCount: summary.publisherCount,
    publishers: summary.publishers,
    mentionCount: summary.mentionCount,
    threshold,
    members,
  };
}

/** Adds a report; confirms the cluster the first time its publishers reach `threshold`. */
export function addClusterMember(
  state: ClusterState,
  member: ClusterMember,
  threshold: number,
): ClusterChange {
  const key = createMemberKey(member);
  if (state.members.some((m) => createMemberKey(m) === key)) {
    return { state, changed: false, confirmations: [] };
  }
  const next: ClusterState = { ...state, members: [...state.members, member].sort(byMemberKey) };
  if (!next.confirmed && summarizeCluster(next).publisherCount >= threshold) {
    const confirmed = { ...next, confirmed: true };
    return { state: confirmed, changed: true, confirmations: [buildConfirmation(confirmed, threshold)] };
  }
  return { state: next, changed: true, confirmations: [] };
}

/** Removes a report (its article version was replaced or retracted). Confirmation stays. */
export function removeClusterMember(
  state: ClusterState,
  member: Pick<ClusterMember, "articleId" | "version" | "eventId">,
): ClusterChange {
  const key = createMemberKey(member);
  const members = state.members.filter((m) => createMemberKey(m) !== key);
  if (members.length === state.members.length) return { state, changed: false, confirmations: [] };
  return { state: { ...state, members }, changed: true, confirmations: [] };
}
