// The local HTTP front door on 127.0.0.1: the API (as API Gateway's REST API
// would call the handlers, with an APIGatewayProxyEvent), `/health`, and the
// EventBridge endpoint (any POST carrying `X-Amz-Target: AWSEvents.*`), so one
// port serves users and the handlers' EventBridge client alike. It also serves the
// dashboard's static assets at `/` and, at `GET /stream`, every event that crosses the
// local bus as server-sent events (the dashboard's live feed).
import { randomUUID } from "node:crypto";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import type { APIGatewayProxyEvent, APIGatewayProxyResult, Context } from "aws-lambda";
import type { EventEnvelope, LocalEventBus } from "./event-bus.js";
import { handleEventBridgeRequest, isEventBridgeRequest } from "./eventbridge-api.js";

export type ApiHandler = (event: APIGatewayProxyEvent, context: Context) => Promise<APIGatewayProxyResult>;

export interface ApiHandlers {
  ingest: ApiHandler;
  query: ApiHandler;
}

export interface LocalHttpServerOptions {
  /** 0 picks a free port. */
  port: number;
  bus: LocalEventBus;
  /** `/health` answers 200 with this body once ready, 503 before. */
  health(): { ready: boolean; body: Record<string, unknown> };
  createContext(functionName: "ingest" | "query"): Context;
  /** API Gateway's payload limit (10 MB). */
  maxBodyBytes?: number;
  account: string;
  /** Logs a handler that threw (API Gateway would answer 502). */
  onHandlerError?(error: unknown): void;
  /** Operator actions on the dead-letter queues: `GET /admin/dlq` and `POST /admin/dlq/redrive`. */
  deadLetters?: {
    list(): Record<string, unknown>;
    redrive(): Record<string, unknown>;
  };
  /** Seconds between keep-alive comments on `/stream`, so idle proxies keep it open. Default 15. */
  streamHeartbeatSeconds?: number;
}

/** A file the server answers with, by path (`/`, `/dashboard.js`, ...). */
export interface StaticAsset {
  contentType: string;
  body: Buffer | string;
}

/** The query handler's resources (API Gateway's names) and the paths that reach them. */
const QUERY_ROUTES: readonly { pattern: RegExp; resource: string; parameters: readonly string[] }[] = [
  { pattern: /^\/articles\/([^/]+)\/?$/, resource: "/articles/{id}", parameters: ["id"] },
  { pattern: /^\/events\/?$/, resource: "/events", parameters: [] },
  { pattern: /^\/dyads\/?$/, resource: "/dyads", parameters: [] },
  { pattern: /^\/dyads\/([^/]+)\/([^/]+)\/?$/, resource: "/dyads/{a}/{b}", parameters: ["a", "b"] },
  { pattern: /^\/actors\/([^/]+)\/?$/, resource: "/actors/{entity}", parameters: ["entity"] },
  { pattern: /^\/clusters\/([^/]+)\/?$/, resource: "/clusters/{id}", parameters: ["id"] },
];

const HOST = "127.0.0.1";
const API_GATEWAY_MAX_BODY = 10 * 1024 * 1024;

export class PortInUseError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = "PortInUseError";
  }
}

class PayloadTooLargeError extends Error {
  constructor(limit: number) {
    super(`request body exceeds ${limit} bytes`);
    this.name = "PayloadTooLargeError";
  }
}

export class LocalHttpServer {
  private server: Server | undefined;
  private handlers: ApiHandlers | undefined;
  private readonly options: LocalHttpServerOptions;
  private assets = new Map<string, StaticAsset>();
  private readonly streamClients = new Set<ServerResponse>();
  private heartbeat: NodeJS.Timeout | undefined;

  constructor(options: LocalHttpServerOptions) {
    this.options = options;
  }

  /** The files served outside the API (the dashboard), by path. */
  setStaticAssets(assets: ReadonlyMap<string, StaticAsset>): void {
    this.assets = new Map(assets);
  }

  /** Sends one bus event to every `/stream` client, as `event: <detail-type>`. */
  broadcastEvent(event: EventEnvelope): void {
    if (this.streamClients.size === 0) return;
    const frame = `id: ${event.id}\nevent: ${event["detail-type"]}\ndata: ${JSON.stringify(event)}\n\n`;
    for (const client of this.streamClients) client.write(frame);
  }

  private openStream(req: IncomingMessage, res: ServerResponse): void {
    res.writeHead(200, {
      "content-type": "text/event-stream; charset=utf-8",
      "cache-control": "no-cache",
      connection: "keep-alive",
    });
    // The comment flushes the headers, so the client's EventSource opens at once.
    res.write(": connected\n\n");
    this.streamClients.add(res);
    this.heartbeat ??= setInterval(
      () => {
        for (const client of this.streamClients) client.write(": keep-alive\n\n");
      },
      (this.options.streamHeartbeatSeconds ?? 15) * 1_000,
    );
    this.heartbeat.unref();
    req.on("close", () => {
      this.streamClients.delete(res);
      if (this.streamClients.size === 0 && this.heartbeat) {
        clearInterval(this.heartbeat);
        this.heartbeat = undefined;
      }
    });
  }

  /** The API answers 503 until the handlers are wired in. */
  setApiHandlers(handlers: ApiHandlers): void {
    this.handlers = handlers;
  }

  async listen(): Promise<{ url: string; port: number }> {
    const server = createServer((req, res) => {
      this.route(req, res).catch((error: unknown) => {
        this.options.onHandlerError?.(error);
        if (!res.headersSent) send(res, 500, { error: { code: "InternalError", message: String(error) } });
        else res.end();
      });
    });
    this.server = server;
    await new Promise<void>((resolve, reject) => {
      server.once("error", (error: NodeJS.ErrnoException) => {
        if (error.code !== "EADDRINUSE") return reject(error);
        reject(
          new PortInUseError(
            `port ${this.options.port} on ${HOST} is in use: stop what holds it, or choose another with PORT or --port`,
            { cause: error },
          ),
        );
      });
      server.listen(this.options.port, HOST, () => resolve());
    });
    const { port } = server.address() as AddressInfo;
    return { url: `http://${HOST}:${port}`, port };
  }

  async close(): Promise<void> {
    const server = this.server;
    if (!server) return;
    this.server = undefined;
    if (this.heartbeat) clearInterval(this.heartbeat);
    this.heartbeat = undefined;
    for (const client of this.streamClients) client.end();
    this.streamClients.clear();
    await new Promise<void>((resolve) => {
      server.close(() => resolve());
      // Keep-alive sockets would otherwise hold the close open.
      server.closeAllConnections();
    });
  }

  private async route(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? "/", `http://${HOST}`);
    const method = req.method ?? "GET";

    if (method === "POST" && isEventBridgeRequest(req.headers)) {
      const body = await readBody(req, this.options.maxBodyBytes ?? API_GATEWAY_MAX_BODY);
      const answer = await handleEventBridgeRequest(
        this.options.bus,
        String(req.headers["x-amz-target"]),
        body,
      );
      res.writeHead(answer.statusCode, answer.headers).end(answer.body);
      return;
    }

    if (url.pathname === "/health") {
      if (method !== "GET") return sendError(res, 405, "MethodNotAllowed", "use GET /health");
      const { ready, body } = this.options.health();
      return send(res, ready ? 200 : 503, body);
    }

    if (url.pathname === "/admin/dlq" || url.pathname === "/admin/dlq/redrive") {
      const deadLetters = this.options.deadLetters;
      if (!deadLetters) return sendError(res, 404, "NotFound", `no route for ${method} ${url.pathname}`);
      if (url.pathname === "/admin/dlq") {
        if (method !== "GET") return sendError(res, 405, "MethodNotAllowed", "use GET /admin/dlq");
        return send(res, 200, deadLetters.list());
      }
      if (method !== "POST") return sendError(res, 405, "MethodNotAllowed", "use POST /admin/dlq/redrive");
      // A JSON content type makes a browser ask first (CORS preflight, which this server
      // never allows), so no web page can trigger a redrive behind the user's back.
      if (!String(req.headers["content-type"] ?? "").startsWith("application/json")) {
        return sendError(res, 415, "UnsupportedMediaType", "send Content-Type: application/json");
      }
      await readBody(req, 1024).catch(() => "");
      return send(res, 200, deadLetters.redrive());
    }

    if (url.pathname === "/stream") {
      if (method !== "GET") return sendError(res, 405, "MethodNotAllowed", "use GET /stream");
      return this.openStream(req, res);
    }

    const asset = this.assets.get(url.pathname);
    if (asset && (method === "GET" || method === "HEAD")) {
      res.writeHead(200, { "content-type": asset.contentType, "cache-control": "no-cache" });
      res.end(method === "HEAD" ? undefined : asset.body);
      return;
    }

    let resource: string;
    let handlerName: "ingest" | "query";
    let pathParameters: Record<string, string> | null = null;
    const queryRoute = QUERY_ROUTES.map((route) => ({ route, match: route.pattern.exec(url.pathname) })).find(
      (candidate) => candidate.match !== null,
    );
    if (url.pathname === "/articles" || url.pathname === "/articles/") {
      if (method !== "POST") return sendError(res, 405, "MethodNotAllowed", "use POST /articles");
      resource = "/articles";
      handlerName = "ingest";
    } else if (queryRoute?.match) {
      const { route, match } = queryRoute;
      if (method !== "GET") return sendError(res, 405, "MethodNotAllowed", `use GET ${route.resource}`);
      resource = route.resource;
      handlerName = "query";
      if (route.parameters.length > 0) {
        pathParameters = {};
        for (const [index, name] of route.parameters.entries()) {
          try {
            pathParameters[name] = decodeURIComponent(match[index + 1]!);
          } catch {
            return sendError(res, 400, "BadRequest", `the ${name} in the path is not valid percent-encoding`);
          }
        }
      }
    } else {
      return sendError(res, 404, "NotFound", `no route for ${method} ${url.pathname}`);
    }

    const handlers = this.handlers;
    if (!handlers || !this.options.health().ready) {
      return sendError(
        res,
        503,
        "Starting",
        "the local stack is still starting; retry when GET /health answers 200",
      );
    }
    let body: string;
    try {
      body = await readBody(req, this.options.maxBodyBytes ?? API_GATEWAY_MAX_BODY);
    } catch (error) {
      if (error instanceof PayloadTooLargeError) return sendError(res, 413, "PayloadTooLarge", error.message);
      throw error;
    }
    const event = toApiGatewayEvent(req, url, {
      resource,
      pathParameters,
      body,
      account: this.options.account,
    });
    let result: APIGatewayProxyResult;
    try {
      result = await handlers[handlerName](event, this.options.createContext(handlerName));
    } catch (error) {
      // What API Gateway answers when a proxy integration's function fails.
      this.options.onHandlerError?.(error);
      return send(res, 502, { message: "Internal server error" });
    }
    writeProxyResult(res, result);
  }
}

function send(res: ServerResponse, statusCode: number, payload: unknown): void {
  res
    .writeHead(statusCode, { "content-type": "application/json", "x-content-type-options": "nosniff" })
    .end(JSON.stringify(payload));
}

function sendError(res: ServerResponse, statusCode: number, code: string, message: string): void {
  send(res, statusCode, { error: { code, message, issues: [] } });
}

async function readBody(req: IncomingMessage, limit: number): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > limit) {
      req.resume();
      throw new PayloadTooLargeError(limit);
    }
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString("utf8");
}

/** Builds the event API Gateway's REST API sends a Lambda proxy integration. */
export function toApiGatewayEvent(
  req: IncomingMessage,
  url: URL,
  route: { resource: string; pathParameters: Record<string, string> | null; body: string; account: string },
): APIGatewayProxyEvent {
  const headers: Record<string, string> = {};
  const multiValueHeaders: Record<string, string[]> = {};
  // rawHeaders keeps the client's spelling, as API Gateway does.
  for (let i = 0; i + 1 < req.rawHeaders.length; i += 2) {
    const name = req.rawHeaders[i]!;
    const value = req.rawHeaders[i + 1]!;
    headers[name] = value;
    multiValueHeaders[name] = [...(multiValueHeaders[name] ?? []), value];
  }
  const query: Record<string, string> = {};
  const multiQuery: Record<string, string[]> = {};
  for (const [key, value] of url.searchParams) {
    query[key] = value;
    multiQuery[key] = [...(multiQuery[key] ?? []), value];
  }
  const hasQuery = Object.keys(query).length > 0;
  const now = Date.now();
  const method = req.method ?? "GET";
  return {
    resource: route.resource,
    path: url.pathname,
    httpMethod: method,
    headers,
    multiValueHeaders,
    queryStringParameters: hasQuery ? query : null,
    multiValueQueryStringParameters: hasQuery ? multiQuery : null,
    pathParameters: route.pathParameters,
    stageVariables: null,
    requestContext: {
      accountId: route.account,
      apiId: "local",
      authorizer: undefined,
      protocol: `HTTP/${req.httpVersion}`,
      httpMethod: method,
      identity: {
        accessKey: null,
        accountId: null,
        apiKey: null,
        apiKeyId: null,
        caller: null,
        clientCert: null,
        cognitoAuthenticationProvider: null,
        cognitoAuthenticationType: null,
        cognitoIdentityId: null,
        cognitoIdentityPoolId: null,
        principalOrgId: null,
        sourceIp: req.socket.remoteAddress ?? "127.0.0.1",
        user: null,
        userAgent: req.headers["user-agent"] ?? null,
        userArn: null,
      },
      path: `/local${url.pathname}`,
      stage: "local",
      requestId: randomUUID(),
      requestTimeEpoch: now,
      resourceId: "local",
      resourcePath: route.resource,
    },
    body: route.body.length > 0 ? route.body : null,
    isBase64Encoded: false,
  };
}

function writeProxyResult(res: ServerResponse, result: APIGatewayProxyResult): void {
  const headers: Record<string, string | string[]> = {};
  for (const [name, value] of Object.entries(result.headers ?? {})) headers[name] = String(value);
  for (const [name, values] of Object.entries(result.multiValueHeaders ?? {})) {
    headers[name] = values.map(String);
  }
  const body = result.isBase64Encoded ? Buffer.from(result.body ?? "", "base64") : (result.body ?? "");
  res.writeHead(result.statusCode, headers).end(body);
}
