// The local API front door: the APIGatewayProxyEvent the handlers receive,
// how their results are written back, and the answers API Gateway itself
// would give (502 when a handler throws, 413 over the payload limit).
import type { APIGatewayProxyEvent, APIGatewayProxyResult } from "aws-lambda";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { LocalEventBus } from "../../../local/event-bus.js";
import { LocalHttpServer, PortInUseError } from "../../../local/http-server.js";
import { createLambdaContext } from "../../../local/lambda-context.js";

const received: APIGatewayProxyEvent[] = [];
let server: LocalHttpServer;
let url: string;

// Records what it is given and answers with a result chosen by the request path.
async function recordingHandler(event: APIGatewayProxyEvent): Promise<APIGatewayProxyResult> {
  received.push(event);
  if (event.pathParameters?.id === "explode") throw new Error("boom");
  return {
    statusCode: 207,
    headers: { "content-type": "application/json", "x-single": "one" },
    multiValueHeaders: { "x-multi": ["a", "b"] },
    body: JSON.stringify({ seen: event.pathParameters ?? null }),
  };
}

beforeAll(async () => {
  server = new LocalHttpServer({
    port: 0,
    bus: new LocalEventBus({ name: "b", region: "us-east-1", account: "0", routes: [] }),
    account: "000000000000",
    maxBodyBytes: 1024,
    health: () => ({ ready: true, body: { status: "ok" } }),
    createContext: (name) =>
      createLambdaContext({ functionName: name, region: "us-east-1", account: "0", timeoutMs: 1000 }),
    onHandlerError: () => undefined,
  });
  server.setApiHandlers({ ingest: recordingHandler, query: recordingHandler });
  url = (await server.listen()).url;
});

afterAll(async () => {
  await server.close();
});

describe("LocalHttpServer", () => {
  it("hands POST /articles to ingest as API Gateway's REST API would", async () => {
    received.length = 0;
    const res = await fetch(`${url}/articles?dryRun=1&tag=a&tag=b`, {
      method: "POST",
      headers: { "Content-Type": "application/json", "X-Custom": "v" },
      body: '{"id":"a"}',
    });
    expect(res.status).toBe(207);
    const event = received[0]!;
    expect(event).toMatchObject({
      resource: "/articles",
      path: "/articles",
      httpMethod: "POST",
      body: '{"id":"a"}',
      isBase64Encoded: false,
      pathParameters: null,
      queryStringParameters: { dryRun: "1", tag: "b" },
      multiValueQueryStringParameters: { dryRun: ["1"], tag: ["a", "b"] },
      requestContext: {
        accountId: "000000000000",
        stage: "local",
        resourcePath: "/articles",
        httpMethod: "POST",
      },
    });
    // The client's header spelling is kept, as API Gateway keeps it.
    expect(event.headers["Content-Type"]).toBe("application/json");
    expect(event.headers["X-Custom"]).toBe("v");
    expect(event.multiValueHeaders["X-Custom"]).toEqual(["v"]);
  });

  it("hands GET /articles/{id} to query with the id decoded, and writes headers back", async () => {
    received.length = 0;
    const res = await fetch(`${url}/articles/seed%2F001%20x`);
    expect(res.status).toBe(207);
    expect(received[0]).toMatchObject({
      resource: "/articles/{id}",
      pathParameters: { id: "seed/001 x" },
      body: null,
      queryStringParameters: null,
    });
    expect(res.headers.get("x-single")).toBe("one");
    expect(res.headers.get("x-multi")).toBe("a, b");
    expect(await res.json()).toEqual({ seen: { id: "seed/001 x" } });
  });

  it("answers 502 when a handler throws, as API Gateway does", async () => {
    const res = await fetch(`${url}/articles/explode`);
    expect(res.status).toBe(502);
    expect(await res.json()).toEqual({ message: "Internal server error" });
  });

  it("refuses a body over the payload limit before calling the handler", async () => {
    received.length = 0;
    const res = await fetch(`${url}/articles`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: "x".repeat(2048),
    });
    expect(res.status).toBe(413);
    expect(received).toHaveLength(0);
  });

  it("answers /health with the stack's body", async () => {
    const res = await fetch(`${url}/health`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ status: "ok" });
  });

  it("names the port and the way out when the port is taken", async () => {
    const second = new LocalHttpServer({
      port: Number(new URL(url).port),
      bus: new LocalEventBus({ name: "b", region: "us-east-1", account: "0", routes: [] }),
      account: "0",
      health: () => ({ ready: false, body: {} }),
      createContext: (name) =>
        createLambdaContext({ functionName: name, region: "us-east-1", account: "0", timeoutMs: 1 }),
    });
    const attempt = second.listen();
    await expect(attempt).rejects.toBeInstanceOf(PortInUseError);
    await expect(attempt).rejects.toThrow(/is in use: .*PORT or --port/);
  });
});
