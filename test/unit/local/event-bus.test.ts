import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  DescribeEventBusCommand,
  EventBridgeClient,
  PutEventsCommand,
  ResourceNotFoundException,
} from "@aws-sdk/client-eventbridge";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { articlePublishedRoute, conflictEventsRoute } from "../../../events/routing.js";
import { EventBusApiError, type EventEnvelope, LocalEventBus } from "../../../local/event-bus.js";
import { LocalHttpServer } from "../../../local/http-server.js";
import { createLambdaContext } from "../../../local/lambda-context.js";
import { summarizeEvent } from "../../../local/summarize-event.js";

const account = "000000000000";
const region = "us-east-1";

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), "attache-bus-"));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

function createBus(overrides: { archivePath?: string } = {}) {
  const delivered: Record<string, EventEnvelope[]> = { coder: [], conflicts: [] };
  const seen: Array<{ event: EventEnvelope; matched: string[] }> = [];
  let counter = 0;
  const bus = new LocalEventBus({
    name: "attache-test",
    region,
    account,
    archivePath: overrides.archivePath ?? join(dir, "archive.jsonl"),
    routes: [
      { definition: articlePublishedRoute, deliver: (event) => delivered.coder!.push(event) },
      { definition: conflictEventsRoute, deliver: (event) => delivered.conflicts!.push(event) },
    ],
    onEvent: (event, matched) => seen.push({ event, matched }),
    now: () => new Date("2024-05-01T10:20:30.456Z"),
    newId: () => `id-${++counter}`,
  });
  return { bus, delivered, seen };
}

const article = {
  id: "seed-001",
  title: "China says it will play a constructive role",
  body: "Text.",
  publishedAt: "2024-05-01T08:00:00Z",
  url: "https://example.org/a",
  source: "Example Wire",
};

const publishedEntry = {
  Source: "attache.articles",
  DetailType: "ArticlePublished",
  Detail: JSON.stringify(article),
  EventBusName: "attache-test",
};

const conflictEntry = (quadClass: number) => ({
  Source: "attache.coder",
  DetailType: "DiplomaticEventCoded",
  EventBusName: "attache-test",
  Detail: JSON.stringify({
    articleId: "seed-001",
    version: 1,
    event: {
      id: "e1",
      source: { entity: "CHN", role: "GOV" },
      target: { entity: "RUS" },
      cameo: { code: "042", root: "04", name: "Make a visit", goldstein: 1.9, quadClass },
    },
  }),
});

describe("LocalEventBus.putEvents", () => {
  it("builds the full envelope and answers an EventId per entry", async () => {
    const { bus, delivered } = createBus();
    const result = await bus.putEvents({ Entries: [publishedEntry] });
    expect(result).toEqual({ FailedEntryCount: 0, Entries: [{ EventId: "id-1" }] });
    expect(delivered.coder).toEqual([
      {
        version: "0",
        id: "id-1",
        "detail-type": "ArticlePublished",
        source: "attache.articles",
        account,
        time: "2024-05-01T10:20:30Z",
        region,
        resources: [],
        detail: article,
      },
    ]);
  });

  it("uses the entry's Time (epoch seconds on the wire) and Resources", async () => {
    const { bus, delivered } = createBus();
    await bus.putEvents({
      Entries: [{ ...publishedEntry, Time: 1_700_000_000, Resources: ["arn:aws:x:::thing"] }],
    });
    expect(delivered.coder![0]!.time).toBe("2023-11-14T22:13:20Z");
    expect(delivered.coder![0]!.resources).toEqual(["arn:aws:x:::thing"]);
  });

  it("routes by the shared patterns: conflict events to the subscriber, others nowhere", async () => {
    const { bus, delivered, seen } = createBus();
    await bus.putEvents({ Entries: [conflictEntry(1), conflictEntry(4), publishedEntry] });
    expect(delivered.conflicts!.map((e) => e.id)).toEqual(["id-2"]);
    expect(delivered.coder!.map((e) => e.id)).toEqual(["id-3"]);
    expect(seen.map((s) => s.matched)).toEqual([
      [],
      ["ConflictEventsToSubscriber"],
      ["ArticlePublishedToCoder"],
    ]);
  });

  it("fails only the bad entries, with EventBridge's error codes, and counts them", async () => {
    const { bus, delivered } = createBus();
    const result = await bus.putEvents({
      Entries: [
        { ...publishedEntry, Source: undefined },
        { ...publishedEntry, DetailType: "" },
        { ...publishedEntry, Detail: "{not json" },
        { ...publishedEntry, Detail: "[1,2]" },
        publishedEntry,
        { ...publishedEntry, Source: "aws.ec2" },
      ],
    });
    expect(result.FailedEntryCount).toBe(5);
    expect(result.Entries.map((e) => ("ErrorCode" in e ? e.ErrorCode : "ok"))).toEqual([
      "InvalidArgument",
      "InvalidArgument",
      "MalformedDetail",
      "MalformedDetail",
      "ok",
      "NotAuthorizedForSourceException",
    ]);
    expect(result.Entries[0]).toMatchObject({ ErrorMessage: expect.stringContaining("Source") });
    expect(delivered.coder).toHaveLength(1);
    expect(bus.stats()).toEqual({ accepted: 1, failed: 5 });
  });

  it("refuses more than 10 entries and an empty list as a whole", async () => {
    const { bus } = createBus();
    const eleven = Array.from({ length: 11 }, () => publishedEntry);
    await expect(bus.putEvents({ Entries: eleven })).rejects.toMatchObject({ code: "ValidationException" });
    await expect(bus.putEvents({ Entries: [] })).rejects.toBeInstanceOf(EventBusApiError);
    const ten = await bus.putEvents({ Entries: eleven.slice(0, 10) });
    expect(ten.FailedEntryCount).toBe(0);
  });

  it("refuses an entry over 1 MB and a request over 1 MB in total", async () => {
    const { bus } = createBus();
    const big = JSON.stringify({ ...article, body: "x".repeat(1024 * 1024) });
    await expect(bus.putEvents({ Entries: [{ ...publishedEntry, Detail: big }] })).rejects.toMatchObject({
      code: "ValidationException",
    });
    const half = JSON.stringify({ ...article, body: "x".repeat(600 * 1024) });
    await expect(
      bus.putEvents({
        Entries: [
          { ...publishedEntry, Detail: half },
          { ...publishedEntry, Detail: half },
        ],
      }),
    ).rejects.toMatchObject({ code: "ValidationException" });
    const fits = await bus.putEvents({ Entries: [{ ...publishedEntry, Detail: half }] });
    expect(fits.FailedEntryCount).toBe(0);
  });

  it("answers ResourceNotFoundException for an unknown bus and accepts our bus by ARN", async () => {
    const { bus, delivered } = createBus();
    await expect(
      bus.putEvents({ Entries: [{ ...publishedEntry, EventBusName: "nope" }] }),
    ).rejects.toMatchObject({ code: "ResourceNotFoundException" });
    await bus.putEvents({
      Entries: [
        { ...publishedEntry, EventBusName: `arn:aws:events:${region}:${account}:event-bus/attache-test` },
      ],
    });
    expect(delivered.coder).toHaveLength(1);
  });

  it("archives the default bus's events but routes nothing from it, as our rules sit on our bus", async () => {
    const { bus, delivered } = createBus();
    const result = await bus.putEvents({ Entries: [{ ...publishedEntry, EventBusName: undefined }] });
    expect(result.FailedEntryCount).toBe(0);
    expect(delivered.coder).toHaveLength(0);
    const lines = (await readFile(join(dir, "archive.jsonl"), "utf8")).trim().split("\n");
    expect(lines).toHaveLength(1);
  });

  it("appends every accepted event to the archive as one envelope a line, in order", async () => {
    const { bus } = createBus();
    await bus.putEvents({
      Entries: [publishedEntry, { ...publishedEntry, Detail: "oops" }, conflictEntry(3)],
    });
    await bus.putEvents({ Entries: [conflictEntry(1)] });
    const lines = (await readFile(join(dir, "archive.jsonl"), "utf8")).trim().split("\n");
    const archived = lines.map((line) => JSON.parse(line) as EventEnvelope);
    expect(archived.map((e) => [e.id, e["detail-type"]])).toEqual([
      ["id-1", "ArticlePublished"],
      ["id-2", "DiplomaticEventCoded"],
      ["id-3", "DiplomaticEventCoded"],
    ]);
    expect(Object.keys(archived[0]!).sort()).toEqual(
      ["account", "detail", "detail-type", "id", "region", "resources", "source", "time", "version"].sort(),
    );
  });

  it("describes our bus and refuses an unknown one", () => {
    const { bus } = createBus();
    expect(bus.describeEventBus({ Name: "attache-test" })).toMatchObject({
      Name: "attache-test",
      Arn: `arn:aws:events:${region}:${account}:event-bus/attache-test`,
    });
    expect(() => bus.describeEventBus({ Name: "other" })).toThrow(EventBusApiError);
  });
});

describe("summarizeEvent", () => {
  it("prints actors, CAMEO code and name, article and routes on one line", async () => {
    const { bus, seen } = createBus();
    await bus.putEvents({ Entries: [conflictEntry(3)] });
    const line = summarizeEvent(seen[0]!.event, seen[0]!.matched);
    expect(line).toMatch(/^DiplomaticEventCoded\s+CHN GOV → RUS {2}042 Make a visit {2}\(seed-001\)/);
    expect(line).toContain("→ ConflictEventsToSubscriber");
    expect(line.split("\n")).toHaveLength(1);
  });

  it("survives details it does not know", () => {
    const line = summarizeEvent({
      version: "0",
      id: "x",
      "detail-type": "StanceRecorded",
      source: "attache.coder",
      account,
      time: "2024-01-01T00:00:00Z",
      region,
      resources: [],
      detail: { stance: null },
    });
    expect(line).toMatch(/^StanceRecorded\s+— → — {2}\? {2}\(\?\)$/);
  });
});

describe("the EventBridge wire protocol, through the real AWS SDK client", () => {
  let server: LocalHttpServer;
  let client: EventBridgeClient;
  let archivePath: string;
  let baseUrl: string;
  let delivered: Record<string, EventEnvelope[]>;
  let wireDir: string;

  beforeAll(async () => {
    wireDir = await mkdtemp(join(tmpdir(), "attache-wire-"));
    archivePath = join(wireDir, "archive.jsonl");
    const created = createBus({ archivePath });
    delivered = created.delivered;
    server = new LocalHttpServer({
      port: 0,
      bus: created.bus,
      account,
      health: () => ({ ready: false, body: { status: "starting" } }),
      createContext: (name) => createLambdaContext({ functionName: name, region, account, timeoutMs: 1000 }),
    });
    const { url } = await server.listen();
    baseUrl = url;
    client = new EventBridgeClient({
      region,
      endpoint: url,
      credentials: { accessKeyId: "local", secretAccessKey: "local" },
      maxAttempts: 1,
    });
  });
  afterAll(async () => {
    client.destroy();
    await server.close();
    await rm(wireDir, { recursive: true, force: true });
  });

  it("PutEvents answers per-entry results the SDK parses", async () => {
    const answer = await client.send(
      new PutEventsCommand({
        Entries: [
          { ...publishedEntry, Time: new Date("2024-02-03T04:05:06Z") },
          { ...publishedEntry, Detail: "not json" },
        ],
      }),
    );
    expect(answer.FailedEntryCount).toBe(1);
    expect(answer.Entries?.[0]?.EventId).toEqual(expect.any(String));
    expect(answer.Entries?.[1]).toMatchObject({ ErrorCode: "MalformedDetail" });
    const routed = delivered.coder!.find((e) => e.id === answer.Entries?.[0]?.EventId);
    expect(routed?.time).toBe("2024-02-03T04:05:06Z");
    expect(await readFile(archivePath, "utf8")).toContain(answer.Entries![0]!.EventId!);
  });

  it("an unknown bus is a ResourceNotFoundException in the SDK", async () => {
    await expect(
      client.send(new PutEventsCommand({ Entries: [{ ...publishedEntry, EventBusName: "missing" }] })),
    ).rejects.toBeInstanceOf(ResourceNotFoundException);
    await expect(client.send(new DescribeEventBusCommand({ Name: "missing" }))).rejects.toBeInstanceOf(
      ResourceNotFoundException,
    );
  });

  it("DescribeEventBus answers the bus", async () => {
    const answer = await client.send(new DescribeEventBusCommand({ Name: "attache-test" }));
    expect(answer.Name).toBe("attache-test");
    expect(answer.Arn).toBe(`arn:aws:events:${region}:${account}:event-bus/attache-test`);
  });

  it("more than 10 entries is a ValidationException in the SDK", async () => {
    await expect(
      client.send(new PutEventsCommand({ Entries: Array.from({ length: 11 }, () => publishedEntry) })),
    ).rejects.toMatchObject({ name: "ValidationException" });
  });

  it("the API answers 503 while the stack is starting, and 404 off its routes", async () => {
    const health = await fetch(`${baseUrl}/health`);
    expect(health.status).toBe(503);
    const post = await fetch(`${baseUrl}/articles`, { method: "POST", body: JSON.stringify(article) });
    expect(post.status).toBe(503);
    expect(await post.json()).toMatchObject({ error: { code: "Starting" } });
    const other = await fetch(`${baseUrl}/nowhere`);
    expect(other.status).toBe(404);
    const wrongMethod = await fetch(`${baseUrl}/articles`, { method: "DELETE" });
    expect(wrongMethod.status).toBe(405);
  });
});
