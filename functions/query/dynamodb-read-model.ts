// The read routes' access to the single table: every read is a Query on the table's
// keys or one of its indexes (functions/shared/table-schema.ts), newest first where
// dates are involved. Pages that filter (CAMEO root, quad class, confirmation) read at
// most MAX_PAGES_PER_REQUEST DynamoDB pages per answer and hand back a cursor where they
// stopped, so a rare filter costs several short requests rather than one long one.
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import {
  DynamoDBDocumentClient,
  GetCommand,
  QueryCommand,
  type QueryCommandInput,
} from "@aws-sdk/lib-dynamodb";
import { CodedEventSchema } from "../../events/common.js";
import { ClusterItemSchema, createClusterKey } from "../core/aggregates/aggregate-items.js";
import { LatestStanceItemSchema } from "../core/item-layout.js";
import { type CursorKey, decodeCursor, encodeCursor, fingerprintQuery } from "./cursor.js";
import type {
  ClusterRecord,
  EventFilter,
  EventRecord,
  EventSet,
  QueryReader,
  StanceRecord,
} from "./read-model.js";

export interface DynamoDbQueryReaderOptions {
  client: DynamoDBClient | Pick<DynamoDBDocumentClient, "send">;
  tableName: string;
  /** Distinct publishers that make a cluster confirmed (the aggregator's CONFIRMATION_PUBLISHERS). */
  confirmationPublishers?: number;
  /** Most events one answer gathers for a series or a network. */
  maxEventsPerAnswer?: number;
}

export const MAX_PAGES_PER_REQUEST = 10;
export const DEFAULT_CONFIRMATION_PUBLISHERS = 2;
export const DEFAULT_MAX_EVENTS_PER_ANSWER = 5_000;
/** Cluster windows are a few days wide; members are looked for this far after the window's start. */
const CLUSTER_LOOKAHEAD_DAYS = 31;
const MAX_STANCE_HISTORY = 1_000;

interface IndexChoice {
  indexName: string;
  partitionAttribute: string;
  sortAttribute: string;
  partitionValue: string;
}

/** Which index answers a filter: the pair, the actor, the target, or (neither) the date. */
export function chooseEventIndex(filter: Pick<EventFilter, "actor" | "target">): IndexChoice {
  if (filter.actor && filter.target) {
    return {
      indexName: "byDyad",
      partitionAttribute: "gsi3pk",
      sortAttribute: "gsi3sk",
      partitionValue: `DYAD#${filter.actor}#${filter.target}`,
    };
  }
  if (filter.actor) {
    return {
      indexName: "byActor",
      partitionAttribute: "gsi1pk",
      sortAttribute: "gsi1sk",
      partitionValue: `ACTOR#${filter.actor}`,
    };
  }
  if (filter.target) {
    return {
      indexName: "byTarget",
      partitionAttribute: "gsi2pk",
      sortAttribute: "gsi2sk",
      partitionValue: `TARGET#${filter.target}`,
    };
  }
  return {
    indexName: "byDate",
    partitionAttribute: "type",
    sortAttribute: "gsi1sk",
    partitionValue: "Event",
  };
}

/**
 * Index sort keys are `<YYYY-MM-DD>#<eventId>`; '$' sorts just after '#', so `< to$`
 * takes every event of the day `to` and none of the next.
 */
function buildKeyCondition(
  index: IndexChoice,
  range: { from?: string | undefined; to?: string | undefined },
): Pick<
  QueryCommandInput,
  "KeyConditionExpression" | "ExpressionAttributeNames" | "ExpressionAttributeValues"
> {
  const names: Record<string, string> = { "#p": index.partitionAttribute };
  // DynamoDB refuses names an expression does not use, so the sort key is named only with a range.
  if (range.from !== undefined || range.to !== undefined) names["#s"] = index.sortAttribute;
  const values: Record<string, unknown> = { ":p": index.partitionValue };
  let condition = "#p = :p";
  if (range.from !== undefined && range.to !== undefined) {
    condition += " AND #s BETWEEN :from AND :to";
    values[":from"] = range.from;
    values[":to"] = `${range.to}$`;
  } else if (range.from !== undefined) {
    condition += " AND #s >= :from";
    values[":from"] = range.from;
  } else if (range.to !== undefined) {
    condition += " AND #s < :to";
    values[":to"] = `${range.to}$`;
  }
  return {
    KeyConditionExpression: condition,
    ExpressionAttributeNames: names,
    ExpressionAttributeValues: values,
  };
}

function buildFilter(
  filter: Pick<EventFilter, "root" | "quadClass">,
): Pick<QueryCommandInput, "FilterExpression" | "ExpressionAttributeNames" | "ExpressionAttributeValues"> {
  const clauses: string[] = [];
  const names: Record<string, string> = {};
  const values: Record<string, unknown> = {};
  if (filter.root !== undefined || filter.quadClass !== undefined) {
    names["#event"] = "event";
    names["#cameo"] = "cameo";
  }
  if (filter.root !== undefined) {
    names["#root"] = "root";
    values[":root"] = filter.root;
    clauses.push("#event.#cameo.#root = :root");
  }
  if (filter.quadClass !== undefined) {
    values[":quadClass"] = filter.quadClass;
    clauses.push("#event.#cameo.quadClass = :quadClass");
  }
  if (clauses.length === 0) return {};
  return {
    FilterExpression: clauses.join(" AND "),
    ExpressionAttributeNames: names,
    ExpressionAttributeValues: values,
  };
}

function optionalString(value: unknown): string | undefined {
  return typeof value === "string" && value.length > 0 ? value : undefined;
}

export function toEventRecord(item: Record<string, unknown>): EventRecord {
  const event = CodedEventSchema.parse(item.event);
  const publisher = optionalString(item.publisher);
  const publishedAt = optionalString(item.publishedAt);
  const clusterId = optionalString(item.clusterId);
  return {
    articleId: String(item.articleId),
    version: Number(item.version),
    ...(publisher === undefined ? {} : { publisher }),
    ...(publishedAt === undefined ? {} : { publishedAt }),
    ...(clusterId === undefined ? {} : { clusterId }),
    event,
  };
}

function addDays(date: string, days: number): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
}

export function createDynamoDbQueryReader(options: DynamoDbQueryReaderOptions): QueryReader {
  const doc =
    options.client instanceof DynamoDBClient ? DynamoDBDocumentClient.from(options.client) : options.client;
  const table = options.tableName;
  const threshold = options.confirmationPublishers ?? DEFAULT_CONFIRMATION_PUBLISHERS;
  const maxEvents = options.maxEventsPerAnswer ?? DEFAULT_MAX_EVENTS_PER_ANSWER;

  async function queryPage(input: Omit<QueryCommandInput, "TableName">) {
    const page = await doc.send(new QueryCommand({ ...input, TableName: table }));
    return { items: (page.Items ?? []) as Record<string, unknown>[], lastKey: page.LastEvaluatedKey };
  }

  /** Every item of a query, up to `cap`; `truncated` says whether more were left. */
  async function queryUpTo(input: Omit<QueryCommandInput, "TableName">, cap: number) {
    const items: Record<string, unknown>[] = [];
    let start: Record<string, unknown> | undefined;
    do {
      const page = await queryPage({ ...input, ExclusiveStartKey: start });
      items.push(...page.items);
      start = page.lastKey;
    } while (start && items.length < cap);
    return { items: items.slice(0, cap), truncated: items.length > cap || start !== undefined };
  }

  async function readEventRange(
    index: IndexChoice,
    range: { from?: string | undefined; to?: string | undefined },
    extra: Partial<QueryCommandInput> = {},
  ): Promise<EventSet> {
    const keyCondition = buildKeyCondition(index, range);
    const { items, truncated } = await queryUpTo(
      {
        IndexName: index.indexName,
        ScanIndexForward: false,
        ...keyCondition,
        ...extra,
        ExpressionAttributeNames: {
          ...keyCondition.ExpressionAttributeNames,
          ...extra.ExpressionAttributeNames,
        },
        ExpressionAttributeValues: {
          ...keyCondition.ExpressionAttributeValues,
          ...extra.ExpressionAttributeValues,
        },
      },
      maxEvents,
    );
    return { events: items.map(toEventRecord), truncated };
  }

  async function readCluster(clusterId: string): Promise<ClusterRecord | null> {
    const [first, second, cameoRoot, windowStart] = clusterId.split("~") as [string, string, string, string];
    const range = { from: windowStart, to: addDays(windowStart, CLUSTER_LOOKAHEAD_DAYS) };
    const byCluster: Partial<QueryCommandInput> = {
      FilterExpression: "#clusterId = :clusterId",
      ExpressionAttributeNames: { "#clusterId": "clusterId" },
      ExpressionAttributeValues: { ":clusterId": clusterId },
    };
    // Symmetric roots order the pair alphabetically, so members may sit under either direction.
    const indexes =
      second === "-"
        ? [chooseEventIndex({ actor: first })]
        : [
            chooseEventIndex({ actor: first, target: second }),
            chooseEventIndex({ actor: second, target: first }),
          ];
    const [aggregate, ...sets] = await Promise.all([
      doc.send(new GetCommand({ TableName: table, Key: createClusterKey(clusterId) })),
      ...indexes.map((index) => readEventRange(index, range, byCluster)),
    ]);
    const members = (sets as EventSet[]).flatMap((set) => set.events).sort(compareEventsNewestFirst);
    if (members.length === 0) return null;
    // The aggregator's cluster item, when it has seen the cluster, decides confirmation (once
    // confirmed, always confirmed, as EventConfirmed was sent) and knows the exact window.
    const state =
      aggregate && "Item" in aggregate && aggregate.Item
        ? ClusterItemSchema.safeParse(aggregate.Item)
        : undefined;
    if (state?.success) {
      return {
        clusterId,
        first,
        second,
        cameoRoot,
        window: state.data.window,
        confirmed: state.data.confirmed,
        members,
      };
    }
    // Without it (no aggregator running, or not there yet), the same rule on the stored members.
    const dates = members.map((m) => m.event.date).sort();
    const publishers = new Set(members.map((m) => m.publisher ?? `article:${m.articleId}`));
    return {
      clusterId,
      first,
      second,
      cameoRoot,
      window: { start: windowStart, end: dates.at(-1) ?? windowStart },
      confirmed: publishers.size >= threshold,
      members,
    };
  }

  return {
    async listEvents(request) {
      const index = chooseEventIndex(request);
      const fingerprint = fingerprintQuery({
        index: index.indexName,
        partition: index.partitionValue,
        from: request.from,
        to: request.to,
        root: request.root,
        quadClass: request.quadClass,
        confirmed: request.confirmed,
      });
      const keyAttributes = [...new Set(["pk", "sk", index.partitionAttribute, index.sortAttribute])];
      let start: CursorKey | undefined =
        request.cursor === undefined ? undefined : decodeCursor(request.cursor, fingerprint, keyAttributes);
      const keyCondition = buildKeyCondition(index, request);
      const filter = buildFilter(request);
      const filtered = filter.FilterExpression !== undefined || request.confirmed !== undefined;
      const confirmations = new Map<string, boolean>();
      const isConfirmed = async (record: EventRecord) => {
        if (!record.clusterId) return false;
        let known = confirmations.get(record.clusterId);
        if (known === undefined) {
          known = (await readCluster(record.clusterId))?.confirmed ?? false;
          confirmations.set(record.clusterId, known);
        }
        return known;
      };

      const kept: { record: EventRecord; key: CursorKey }[] = [];
      let moreAfterKept = false;
      let resumeKey: CursorKey | undefined;
      for (let pages = 0; ; pages += 1) {
        const page = await queryPage({
          IndexName: index.indexName,
          ScanIndexForward: false,
          // Unfiltered: one item more than asked tells whether another page exists.
          Limit: filtered ? Math.max(100, request.limit + 1) : request.limit + 1,
          ExclusiveStartKey: start,
          KeyConditionExpression: keyCondition.KeyConditionExpression,
          ...(filter.FilterExpression === undefined ? {} : { FilterExpression: filter.FilterExpression }),
          ExpressionAttributeNames: {
            ...keyCondition.ExpressionAttributeNames,
            ...filter.ExpressionAttributeNames,
          },
          ExpressionAttributeValues: {
            ...keyCondition.ExpressionAttributeValues,
            ...filter.ExpressionAttributeValues,
          },
        });
        for (const item of page.items) {
          const record = toEventRecord(item);
          if (request.confirmed !== undefined && (await isConfirmed(record)) !== request.confirmed) continue;
          if (kept.length === request.limit) {
            moreAfterKept = true;
            break;
          }
          const key: CursorKey = {};
          for (const name of keyAttributes) key[name] = String(item[name]);
          kept.push({ record, key });
        }
        if (moreAfterKept || !page.lastKey) break;
        start = page.lastKey as CursorKey;
        if (pages + 1 >= MAX_PAGES_PER_REQUEST) {
          // Stop reading; resume after the last item evaluated, whether it was kept or not.
          resumeKey = start;
          break;
        }
      }
      // A kept item with more after it: resume after it. A page cap: resume where reading stopped.
      const nextKey = moreAfterKept ? kept.at(-1)?.key : resumeKey;
      return {
        events: kept.map((k) => k.record),
        nextCursor: nextKey ? encodeCursor(fingerprint, nextKey) : null,
      };
    },

    listDyadEvents(source, target, range) {
      return readEventRange(chooseEventIndex({ actor: source, target }), range);
    },

    listEventsBetween(from, to) {
      return readEventRange(chooseEventIndex({}), { from, to });
    },

    async findNewestEventDate() {
      const index = chooseEventIndex({});
      const page = await queryPage({
        IndexName: index.indexName,
        ScanIndexForward: false,
        Limit: 1,
        ...buildKeyCondition(index, {}),
      });
      const first = page.items[0];
      return first ? toEventRecord(first).event.date : null;
    },

    async listStanceHistory(holder, target) {
      const { items } = await queryUpTo(
        {
          KeyConditionExpression: "pk = :pk",
          ExpressionAttributeValues: { ":pk": `STANCE#${holder}#${target}` },
        },
        MAX_STANCE_HISTORY,
      );
      return items.map(toStanceRecord);
    },

    async getLatestStance(holder, target) {
      const page = await queryPage({
        KeyConditionExpression: "pk = :pk",
        ExpressionAttributeValues: { ":pk": `STANCE#${holder}#${target}` },
        ScanIndexForward: false,
        Limit: 1,
      });
      const first = page.items[0];
      return first ? toStanceRecord(first) : null;
    },

    getCluster: readCluster,
  };
}

function toStanceRecord(item: Record<string, unknown>): StanceRecord {
  const parsed = LatestStanceItemSchema.parse(item);
  return {
    articleId: parsed.articleId,
    version: parsed.version,
    publishedAt: parsed.publishedAt,
    stance: parsed.stance,
  };
}

/** Event date, then event id, both descending: the order the indexes return. */
export function compareEventsNewestFirst(a: EventRecord, b: EventRecord): number {
  const ka = `${a.event.date}#${a.event.id}`;
  const kb = `${b.event.date}#${b.event.id}`;
  return ka < kb ? 1 : ka > kb ? -1 : 0;
}
