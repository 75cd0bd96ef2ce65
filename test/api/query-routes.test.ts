// The read routes against DynamoDB Local: every route and parameter, valid and invalid,
// empty answers and paging to the end; every answer is also checked against
// docs/openapi.yaml, so the document cannot drift from what the API says.
import type { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import type { APIGatewayProxyEvent, APIGatewayProxyResult } from "aws-lambda";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createDynamoDbArticleStore } from "../../functions/adapters/dynamodb-article-store.js";
import { computeClusterId } from "../../functions/core/aggregates/cluster-key.js";
import { createQueryHandler, type QueryHandler } from "../../functions/query/create-query-handler.js";
import { createDynamoDbQueryReader } from "../../functions/query/dynamodb-read-model.js";
import { createTestObservability } from "../fakes/observability.js";
import { createTestClient, createTestTable } from "../integration/create-table.js";
import { createResponseValidator } from "./openapi-document.js";
import {
  ALL_FIXTURE_EVENTS,
  BULK_EVENTS,
  type EventSpec,
  FIXTURE_ARTICLES,
  type FixtureEvent,
  newestFirst,
  storeArticles,
} from "./query-fixtures.js";

let client: DynamoDBClient;
let handler: QueryHandler;
let emptyHandler: QueryHandler;
const openApi = createResponseValidator();

function buildRequest(
  resource: string,
  pathParameters: Record<string, string> = {},
  query: Record<string, string | string[]> = {},
  method = "GET",
): APIGatewayProxyEvent {
  const single: Record<string, string> = {};
  const multi: Record<string, string[]> = {};
  for (const [name, value] of Object.entries(query)) {
    const values = Array.isArray(value) ? value : [value];
    single[name] = values.at(-1)!;
    multi[name] = values;
  }
  const hasQuery = Object.keys(single).length > 0;
  let path = resource;
  for (const [name, value] of Object.entries(pathParameters)) path = path.replace(`{${name}}`, value);
  return {
    resource,
    path,
    httpMethod: method,
    headers: {},
    multiValueHeaders: {},
    queryStringParameters: hasQuery ? single : null,
    multiValueQueryStringParameters: hasQuery ? multi : null,
    pathParameters: Object.keys(pathParameters).length > 0 ? pathParameters : null,
    stageVariables: null,
    requestContext: {} as APIGatewayProxyEvent["requestContext"],
    body: null,
    isBase64Encoded: false,
  };
}

interface Answer {
  status: number;
  // biome-ignore lint/suspicious/noExplicitAny: answers are checked against docs/openapi.yaml, then read freely
  body: any;
}

/** Calls the handler and checks the answer against the OpenAPI document. */
async function call(
  resource: string,
  pathParameters: Record<string, string> = {},
  query: Record<string, string | string[]> = {},
  target: QueryHandler = handler,
): Promise<Answer> {
  const result: APIGatewayProxyResult = await target(buildRequest(resource, pathParameters, query));
  const body = JSON.parse(result.body);
  const check = openApi.validate(resource, "get", result.statusCode, body);
  expect(check.errors, `${resource} ${result.statusCode} against docs/openapi.yaml`).toBe("");
  return { status: result.statusCode, body };
}

function expectInvalid(answer: Answer, parameter: string): void {
  expect(answer.status).toBe(400);
  expect(answer.body.error.code).toBe("InvalidParameter");
  expect(answer.body.error.issues.map((i: { path: string }) => i.path)).toContain(parameter);
  expect(answer.body.error.message).toContain(parameter);
}

const ids = (answer: Answer) => answer.body.events.map((e: { event: { id: string } }) => e.event.id);
const expectedIds = (events: readonly EventSpec[]) => newestFirst(events).map((e) => e.id);

/** Follows nextCursor to the end, returning every event id in order and the pages seen. */
async function pageToEnd(query: Record<string, string>): Promise<{ ids: string[]; pages: number }> {
  const seen: string[] = [];
  let cursor: string | null = null;
  let pages = 0;
  do {
    const answer = await call("/events", {}, cursor ? { ...query, cursor } : query);
    expect(answer.status).toBe(200);
    seen.push(...ids(answer));
    cursor = answer.body.nextCursor;
    pages += 1;
    expect(pages).toBeLessThan(100);
  } while (cursor);
  return { ids: seen, pages };
}

beforeAll(async () => {
  client = createTestClient();
  const { tableName } = await createTestTable(client, "attache-query");
  const store = createDynamoDbArticleStore({ client, tableName });
  await storeArticles(store, FIXTURE_ARTICLES);
  const { logger, metrics } = createTestObservability();
  handler = createQueryHandler({
    store,
    reader: createDynamoDbQueryReader({ client, tableName }),
    logger,
    metrics,
  });
  const empty = await createTestTable(client, "attache-query-empty");
  emptyHandler = createQueryHandler({
    store: createDynamoDbArticleStore({ client, tableName: empty.tableName }),
    reader: createDynamoDbQueryReader({ client, tableName: empty.tableName }),
    logger,
    metrics,
  });
});

afterAll(() => client?.destroy());

describe("GET /events", () => {
  it("answers an actor's events as source, newest first", async () => {
    const answer = await call("/events", {}, { actor: "CHN", limit: "100" });
    expect(answer.status).toBe(200);
    expect(ids(answer)).toEqual(expectedIds(ALL_FIXTURE_EVENTS.filter((e) => e.source === "CHN")));
    expect(answer.body.nextCursor).toBeNull();
    const first = answer.body.events[0];
    expect(first).toMatchObject({ articleId: "wire-c-001", version: 1, publisher: "wire-c" });
    expect(first.clusterId).toBe(computeClusterId(first.event));
  });

  it("answers a target's events, and a pair's with actor and target", async () => {
    const asTarget = await call("/events", {}, { target: "CHN" });
    expect(ids(asTarget)).toEqual(expectedIds(ALL_FIXTURE_EVENTS.filter((e) => e.target === "CHN")));
    const pair = await call("/events", {}, { actor: "CHN", target: "RUS" });
    expect(ids(pair)).toEqual(
      expectedIds(ALL_FIXTURE_EVENTS.filter((e) => e.source === "CHN" && e.target === "RUS")),
    );
  });

  it("answers every event, newest first, with neither actor nor target (the byDate index)", async () => {
    const { ids: all, pages } = await pageToEnd({ limit: "100" });
    expect(all).toEqual(expectedIds(ALL_FIXTURE_EVENTS));
    expect(pages).toBe(1);
  });

  it("accepts actor codes in any case", async () => {
    const answer = await call("/events", {}, { actor: "chn", target: "rus" });
    expect(answer.body.events.length).toBeGreaterThan(0);
  });

  it("bounds dates inclusively with from and to", async () => {
    const answer = await call("/events", {}, { from: "2025-03-02", to: "2025-03-05", limit: "100" });
    expect(ids(answer)).toEqual(
      expectedIds(ALL_FIXTURE_EVENTS.filter((e) => e.date >= "2025-03-02" && e.date <= "2025-03-05")),
    );
    const fromOnly = await call("/events", {}, { actor: "USA", from: "2025-02-15", limit: "100" });
    expect(ids(fromOnly)).toEqual(expectedIds(BULK_EVENTS.filter((e) => e.date >= "2025-02-15")));
    const toOnly = await call("/events", {}, { actor: "USA", to: "2025-02-03", limit: "100" });
    expect(ids(toOnly)).toEqual(expectedIds(BULK_EVENTS.filter((e) => e.date <= "2025-02-03")));
  });

  it("filters by CAMEO root and quad class", async () => {
    const root = await call("/events", {}, { actor: "USA", root: "17", limit: "100" });
    expect(ids(root)).toEqual(expectedIds(BULK_EVENTS.filter((e) => e.code.startsWith("17"))));
    const quad = await call("/events", {}, { quadClass: "3", limit: "100" });
    expect(ids(quad)).toEqual(expectedIds(ALL_FIXTURE_EVENTS.filter((e) => e.quadClass === 3)));
  });

  it("filters by confirmation: a cluster reported by two publishers is confirmed", async () => {
    const visit = ALL_FIXTURE_EVENTS.find((e) => e.id === "a1-visit")!;
    const clusterOf = (e: FixtureEvent) =>
      computeClusterId({
        source: { entity: e.source },
        target: e.target ? { entity: e.target } : null,
        cameo: {
          code: e.code,
          root: e.code.slice(0, 2),
          name: "",
          goldstein: e.goldstein,
          quadClass: e.quadClass,
        },
        date: e.date,
      });
    const publishersByCluster = new Map<string, Set<string>>();
    for (const e of ALL_FIXTURE_EVENTS) {
      const id = clusterOf(e);
      publishersByCluster.set(id, (publishersByCluster.get(id) ?? new Set()).add(e.publisher));
    }
    const isConfirmed = (e: FixtureEvent) => (publishersByCluster.get(clusterOf(e))?.size ?? 0) >= 2;
    expect(isConfirmed(visit)).toBe(true);

    const confirmed = await call("/events", {}, { target: "CHN", confirmed: "true" });
    expect(ids(confirmed)).toEqual(
      expectedIds(ALL_FIXTURE_EVENTS.filter((e) => e.target === "CHN" && isConfirmed(e))),
    );
    const unconfirmed = await call("/events", {}, { actor: "CHN", confirmed: "false", limit: "100" });
    expect(ids(unconfirmed)).toEqual(
      expectedIds(ALL_FIXTURE_EVENTS.filter((e) => e.source === "CHN" && !isConfirmed(e))),
    );
  });

  it("pages to the end with cursors, without gaps or repeats", async () => {
    const { ids: paged, pages } = await pageToEnd({ actor: "USA", limit: "7" });
    expect(paged).toEqual(expectedIds(BULK_EVENTS));
    expect(pages).toBe(Math.ceil(BULK_EVENTS.length / 7));
  });

  it("pages to the end with a filter and a date range", async () => {
    const query = { actor: "USA", root: "13", from: "2025-02-05", limit: "4" };
    const { ids: paged } = await pageToEnd(query);
    expect(paged).toEqual(
      expectedIds(BULK_EVENTS.filter((e) => e.code.startsWith("13") && e.date >= "2025-02-05")),
    );
  });

  it("ends with a null cursor when the last page is exactly full", async () => {
    const answer = await call("/events", {}, { actor: "USA", limit: "30" });
    expect(answer.body.events).toHaveLength(30);
    expect(answer.body.nextCursor).toBeNull();
  });

  it("answers an empty page for an actor with no events, and on an empty table", async () => {
    const none = await call("/events", {}, { actor: "ZZZ" });
    expect(none.body).toEqual({ events: [], nextCursor: null });
    const empty = await call("/events", {}, {}, emptyHandler);
    expect(empty.body).toEqual({ events: [], nextCursor: null });
  });

  it("refuses a cursor made for other parameters, or one it did not issue", async () => {
    const first = await call("/events", {}, { actor: "USA", limit: "5" });
    const cursor = first.body.nextCursor as string;
    expectInvalid(await call("/events", {}, { actor: "CHN", limit: "5", cursor }), "cursor");
    expectInvalid(await call("/events", {}, { actor: "USA", root: "17", cursor }), "cursor");
    expectInvalid(await call("/events", {}, { actor: "USA", cursor: "not-a-cursor" }), "cursor");
    const forged = Buffer.from(JSON.stringify({ v: 1, q: "x", k: { pk: "a" } })).toString("base64url");
    expectInvalid(await call("/events", {}, { actor: "USA", cursor: forged }), "cursor");
    // The same cursor with a different page size is fine: the size is not part of the query.
    const next = await call("/events", {}, { actor: "USA", limit: "3", cursor });
    expect(next.status).toBe(200);
    expect(ids(next)).toEqual(expectedIds(BULK_EVENTS).slice(5, 8));
  });

  it.each([
    ["actor", { actor: "C!" }],
    ["target", { target: "x" }],
    ["from", { from: "2025-13-01" }],
    ["to", { to: "yesterday" }],
    ["from", { from: "2025-03-02", to: "2025-03-01" }],
    ["root", { root: "21" }],
    ["root", { root: "4" }],
    ["quadClass", { quadClass: "5" }],
    ["confirmed", { confirmed: "yes" }],
    ["limit", { limit: "0" }],
    ["limit", { limit: "101" }],
    ["limit", { limit: "ten" }],
    ["cursor", { cursor: "" }],
    ["sort", { sort: "asc" }],
    ["actor", { actor: ["CHN", "RUS"] }],
  ] as const)("answers 400 naming %s for %j", async (parameter, query) => {
    expectInvalid(await call("/events", {}, query as Record<string, string | string[]>), parameter);
  });
});

describe("GET /dyads (the network)", () => {
  it("defaults to the 30 days ending on the newest event", async () => {
    const answer = await call("/dyads");
    expect(answer.status).toBe(200);
    expect(answer.body).toMatchObject({ from: "2025-02-08", to: "2025-03-09", truncated: false });
    const inWindow = ALL_FIXTURE_EVENTS.filter((e) => e.date >= "2025-02-08" && e.date <= "2025-03-09");
    expect(answer.body.eventCount).toBe(inWindow.length);
    const chnRus = answer.body.dyads.find(
      (d: { source: string; target: string }) => d.source === "CHN" && d.target === "RUS",
    );
    const chnRusEvents = inWindow.filter((e) => e.source === "CHN" && e.target === "RUS");
    expect(chnRus).toEqual({
      source: "CHN",
      target: "RUS",
      eventCount: chnRusEvents.length,
      goldsteinTotal: 6.9,
      goldsteinMean: Math.round((6.9 / chnRusEvents.length) * 100) / 100,
    });
    // Events without a target count for their actor but make no edge.
    expect(answer.body.dyads.every((d: { target: string }) => d.target !== null)).toBe(true);
    expect(answer.body.actors[0]).toEqual({ entity: "USA", eventCount: expect.any(Number) });
  });

  it("takes an explicit period, and a period starting on `from`", async () => {
    const march = await call("/dyads", {}, { from: "2025-03-01", to: "2025-03-02" });
    expect(march.body.eventCount).toBe(
      ALL_FIXTURE_EVENTS.filter((e) => e.date >= "2025-03-01" && e.date <= "2025-03-02").length,
    );
    const fromOnly = await call("/dyads", {}, { from: "2025-02-20" });
    expect(fromOnly.body).toMatchObject({ from: "2025-02-20", to: "2025-03-21" });
  });

  it("answers an empty network for a quiet period and an empty table", async () => {
    const quiet = await call("/dyads", {}, { from: "2024-01-01", to: "2024-01-31" });
    expect(quiet.body).toMatchObject({ eventCount: 0, actors: [], dyads: [] });
    const empty = await call("/dyads", {}, {}, emptyHandler);
    expect(empty.body).toEqual({
      from: null,
      to: null,
      eventCount: 0,
      truncated: false,
      actors: [],
      dyads: [],
    });
  });

  it.each([
    ["from", { from: "03/01/2025" }],
    ["from", { from: "2025-03-02", to: "2025-03-01" }],
    ["limit", { limit: "5" }],
  ] as const)("answers 400 naming %s for %j", async (parameter, query) => {
    expectInvalid(await call("/dyads", {}, query), parameter);
  });
});

describe("GET /dyads/{a}/{b}", () => {
  it("answers the timeline, the daily series both ways and the stance each way with its history", async () => {
    const answer = await call("/dyads/{a}/{b}", { a: "CHN", b: "RUS" });
    expect(answer.status).toBe(200);
    const pair = ALL_FIXTURE_EVENTS.filter(
      (e) => (e.source === "CHN" && e.target === "RUS") || (e.source === "RUS" && e.target === "CHN"),
    );
    expect(ids(answer)).toEqual(expectedIds(pair));
    expect(answer.body.moreEvents).toBe(false);
    const [forward, backward] = answer.body.directions;
    expect(forward).toMatchObject({ source: "CHN", target: "RUS", eventCount: 3 });
    expect(forward.series).toEqual([
      { date: "2025-03-01", eventCount: 1, goldsteinTotal: 1.9, goldsteinMean: 1.9 },
      { date: "2025-03-02", eventCount: 1, goldsteinTotal: 1, goldsteinMean: 1 },
      { date: "2025-03-09", eventCount: 1, goldsteinTotal: 4, goldsteinMean: 4 },
    ]);
    expect(backward.series).toEqual([
      { date: "2025-03-01", eventCount: 1, goldsteinTotal: 2.8, goldsteinMean: 2.8 },
      { date: "2025-03-02", eventCount: 1, goldsteinTotal: 3.4, goldsteinMean: 3.4 },
    ]);
    expect(forward.stance.history.map((s: { stance: { polarity: string } }) => s.stance.polarity)).toEqual([
      "support",
      "neutral",
    ]);
    expect(forward.stance.current).toMatchObject({
      articleId: "wire-c-001",
      stance: { polarity: "neutral" },
    });
    expect(forward.stance.current.stance.evidence[0].text).toBe("CHN said it would neutral RUS.");
    expect(backward.stance).toEqual({ current: null, history: [] });
  });

  it("limits the timeline and bounds it by date", async () => {
    const limited = await call("/dyads/{a}/{b}", { a: "USA", b: "IRN" }, { limit: "5" });
    expect(ids(limited)).toEqual(expectedIds(BULK_EVENTS).slice(0, 5));
    expect(limited.body.moreEvents).toBe(true);
    expect(limited.body.directions[0].eventCount).toBe(30);
    const ranged = await call(
      "/dyads/{a}/{b}",
      { a: "usa", b: "irn" },
      { from: "2025-02-19", to: "2025-02-20" },
    );
    expect(ids(ranged)).toEqual(
      expectedIds(BULK_EVENTS.filter((e) => e.date >= "2025-02-19" && e.date <= "2025-02-20")),
    );
    expect(ranged.body).toMatchObject({ a: "USA", b: "IRN", from: "2025-02-19", to: "2025-02-20" });
  });

  it("answers an empty dyad, and one direction when a = b", async () => {
    const empty = await call("/dyads/{a}/{b}", { a: "FRA", b: "DEU" });
    expect(empty.body.events).toEqual([]);
    expect(empty.body.directions.map((d: { series: unknown[] }) => d.series)).toEqual([[], []]);
    const self = await call("/dyads/{a}/{b}", { a: "CHN", b: "CHN" });
    expect(self.body.directions).toHaveLength(1);
  });

  it.each([
    ["a", { a: "C#N", b: "RUS" }, {}],
    ["b", { a: "CHN", b: "" }, {}],
    ["limit", { a: "CHN", b: "RUS" }, { limit: "201" }],
    ["from", { a: "CHN", b: "RUS" }, { from: "2025-03-10", to: "2025-03-01" }],
    ["cursor", { a: "CHN", b: "RUS" }, { cursor: "abc" }],
  ] as const)("answers 400 naming %s", async (parameter, path, query) => {
    expectInvalid(await call("/dyads/{a}/{b}", path, query), parameter);
  });
});

describe("GET /actors/{entity}", () => {
  it("answers recent events as source and target and the current stances held and received", async () => {
    const answer = await call("/actors/{entity}", { entity: "CHN" }, { limit: "2" });
    expect(answer.status).toBe(200);
    expect(ids({ status: 200, body: answer.body.asSource })).toEqual(
      expectedIds(ALL_FIXTURE_EVENTS.filter((e) => e.source === "CHN")).slice(0, 2),
    );
    expect(answer.body.asSource.nextCursor).toEqual(expect.any(String));
    expect(ids({ status: 200, body: answer.body.asTarget })).toEqual(
      expectedIds(ALL_FIXTURE_EVENTS.filter((e) => e.target === "CHN")).slice(0, 2),
    );
    expect(answer.body.counterparts).toEqual(["RUS", "USA"]);
    const held = answer.body.stancesHeld.map(
      (s: { stance: { target: { entity: string }; polarity: string } }) => [
        s.stance.target.entity,
        s.stance.polarity,
      ],
    );
    expect(held).toEqual([
      ["RUS", "neutral"],
      ["USA", "oppose"],
    ]);
    expect(
      answer.body.stancesReceived.map(
        (s: { stance: { holder: { entity: string } } }) => s.stance.holder.entity,
      ),
    ).toEqual(["USA"]);
  });

  it("issues cursors that page on through GET /events", async () => {
    const answer = await call("/actors/{entity}", { entity: "USA" }, { limit: "10" });
    const rest = await call(
      "/events",
      {},
      { actor: "USA", limit: "100", cursor: answer.body.asSource.nextCursor },
    );
    expect([...ids({ status: 200, body: answer.body.asSource }), ...ids(rest)]).toEqual(
      expectedIds(ALL_FIXTURE_EVENTS.filter((e) => e.source === "USA")),
    );
  });

  it("answers an actor nobody mentions with empty lists", async () => {
    const answer = await call("/actors/{entity}", { entity: "ATA" });
    expect(answer.body).toEqual({
      entity: "ATA",
      asSource: { events: [], nextCursor: null },
      asTarget: { events: [], nextCursor: null },
      counterparts: [],
      stancesHeld: [],
      stancesReceived: [],
    });
  });

  it.each([
    ["entity", { entity: "%E0%A4%A" }, {}],
    ["entity", { entity: "a" }, {}],
    ["limit", { entity: "CHN" }, { limit: "-1" }],
    ["from", { entity: "CHN" }, { from: "2025-01-01" }],
  ] as const)("answers 400 naming %s", async (parameter, path, query) => {
    expectInvalid(await call("/actors/{entity}", path, query), parameter);
  });
});

describe("GET /clusters/{id}", () => {
  it("answers a cluster with its member events, articles and publishers", async () => {
    const chnRusVisit = await call("/events", {}, { actor: "CHN", target: "RUS", to: "2025-03-01" });
    const clusterId = chnRusVisit.body.events[0].clusterId as string;
    const answer = await call("/clusters/{id}", { id: clusterId });
    expect(answer.status).toBe(200);
    const members = ALL_FIXTURE_EVENTS.filter(
      (e) =>
        computeClusterId({
          source: { entity: e.source },
          target: e.target ? { entity: e.target } : null,
          cameo: {
            code: e.code,
            root: e.code.slice(0, 2),
            name: "",
            goldstein: e.goldstein,
            quadClass: e.quadClass,
          },
          date: e.date,
        }) === clusterId,
    );
    expect(members.length).toBeGreaterThanOrEqual(2);
    expect(answer.body).toMatchObject({
      clusterId,
      first: "CHN",
      second: "RUS",
      cameoRoot: "04",
      confirmed: true,
    });
    expect(ids({ status: 200, body: { events: answer.body.members } })).toEqual(expectedIds(members));
    expect(answer.body.publishers).toEqual([...new Set(members.map((m) => m.publisher))].sort());
    expect(answer.body.articles.map((a: { articleId: string }) => a.articleId)).toEqual(
      [...new Set(members.map((m) => m.articleId))].sort(),
    );
  });

  it("answers an unconfirmed cluster, and one of events without a target", async () => {
    const accuse = await call("/events", {}, { actor: "CHN", target: "USA" });
    const single = await call("/clusters/{id}", { id: accuse.body.events[0].clusterId });
    expect(single.body).toMatchObject({ confirmed: false, publishers: ["wire-a"] });
    const statement = await call("/events", {}, { actor: "CHN", root: "01" });
    const noTarget = await call("/clusters/{id}", { id: statement.body.events[0].clusterId });
    expect(noTarget.body).toMatchObject({
      second: "-",
      members: [expect.objectContaining({ articleId: "wire-a-001" })],
    });
  });

  it("answers 404 for a cluster no stored event belongs to", async () => {
    const answer = await call("/clusters/{id}", { id: "FRA~DEU~04~2025-03-01" });
    expect(answer.status).toBe(404);
    expect(answer.body.error.issues[0].path).toBe("id");
  });

  it.each([["CHN-RUS-04"], ["CHN~RUS~4~2025-03-01"], ["chn~rus~04~2025-03-01"]])(
    "answers 400 naming the id for %j",
    async (id) => {
      expectInvalid(await call("/clusters/{id}", { id }), "id");
    },
  );
});

describe("GET /articles/{id} and the handler", () => {
  it("still answers the coded article", async () => {
    const answer = await call("/articles/{id}", { id: "wire-c-001" });
    expect(answer.status).toBe(200);
    expect(answer.body.article).toMatchObject({ id: "wire-c-001", source: "wire-c" });
    expect(answer.body.events.map((e: { id: string }) => e.id)).toEqual(["c1-appeal"]);
    expect((await call("/articles/{id}", { id: "nope" })).status).toBe(404);
    expect((await call("/articles/{id}", { id: "a/b" })).status).toBe(400);
  });

  it("refuses other methods", async () => {
    const result = await handler(buildRequest("/events", {}, {}, "POST"));
    expect(result.statusCode).toBe(405);
  });

  it("has checked every documented query route and status the tests produce", () => {
    for (const route of ["/events", "/dyads", "/dyads/{a}/{b}", "/actors/{entity}", "/clusters/{id}"]) {
      expect([...openApi.checked].some((entry) => entry.startsWith(`GET ${route} 200`))).toBe(true);
    }
  });
});
