import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  chunkEntries,
  MAX_ENTRIES_PER_CALL,
  MAX_REQUEST_BYTES,
} from "../../../functions/adapters/eventbridge-publisher.js";
import { computeContentHash } from "../../../functions/core/content-hash.js";

describe("PutEvents chunking (property)", () => {
  it("keeps every entry, in order, in calls of at most 10 entries and 1 MB", () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 1, max: MAX_REQUEST_BYTES }), { maxLength: 60 }), (sizes) => {
        const entries = sizes.map((bytes, id) => ({ id, bytes }));
        const chunks = chunkEntries(entries);
        expect(chunks.flat()).toEqual(entries);
        for (const chunk of chunks) {
          expect(chunk.length).toBeGreaterThan(0);
          expect(chunk.length).toBeLessThanOrEqual(MAX_ENTRIES_PER_CALL);
          expect(chunk.reduce((sum, e) => sum + e.bytes, 0)).toBeLessThanOrEqual(MAX_REQUEST_BYTES);
        }
        // No call is split early: each chunk could not have taken the next entry.
        chunks.slice(0, -1).forEach((chunk, i) => {
          const next = chunks[i + 1]![0]!;
          const size = chunk.reduce((sum, e) => sum + e.bytes, 0);
          expect(chunk.length === MAX_ENTRIES_PER_CALL || size + next.bytes > MAX_REQUEST_BYTES).toBe(true);
        });
      }),
    );
  });
});

describe("content hash (property)", () => {
  const articleArb = fc.record({
    id: fc.string({ minLength: 1 }),
    title: fc.string(),
    body: fc.string(),
    publishedAt: fc.string(),
    url: fc.string(),
    source: fc.string(),
  });

  it("ignores key order and changes with any content field", () => {
    fc.assert(
      fc.property(
        articleArb,
        fc.constantFrom("title", "body", "publishedAt", "url", "source"),
        (article, field) => {
          const reordered = Object.fromEntries(Object.entries(article).reverse()) as typeof article;
          expect(computeContentHash(reordered)).toBe(computeContentHash(article));
          const changed = { ...article, [field]: `${article[field]}!` };
          expect(computeContentHash(changed)).not.toBe(computeContentHash(article));
        },
      ),
    );
  });
});
