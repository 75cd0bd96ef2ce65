// The local event bus: what our code uses of EventBridge (PutEvents,
// DescribeEventBus), with the same limits, envelope and routing, so the
// handlers' real EventBridge client behaves here as it does in AWS.
// The wire protocol (JSON 1.1 over HTTP) lives in eventbridge-api.ts.
import { randomUUID } from "node:crypto";
import { closeSync, mkdirSync, openSync, writeSync } from "node:fs";
import { dirname } from "node:path";
import type { RouteDefinition } from "../events/routing.js";
import { matchesEventPattern } from "./event-pattern.js";

/** EventBridge's documented limits for PutEvents. */
export const MAX_ENTRIES_PER_PUT = 10;
export const MAX_ENTRY_BYTES = 1024 * 1024;
/** EventBridge counts 14 bytes for `Time` when the entry sets it. */
const TIME_FIELD_BYTES = 14;

/** An event as EventBridge delivers it to targets and archives. */
export interface EventEnvelope {
  version: "0";
  id: string;
  "detail-type": string;
  source: string;
  account: string;
  time: string;
  region: string;
  resources: string[];
  detail: unknown;
}

/** One entry of a PutEvents request, as it arrives on the wire. */
export interface PutEventsRequestEntry {
  Source?: unknown;
  DetailType?: unknown;
  Detail?: unknown;
  Resources?: unknown;
  EventBusName?: unknown;
  /** Epoch seconds (the JSON 1.1 timestamp format) or an ISO string. */
  Time?: unknown;
  TraceHeader?: unknown;
}

export type PutEventsResultEntry = { EventId: string } | { ErrorCode: string; ErrorMessage: string };

export interface PutEventsResult {
  FailedEntryCount: number;
  Entries: PutEventsResultEntry[];
}

/** A failure of the whole call, answered as an AWS JSON error (`__type`). */
export class EventBusApiError extends Error {
  constructor(
    readonly code: "ValidationException" | "ResourceNotFoundException" | "UnknownOperationException",
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = "EventBusApiError";
  }
}

export interface BusRoute {
  definition: RouteDefinition;
  /** Receives every matching event; a queue's send, for instance. */
  deliver(event: EventEnvelope): void;
}

export interface LocalEventBusOptions {
  name: string;
  region: string;
  account: string;
  routes: BusRoute[];
  /** Every event that crosses the bus is appended here as one JSON line. */
  archivePath?: string;
  /** Called for each accepted event with the ids of the routes it matched. */
  onEvent?(event: EventEnvelope, matchedRouteIds: string[]): void;
  now?(): Date;
  newId?(): string;
}

/** The buses that exist: ours, and `default`, which every AWS account has (with no rules here). */
const DEFAULT_BUS = "default";

export class LocalEventBus {
  readonly name: string;
  readonly arn: string;
  private readonly options: LocalEventBusOptions;
  private readonly createdAt: Date;
  /** The archive, open for appending from the first event to `flush`. */
  private archiveFd: number | undefined;
  private counts = { accepted: 0, failed: 0 };

  constructor(options: LocalEventBusOptions) {
    this.options = options;
    this.name = options.name;
    this.arn = busArn(options, options.name);
    this.createdAt = this.now();
  }

  stats(): { accepted: number; failed: number } {
    return { ...this.counts };
  }

  describeEventBus(request: { Name?: unknown }): { Name: string; Arn: string; CreationTime: number } {
    const requested = request.Name === undefined ? DEFAULT_BUS : request.Name;
    const name = this.resolveBusName(requested);
    return {
      Name: name,
      Arn: busArn(this.options, name),
      CreationTime: Math.floor(this.createdAt.getTime() / 1000),
    };
  }

  async putEvents(request: { Entries?: unknown }): Promise<PutEventsResult> {
    const entries = request.Entries;
    if (!Array.isArray(entries) || entries.length === 0) {
      throw new EventBusApiError(
        "ValidationException",
        "1 validation error detected: Value null at 'entries' failed to satisfy constraint: Member must not be null",
      );
    }
    if (entries.length > MAX_ENTRIES_PER_PUT) {
      throw new EventBusApiError(
        "ValidationException",
        `1 validation error detected: Value at 'entries' failed to satisfy constraint: Member must have length less than or equal to ${MAX_ENTRIES_PER_PUT}`,
      );
    }
    const total = entries.reduce(
      (sum: number, entry: PutEventsRequestEntry) => sum + looseEntrySize(entry),
      0,
    );
    if (total > MAX_ENTRY_BYTES) {
      throw new EventBusApiError(
        "ValidationException",
        `Total size of the entries in the request is over the limit (${total} > ${MAX_ENTRY_BYTES} bytes).`,
      );
    }
    // An unknown bus fails the whole call, before anything is accepted.
    const busNames = entries.map((entry: PutEventsRequestEntry) =>
      this.resolveBusName(entry?.EventBusName === undefined ? DEFAULT_BUS : entry.EventBusName),
    );

    const results: PutEventsResultEntry[] = [];
    const accepted: Array<{ event: EventEnvelope; routed: boolean }> = [];
    entries.forEach((entry: PutEventsRequestEntry, index) => {
      const built = this.buildEnvelope(entry ?? {});
      if ("ErrorCode" in built) {
        results.push(built);
        return;
      }
      results.push({ EventId: built.id });
      accepted.push({ event: built, routed: busNames[index] === this.name });
    });

    // Archive before answering, so a caller that got an EventId finds its line.
    await this.appendToArchive(accepted.map(({ event }) => event));
    for (const { event, routed } of accepted) {
      const matched: string[] = [];
      if (routed) {
        for (const route of this.options.routes) {
          if (matchesEventPattern(route.definition.pattern, event)) {
            matched.push(route.definition.id);
            route.deliver(event);
          }
        }
      }
      this.options.onEvent?.(event, matched);
    }

    const failed = results.filter((result) => "ErrorCode" in result).length;
    this.counts.accepted += accepted.length;
    this.counts.failed += failed;
    return { FailedEntryCount: failed, Entries: results };
  }

  /** Closes the archive (used on shutdown); a later event opens it again. */
  async flush(): Promise<void> {
    if (this.archiveFd === undefined) return;
    const fd = this.archiveFd;
    this.archiveFd = undefined;
    closeSync(fd);
  }

  private resolveBusName(nameOrArn: unknown): string {
    if (typeof nameOrArn !== "string" || nameOrArn.length === 0) {
      throw new EventBusApiError("ValidationException", "EventBusName must be a non-empty string");
    }
    for (const name of [this.name, DEFAULT_BUS]) {
      if (nameOrArn === name || nameOrArn === busArn(this.options, name)) return name;
    }
    throw new EventBusApiError("ResourceNotFoundException", `Event bus ${nameOrArn} does not exist.`);
  }

  private buildEnvelope(
    entry: PutEventsRequestEntry,
  ): EventEnvelope | { ErrorCode: string; ErrorMessage: string } {
    for (const field of ["Source", "DetailType", "Detail"] as const) {
      const value = entry[field];
      if (typeof value !== "string" || value.length === 0) {
        return {
          ErrorCode: "InvalidArgument",
          ErrorMessage: `Parameter ${field} is not valid. Reason: ${field} is a required argument.`,
        };
      }
    }
    const source = entry.Source as string;
    const detailType = entry.DetailType as string;
    const detailText = entry.Detail as string;
    const resources = entry.Resources ?? [];
    if (!Array.isArray(resources) || !resources.every((r) => typeof r === "string")) {
      return { ErrorCode: "InvalidArgument", ErrorMessage: "Parameter Resources is not valid." };
    }
    if (source.startsWith("aws.")) {
      return {
        ErrorCode: "NotAuthorizedForSourceException",
        ErrorMessage: `Not authorized for the source ${source}.`,
      };
    }
    const size = entrySize(entry, source, detailType, detailText, resources);
    if (size > MAX_ENTRY_BYTES) {
      return {
        ErrorCode: "InvalidArgument",
        ErrorMessage: `Entry size ${size} bytes exceeds the limit of ${MAX_ENTRY_BYTES} bytes.`,
      };
    }
    let detail: unknown;
    try {
      detail = JSON.parse(detailText);
    } catch {
      return { ErrorCode: "MalformedDetail", ErrorMessage: "Detail is malformed." };
    }
    if (typeof detail !== "object" || detail === null || Array.isArray(detail)) {
      return { ErrorCode: "MalformedDetail", ErrorMessage: "Detail is malformed." };
    }
    const time = parseTime(entry.Time) ?? this.now();
    return {
      version: "0",
      id: this.options.newId?.() ?? randomUUID(),
      "detail-type": detailType,
      source,
      account: this.options.account,
      // EventBridge stamps whole seconds.
      time: time.toISOString().replace(/\.\d{3}Z$/, "Z"),
      region: this.options.region,
      resources,
      detail,
    };
  }

  /**
   * Appends the events, one line each, before the call answers. The file stays open and
   * each call is one synchronous write of a few kilobytes: opening, writing and closing it
   * asynchronously for every PutEvents cost more than the write itself, and a synchronous
   * write also keeps the lines in the order the bus accepted them. A failed write fails
   * its own PutEvents call but not the ones after it.
   */
  private async appendToArchive(events: EventEnvelope[]): Promise<void> {
    const path = this.options.archivePath;
    if (!path || events.length === 0) return;
    let lines = "";
    for (const event of events) lines += `${JSON.stringify(event)}\n`;
    if (this.archiveFd === undefined) {
      mkdirSync(dirname(path), { recursive: true });
      this.archiveFd = openSync(path, "a");
    }
    const bytes = Buffer.from(lines, "utf8");
    let written = 0;
    while (written < bytes.length) written += writeSync(this.archiveFd, bytes, written);
  }

  private now(): Date {
    return this.options.now?.() ?? new Date();
  }
}

function busArn(options: { region: string; account: string }, name: string): string {
  return `arn:aws:events:${options.region}:${options.account}:event-bus/${name}`;
}

/** The entry size as EventBridge documents its calculation. */
function entrySize(
  entry: PutEventsRequestEntry,
  source: string,
  detailType: string,
  detail: string,
  resources: string[],
): number {
  let size = entry.Time === undefined || entry.Time === null ? 0 : TIME_FIELD_BYTES;
  size += Buffer.byteLength(source, "utf8");
  size += Buffer.byteLength(detailType, "utf8");
  size += Buffer.byteLength(detail, "utf8");
  for (const resource of resources) size += Buffer.byteLength(resource, "utf8");
  return size;
}

function parseTime(value: unknown): Date | undefined {
  if (typeof value === "number" && Number.isFinite(value)) return new Date(value * 1000);
  if (typeof value === "string") {
    const date = new Date(value);
    if (!Number.isNaN(date.getTime())) return date;
  }
  return undefined;
}

/** The size of an entry that may not be valid yet, for the whole-request limit. */
function looseEntrySize(entry: PutEventsRequestEntry | null | undefined): number {
  if (!entry) return 0;
  const str = (value: unknown): string => (typeof value === "string" ? value : "");
  const resources = Array.isArray(entry.Resources) ? entry.Resources.map(str) : [];
  return entrySize(entry, str(entry.Source), str(entry.DetailType), str(entry.Detail), resources);
}
