// An HTTP proxy in front of a real DynamoDB Local that answers a chosen share of calls
// with the faults DynamoDB produces, in DynamoDB's own wire format (HTTP status and
// `__type`), so the AWS SDK's deserialisers, retry strategy and retry quota see exactly
// what they would see from AWS. Faults that refuse a call never reach the engine; a
// "lost response" reaches it and then the client is told it failed, which is the
// ambiguous case idempotent writes must survive.
import { randomUUID } from "node:crypto";
import {
  Agent,
  createServer,
  type IncomingMessage,
  request,
  type Server,
  type ServerResponse,
} from "node:http";
import type { AddressInfo } from "node:net";

export type FaultKind =
  /** 400 ProvisionedThroughputExceededException (table or index capacity). */
  | "provisioned-throughput-exceeded"
  /** 400 ThrottlingException (request rate, control plane, streams). */
  | "throttling"
  /** 400 TransactionCanceledException with a ThrottlingError reason per item (transactions only). */
  | "transaction-throttled"
  /** 500 InternalServerError before the engine sees the call. */
  | "internal-error"
  /** The engine applies the call, then the client gets 500 InternalServerError instead of the answer. */
  | "lost-response";

export interface FaultRule {
  kind: FaultKind;
  /** Share of matching calls given this fault, 0–1. */
  share: number;
  /** Operation names (`GetItem`, `TransactWriteItems`, `GetRecords`…); all when absent. */
  operations?: readonly string[];
}

export interface FaultInjectingProxyOptions {
  /** DynamoDB Local's endpoint, e.g. http://127.0.0.1:8000. */
  target: string;
  faults: readonly FaultRule[];
  /** Injected so a test can make the choice reproducible. */
  random?: () => number;
}

export interface FaultStats {
  calls: number;
  forwarded: number;
  injected: Record<FaultKind, number>;
  /** Calls per operation name, injected or not. */
  byOperation: Record<string, number>;
}

const DYNAMODB_ERROR_PREFIX = "com.amazonaws.dynamodb.v20120810#";

/** DynamoDB's operation name from `X-Amz-Target: DynamoDB_20120810.GetItem` (or the Streams API's). */
export function readOperation(target: string | string[] | undefined): string {
  const value = Array.isArray(target) ? target[0] : target;
  return value?.split(".").at(-1) ?? "";
}

function countItems(operation: string, body: string): number {
  if (operation !== "TransactWriteItems" && operation !== "TransactGetItems") return 1;
  try {
    return Math.max(1, (JSON.parse(body) as { TransactItems?: unknown[] }).TransactItems?.length ?? 1);
  } catch {
    return 1;
  }
}

/** The status and body DynamoDB answers for each fault. */
export function describeFault(kind: FaultKind, operation: string, body: string) {
  switch (kind) {
    case "provisioned-throughput-exceeded":
      return {
        status: 400,
        type: `${DYNAMODB_ERROR_PREFIX}ProvisionedThroughputExceededException`,
        payload: {
          message:
            "The level of configured provisioned throughput for the table was exceeded. Consider increasing your provisioning level with the UpdateTable API.",
        },
      };
    case "throttling":
      return {
        status: 400,
        type: "com.amazon.coral.availability#ThrottlingException",
        payload: { message: "Rate of requests exceeds the allowed throughput." },
      };
    case "transaction-throttled": {
      const reasons = Array.from({ length: countItems(operation, body) }, () => ({
        Code: "ThrottlingError",
        Message: "Throughput exceeds the current capacity for one or more global secondary indexes.",
      }));
      return {
        status: 400,
        type: `${DYNAMODB_ERROR_PREFIX}TransactionCanceledException`,
        payload: {
          message: `Transaction cancelled, please refer cancellation reasons for specific reasons [${reasons.map((r) => r.Code).join(", ")}]`,
          CancellationReasons: reasons,
        },
      };
    }
    case "internal-error":
    case "lost-response":
      return {
        status: 500,
        type: `${DYNAMODB_ERROR_PREFIX}InternalServerError`,
        payload: { message: "Internal server error" },
      };
  }
}

export class FaultInjectingProxy {
  private server: Server | undefined;
  private readonly agent = new Agent({ keepAlive: true, maxSockets: 64 });
  private readonly target: URL;
  private readonly random: () => number;
  faults: readonly FaultRule[];
  readonly stats: FaultStats = {
    calls: 0,
    forwarded: 0,
    injected: {
      "provisioned-throughput-exceeded": 0,
      throttling: 0,
      "transaction-throttled": 0,
      "internal-error": 0,
      "lost-response": 0,
    },
    byOperation: {},
  };
  url = "";

  constructor(options: FaultInjectingProxyOptions) {
    this.target = new URL(options.target);
    this.faults = options.faults;
    this.random = options.random ?? Math.random;
  }

  /** Listens on 127.0.0.1 on a free port; `url` is then the endpoint to give the SDK. */
  async start(): Promise<string> {
    const server = createServer((req, res) => {
      this.handle(req, res).catch((error: unknown) => {
        if (!res.headersSent) res.writeHead(502, { "content-type": "text/plain" });
        res.end(String(error));
      });
    });
    this.server = server;
    await new Promise<void>((resolve, reject) => {
      server.once("error", reject);
      server.listen(0, "127.0.0.1", () => resolve());
    });
    this.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    return this.url;
  }

  async stop(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    this.agent.destroy();
    if (!server) return;
    await new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    });
  }

  /** Total injected faults of every kind. */
  injectedCount(): number {
    return Object.values(this.stats.injected).reduce((sum, n) => sum + n, 0);
  }

  private chooseFault(operation: string): FaultKind | undefined {
    for (const rule of this.faults) {
      if (rule.operations && !rule.operations.includes(operation)) continue;
      if (rule.kind === "transaction-throttled" && !operation.startsWith("Transact")) continue;
      if (this.random() < rule.share) return rule.kind;
    }
    return undefined;
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const body = Buffer.concat(chunks);
    const operation = readOperation(req.headers["x-amz-target"]);
    this.stats.calls += 1;
    this.stats.byOperation[operation] = (this.stats.byOperation[operation] ?? 0) + 1;

    const fault = this.chooseFault(operation);
    if (fault && fault !== "lost-response") {
      this.stats.injected[fault] += 1;
      return this.answerFault(res, fault, operation, body.toString("utf8"));
    }
    const answer = await this.forward(req, body);
    this.stats.forwarded += 1;
    if (fault === "lost-response") {
      this.stats.injected[fault] += 1;
      return this.answerFault(res, fault, operation, body.toString("utf8"));
    }
    res.writeHead(answer.status, answer.headers).end(answer.body);
  }

  private answerFault(res: ServerResponse, kind: FaultKind, operation: string, body: string): void {
    const fault = describeFault(kind, operation, body);
    const payload = JSON.stringify({ __type: fault.type, ...fault.payload });
    res
      .writeHead(fault.status, {
        "content-type": "application/x-amz-json-1.0",
        "x-amzn-requestid": randomUUID(),
        "content-length": Buffer.byteLength(payload),
      })
      .end(payload);
  }

  private forward(
    req: IncomingMessage,
    body: Buffer,
  ): Promise<{ status: number; headers: Record<string, string | string[]>; body: Buffer }> {
    return new Promise((resolve, reject) => {
      const headers = { ...req.headers, host: this.target.host };
      const upstream = request(
        {
          protocol: this.target.protocol,
          hostname: this.target.hostname,
          port: this.target.port,
          method: req.method,
          path: req.url,
          headers,
          agent: this.agent,
        },
        (response) => {
          const parts: Buffer[] = [];
          response.on("data", (part: Buffer) => parts.push(part));
          response.on("end", () => {
            const out: Record<string, string | string[]> = {};
            for (const [name, value] of Object.entries(response.headers)) {
              if (value !== undefined && name !== "connection" && name !== "keep-alive") out[name] = value;
            }
            resolve({ status: response.statusCode ?? 502, headers: out, body: Buffer.concat(parts) });
          });
          response.on("error", reject);
        },
      );
      upstream.on("error", reject);
      upstream.end(body);
    });
  }
}
