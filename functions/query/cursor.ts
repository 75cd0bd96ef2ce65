// Opaque pagination cursors. A cursor is base64url JSON holding the key of the last item a
// page returned (a valid DynamoDB ExclusiveStartKey: table keys plus the index's keys) and
// a fingerprint of the query that produced it. The fingerprint is checked on the way back
// in: a cursor replayed against another actor, index, date range or filter would start the
// query at a key outside its bounds (DynamoDB refuses that) or silently skip items.
import { createHash } from "node:crypto";
import * as z from "zod/mini";

export class InvalidCursorError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = "InvalidCursorError";
  }
}

export type CursorKey = Record<string, string>;

const CURSOR_VERSION = 1;
/** Well above any key we write (four keys of at most a few hundred characters each). */
export const MAX_CURSOR_LENGTH = 2_048;

const CursorSchema = z.object({
  v: z.literal(CURSOR_VERSION),
  q: z.string().check(z.minLength(1)),
  k: z.record(z.string(), z.string()),
});

/** A short, stable digest of what defines a query's result set (not its page size). */
export function fingerprintQuery(parts: Record<string, string | number | boolean | undefined>): string {
  const canonical = Object.keys(parts)
    .sort()
    .filter((name) => parts[name] !== undefined)
    .map((name) => `${name}=${String(parts[name])}`)
    .join("&");
  return createHash("sha256").update(canonical).digest("base64url").slice(0, 16);
}

export function encodeCursor(fingerprint: string, key: CursorKey): string {
  return Buffer.from(JSON.stringify({ v: CURSOR_VERSION, q: fingerprint, k: key }), "utf8").toString(
    "base64url",
  );
}

/**
 * The key a cursor carries, if it was made by the same query and holds exactly the
 * attributes that query's key is made of.
 */
export function decodeCursor(raw: string, fingerprint: string, keyAttributes: readonly string[]): CursorKey {
  if (raw.length > MAX_CURSOR_LENGTH || !/^[A-Za-z0-9_-]+$/.test(raw)) {
    throw new InvalidCursorError("the cursor is not one this API issued");
  }
  let parsed: z.infer<typeof CursorSchema>;
  try {
    parsed = CursorSchema.parse(JSON.parse(Buffer.from(raw, "base64url").toString("utf8")));
  } catch (error) {
    throw new InvalidCursorError("the cursor is not one this API issued", { cause: error });
  }
  if (parsed.q !== fingerprint) {
    throw new InvalidCursorError(
      "the cursor belongs to a query with other parameters; repeat them unchanged",
    );
  }
  const names = Object.keys(parsed.k).sort();
  const expected = [...keyAttributes].sort();
  if (names.length !== expected.length || names.some((name, i) => name !== expected[i])) {
    throw new InvalidCursorError("the cursor is not one this API issued");
  }
  return parsed.k;
}
