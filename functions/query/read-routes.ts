// The read routes beside GET /articles/{id}. Each validates its path and query parameters
// with Zod (a 400 names the parameter), asks the QueryReader, and shapes the answer that
// docs/openapi.yaml describes.
import type { APIGatewayProxyEvent, APIGatewayProxyResult } from "aws-lambda";
import type * as z from "zod/mini";
import { type ErrorIssue, respondError, respondJson } from "../shared/http.js";
import { InvalidCursorError } from "./cursor.js";
import {
  ActorParamsSchema,
  ClusterIdSchema,
  DyadListParamsSchema,
  DyadParamsSchema,
  EntityParamSchema,
  EventsParamsSchema,
} from "./query-params.js";
import type { EventRecord, QueryReader, StanceRecord } from "./read-model.js";
import { buildDailySeries, summarizeNetwork, windowEndingOn } from "./summarize-events.js";

/** The network's default period: the 30 days ending on the newest event's date. */
export const NETWORK_WINDOW_DAYS = 30;
/** Recent events an actor page reads to find the counterparts whose stances it looks up. */
const ACTOR_COUNTERPART_EVENTS = 100;
const MAX_COUNTERPARTS = 25;

type RouteAnswer = Promise<APIGatewayProxyResult>;

export class InvalidParameterError extends Error {
  readonly issues: ErrorIssue[];
  constructor(issues: ErrorIssue[], options?: { cause?: unknown }) {
    super(`invalid parameters: ${issues.map((i) => i.path).join(", ")}`, options);
    this.name = "InvalidParameterError";
    this.issues = issues;
  }
}

/** Zod issues as `{ path: <parameter>, message }`; an unknown parameter is named too. */
function toParameterIssues(issues: readonly z.core.$ZodIssue[]): ErrorIssue[] {
  return issues.flatMap((issue) =>
    issue.code === "unrecognized_keys"
      ? issue.keys.map((key) => ({ path: key, message: "is not a parameter of this route" }))
      : [{ path: issue.path.map(String).join("."), message: issue.message }],
  );
}

function parseWith<S extends z.ZodMiniType>(schema: S, input: unknown, pathPrefix = ""): z.output<S> {
  const parsed = schema.safeParse(input);
  if (parsed.success) return parsed.data;
  const issues = toParameterIssues(parsed.error.issues).map((issue) => ({
    ...issue,
    path: pathPrefix ? (issue.path ? `${pathPrefix}.${issue.path}` : pathPrefix) : issue.path,
  }));
  throw new InvalidParameterError(issues, { cause: parsed.error });
}

/** API Gateway may pass path parameters still percent-encoded; a malformed escape stays as it is (and fails validation). */
function readPathParameter(event: APIGatewayProxyEvent, name: string): string {
  const raw = event.pathParameters?.[name] ?? "";
  try {
    return decodeURIComponent(raw);
  } catch {
    return raw;
  }
}

function readEntity(event: APIGatewayProxyEvent, name: string): string {
  const parsed = EntityParamSchema.safeParse(readPathParameter(event, name));
  if (parsed.success) return parsed.data;
  throw new InvalidParameterError(toParameterIssues(parsed.error.issues).map((i) => ({ ...i, path: name })));
}

function readQuery(event: APIGatewayProxyEvent): Record<string, string> {
  const query: Record<string, string> = {};
  const repeated: ErrorIssue[] = [];
  for (const [name, values] of Object.entries(event.multiValueQueryStringParameters ?? {})) {
    if ((values?.length ?? 0) > 1) repeated.push({ path: name, message: "must be given once" });
  }
  if (repeated.length > 0) throw new InvalidParameterError(repeated);
  for (const [name, value] of Object.entries(event.queryStringParameters ?? {})) {
    if (value !== undefined) query[name] = value;
  }
  return query;
}

export function createReadRoutes(reader: QueryReader) {
  async function answerEvents(event: APIGatewayProxyEvent): RouteAnswer {
    const params = parseWith(EventsParamsSchema, readQuery(event));
    try {
      const page = await reader.listEvents(params);
      return respondJson(200, page);
    } catch (error) {
      if (error instanceof InvalidCursorError) {
        throw new InvalidParameterError([{ path: "cursor", message: error.message }], { cause: error });
      }
      throw error;
    }
  }

  async function answerDyadList(event: APIGatewayProxyEvent): RouteAnswer {
    const params = parseWith(DyadListParamsSchema, readQuery(event));
    // With `from` alone, the window runs 30 days from it; with neither, it ends on the newest
    // event (not today: a store of last year's articles still shows its network).
    let to = params.to;
    if (to === undefined) {
      to =
        params.from !== undefined
          ? windowFrom(params.from)
          : ((await reader.findNewestEventDate()) ?? undefined);
    }
    if (to === undefined) {
      return respondJson(200, {
        from: null,
        to: null,
        eventCount: 0,
        truncated: false,
        actors: [],
        dyads: [],
      });
    }
    const from = params.from ?? windowEndingOn(to, NETWORK_WINDOW_DAYS).from;
    const { events, truncated } = await reader.listEventsBetween(from, to);
    const network = summarizeNetwork(events);
    return respondJson(200, { from, to, eventCount: events.length, truncated, ...network });
  }

  async function answerDyad(event: APIGatewayProxyEvent): RouteAnswer {
    const a = readEntity(event, "a");
    const b = readEntity(event, "b");
    const params = parseWith(DyadParamsSchema, readQuery(event));
    const range = {
      ...(params.from === undefined ? {} : { from: params.from }),
      ...(params.to === undefined ? {} : { to: params.to }),
    };
    const directions =
      a === b
        ? [[a, b] as const]
        : ([
            [a, b],
            [b, a],
          ] as const);
    const answers = await Promise.all(
      directions.map(async ([source, target]) => {
        const [set, history] = await Promise.all([
          reader.listDyadEvents(source, target, range),
          reader.listStanceHistory(source, target),
        ]);
        return {
          set,
          direction: {
            source,
            target,
            eventCount: set.events.length,
            series: buildDailySeries(set.events),
            stance: { current: history.at(-1) ?? null, history },
          },
        };
      }),
    );
    const timeline = answers.flatMap((answer) => answer.set.events).sort(compareNewestFirst);
    return respondJson(200, {
      a,
      b,
      from: params.from ?? null,
      to: params.to ?? null,
      events: timeline.slice(0, params.limit),
      moreEvents: timeline.length > params.limit,
      truncated: answers.some((answer) => answer.set.truncated),
      directions: answers.map((answer) => answer.direction),
    });
  }

  async function answerActor(event: APIGatewayProxyEvent): RouteAnswer {
    const entity = readEntity(event, "entity");
    const params = parseWith(ActorParamsSchema, readQuery(event));
    const [asSource, asTarget, sourceWindow, targetWindow] = await Promise.all([
      reader.listEvents({ actor: entity, limit: params.limit }),
      reader.listEvents({ target: entity, limit: params.limit }),
      reader.listEvents({ actor: entity, limit: ACTOR_COUNTERPART_EVENTS }),
      reader.listEvents({ target: entity, limit: ACTOR_COUNTERPART_EVENTS }),
    ]);
    const counterparts = rankCounterparts(entity, [...sourceWindow.events, ...targetWindow.events]).slice(
      0,
      MAX_COUNTERPARTS,
    );
    const [held, received] = await Promise.all([
      Promise.all(counterparts.map((other) => reader.getLatestStance(entity, other))),
      Promise.all(counterparts.map((other) => reader.getLatestStance(other, entity))),
    ]);
    const present = (records: (StanceRecord | null)[]) =>
      records.filter((r): r is StanceRecord => r !== null);
    return respondJson(200, {
      entity,
      asSource,
      asTarget,
      counterparts,
      stancesHeld: present(held),
      stancesReceived: present(received),
    });
  }

  async function answerCluster(event: APIGatewayProxyEvent): RouteAnswer {
    const parsed = ClusterIdSchema.safeParse(readPathParameter(event, "id"));
    if (!parsed.success) {
      throw new InvalidParameterError(
        toParameterIssues(parsed.error.issues).map((i) => ({ ...i, path: "id" })),
      );
    }
    const cluster = await reader.getCluster(parsed.data);
    if (!cluster) {
      return respondError(404, "NotFound", `no stored event belongs to cluster ${parsed.data}`, [
        { path: "id", message: "no cluster with this id" },
      ]);
    }
    const articles = new Map<
      string,
      { articleId: string; version: number; publisher?: string; publishedAt?: string }
    >();
    for (const member of cluster.members) {
      articles.set(member.articleId, {
        articleId: member.articleId,
        version: member.version,
        ...(member.publisher === undefined ? {} : { publisher: member.publisher }),
        ...(member.publishedAt === undefined ? {} : { publishedAt: member.publishedAt }),
      });
    }
    const publishers = [
      ...new Set(cluster.members.flatMap((m) => (m.publisher ? [m.publisher] : []))),
    ].sort();
    return respondJson(200, {
      ...cluster,
      publishers,
      articles: [...articles.values()].sort((x, y) => (x.articleId < y.articleId ? -1 : 1)),
    });
  }

  return { answerEvents, answerDyadList, answerDyad, answerActor, answerCluster };
}

function windowFrom(from: string): string {
  return new Date(Date.parse(`${from}T00:00:00Z`) + (NETWORK_WINDOW_DAYS - 1) * 86_400_000)
    .toISOString()
    .slice(0, 10);
}

function compareNewestFirst(a: EventRecord, b: EventRecord): number {
  const ka = `${a.event.date}#${a.event.id}#${a.articleId}`;
  const kb = `${b.event.date}#${b.event.id}#${b.articleId}`;
  return ka < kb ? 1 : ka > kb ? -1 : 0;
}

/** The other actors of an entity's events, most frequent first. */
function rankCounterparts(entity: string, events: readonly EventRecord[]): string[] {
  const counts = new Map<string, number>();
  for (const { event } of events) {
    for (const other of [event.source.entity, event.target?.entity]) {
      if (other && other !== entity) counts.set(other, (counts.get(other) ?? 0) + 1);
    }
  }
  return [...counts.entries()].sort((x, y) => y[1] - x[1] || (x[0] < y[0] ? -1 : 1)).map(([other]) => other);
}
