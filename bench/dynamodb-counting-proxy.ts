// A pass-through HTTP proxy in front of DynamoDB Local that counts what the
// cost model needs: API calls by operation and the capacity units DynamoDB
// reports for them. It asks for ReturnConsumedCapacity=INDEXES on every call
// that supports it (so index writes are counted too) and removes the answer
// again when the caller had not asked, so the handlers see what they expect.
// DynamoDB Local does not check request signatures, so rewriting a body is safe.
import { Agent, createServer, request, type Server } from "node:http";
import type { AddressInfo } from "node:net";

const CAPACITY_OPERATIONS = new Set([
  "PutItem",
  "UpdateItem",
  "DeleteItem",
  "BatchWriteItem",
  "TransactWriteItems",
  "GetItem",
  "Query",
  "Scan",
  "BatchGetItem",
  "TransactGetItems",
]);

export interface OperationCount {
  calls: number;
  /** Capacity units reported for the table and its indexes together. */
  capacityUnits: number;
  /** Of which on global secondary indexes. */
  indexCapacityUnits: number;
  /** Time DynamoDB Local took to answer, summed over the calls. */
  upstreamMs: number;
}

export type ProxyCounts = Record<string, OperationCount>;

interface ConsumedCapacity {
  CapacityUnits?: number;
  GlobalSecondaryIndexes?: Record<string, { CapacityUnits?: number }>;
}

/** Sums a ConsumedCapacity answer (one object, or a list for batch and transaction calls). */
export function sumConsumedCapacity(consumed: unknown): { total: number; indexes: number } {
  const list = (Array.isArray(consumed) ? consumed : consumed ? [consumed] : []) as ConsumedCapacity[];
  let total = 0;
  let indexes = 0;
  for (const entry of list) {
    total += entry.CapacityUnits ?? 0;
    for (const index of Object.values(entry.GlobalSecondaryIndexes ?? {}))
      indexes += index.CapacityUnits ?? 0;
  }
  return { total, indexes };
}

export interface CountingProxy {
  endpoint: string;
  counts(): ProxyCounts;
  reset(): void;
  close(): Promise<void>;
}

export async function startCountingProxy(upstream: string): Promise<CountingProxy> {
  const target = new URL(upstream);
  const agent = new Agent({ keepAlive: true });
  let counts: ProxyCounts = {};

  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      let body = Buffer.concat(chunks);
      const amzTarget = String(req.headers["x-amz-target"] ?? "");
      const operation = amzTarget.split(".").pop() ?? "";
      const name = amzTarget.startsWith("DynamoDBStreams") ? `Streams.${operation}` : operation;
      let added = false;
      if (CAPACITY_OPERATIONS.has(operation) && !amzTarget.startsWith("DynamoDBStreams")) {
        const input = JSON.parse(body.toString("utf8")) as Record<string, unknown>;
        if (input.ReturnConsumedCapacity === undefined || input.ReturnConsumedCapacity === "NONE") {
          input.ReturnConsumedCapacity = "INDEXES";
          added = true;
          body = Buffer.from(JSON.stringify(input));
        }
      }
      const headers = { ...req.headers, host: target.host, "content-length": String(body.length) };
      const sentAt = performance.now();
      const upstreamReq = request(
        { host: target.hostname, port: target.port, method: req.method, path: req.url, headers, agent },
        (upstreamRes) => {
          const answer: Buffer[] = [];
          upstreamRes.on("data", (chunk: Buffer) => answer.push(chunk));
          upstreamRes.on("end", () => {
            let out = Buffer.concat(answer);
            const entry = counts[name] ?? {
              calls: 0,
              capacityUnits: 0,
              indexCapacityUnits: 0,
              upstreamMs: 0,
            };
            counts[name] = entry;
            entry.calls += 1;
            entry.upstreamMs += performance.now() - sentAt;
            if (
              CAPACITY_OPERATIONS.has(operation) &&
              (upstreamRes.statusCode ?? 500) < 300 &&
              out.length > 0
            ) {
              const parsed = JSON.parse(out.toString("utf8")) as Record<string, unknown>;
              const { total, indexes } = sumConsumedCapacity(parsed.ConsumedCapacity);
              entry.capacityUnits += total;
              entry.indexCapacityUnits += indexes;
              if (added) {
                delete parsed.ConsumedCapacity;
                out = Buffer.from(JSON.stringify(parsed));
              }
            }
            // The answer is re-encoded, so its length and checksum are recomputed by dropping them.
            const {
              "content-length": _length,
              "transfer-encoding": _chunked,
              "x-amz-crc32": _crc,
              ...rest
            } = upstreamRes.headers;
            res.writeHead(upstreamRes.statusCode ?? 500, { ...rest, "content-length": String(out.length) });
            res.end(out);
          });
        },
      );
      upstreamReq.on("error", (error) => {
        res.writeHead(502, { "content-type": "text/plain" });
        res.end(String(error));
      });
      upstreamReq.end(body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    counts: () => structuredClone(counts),
    reset: () => {
      counts = {};
    },
    close: () =>
      new Promise<void>((resolve) => {
        agent.destroy();
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
