// What the read routes need from the table, as a port: the DynamoDB reader
// (dynamodb-read-model.ts) implements it over the table's keys and indexes, never a scan.
import type { CodedEvent, Stance } from "../../coder/types.js";

/** One stored event with the article it came from. */
export interface EventRecord {
  articleId: string;
  version: number;
  /** The outlet; absent on items stored before it was recorded. */
  publisher?: string;
  /** The article's publication time; absent on items stored before it was recorded. */
  publishedAt?: string;
  /** The cluster of reports of one real-world event this event belongs to. */
  clusterId?: string;
  event: CodedEvent;
}

export interface StanceRecord {
  articleId: string;
  version: number;
  publishedAt: string;
  stance: Stance;
}

export interface EventFilter {
  actor?: string | undefined;
  target?: string | undefined;
  /** Inclusive YYYY-MM-DD bounds on the event's date. */
  from?: string | undefined;
  to?: string | undefined;
  root?: string | undefined;
  quadClass?: number | undefined;
  /** Only events whose cluster is (true) or is not (false) confirmed. */
  confirmed?: boolean | undefined;
}

export interface EventPageRequest extends EventFilter {
  limit: number;
  cursor?: string | undefined;
}

export interface EventPage {
  /** Newest first (by event date, then event id). */
  events: EventRecord[];
  /** Pass back as `cursor` for the next page; null at the end. */
  nextCursor: string | null;
}

export interface EventSet {
  events: EventRecord[];
  /** More events matched than the reader returns in one answer. */
  truncated: boolean;
}

export interface ClusterRecord {
  clusterId: string;
  /** Entities in cluster order; `second` is "-" for events without a target. */
  first: string;
  second: string;
  cameoRoot: string;
  window: { start: string; end: string };
  /** Reports of other outlets needed for confirmation, when the deployment says. */
  confirmed: boolean;
  members: EventRecord[];
}

export interface QueryReader {
  /** One page of events matching the filter, newest first. Throws InvalidCursorError. */
  listEvents(request: EventPageRequest): Promise<EventPage>;
  /** Every event of a directed pair in a date range, newest first, up to the reader's cap. */
  listDyadEvents(source: string, target: string, range: { from?: string; to?: string }): Promise<EventSet>;
  /** Every event (any actor) in a date range, newest first, up to the reader's cap. */
  listEventsBetween(from: string, to: string): Promise<EventSet>;
  /** The date of the newest stored event, or null when there is none. */
  findNewestEventDate(): Promise<string | null>;
  /** Every recorded stance of `holder` toward `target`, oldest first. */
  listStanceHistory(holder: string, target: string): Promise<StanceRecord[]>;
  /** The newest recorded stance of `holder` toward `target`, or null. */
  getLatestStance(holder: string, target: string): Promise<StanceRecord | null>;
  /** A cluster and its member events, or null when no stored event belongs to it. */
  getCluster(clusterId: string): Promise<ClusterRecord | null>;
}
