import { readdirSync, readFileSync } from "node:fs";
import { EventBridgeSchema } from "@aws-lambda-powertools/parser/schemas/eventbridge";
import { describe, expect, expectTypeOf, it } from "vitest";
import * as classic from "zod";
import * as z from "zod/mini";
import type { Actor, Article, CodedEvent, Evidence, Stance } from "../../../coder/types.js";
import { ArticleSchema } from "../../../events/article-published.js";
import { eventCatalog } from "../../../events/catalog.js";
import {
  type ActorSchema,
  type CodedEventSchema,
  EventBridgeEnvelopeSchema,
  type EvidenceSchema,
  type StanceSchema,
} from "../../../events/common.js";
import { renderSchemas, schemaDir } from "../../../scripts/generate-schemas.js";

const samplesDir = new URL("../../../events/samples/", import.meta.url);
const readJson = (url: URL) => JSON.parse(readFileSync(url, "utf8"));

describe("event schemas", () => {
  it("mirror coder/types.ts both ways", () => {
    expectTypeOf<z.infer<typeof ActorSchema>>().toEqualTypeOf<Actor>();
    expectTypeOf<z.infer<typeof EvidenceSchema>>().toEqualTypeOf<Evidence>();
    expectTypeOf<z.infer<typeof CodedEventSchema>>().toEqualTypeOf<CodedEvent>();
    expectTypeOf<z.infer<typeof StanceSchema>>().toEqualTypeOf<Stance>();
    expectTypeOf<z.infer<typeof ArticleSchema>>().toExtend<Article>();
  });

  it("have checked-in JSON Schemas that match the Zod schemas (run npm run schemas if not)", () => {
    const rendered = renderSchemas();
    const onDisk = readdirSync(schemaDir)
      .filter((f) => f.endsWith(".json"))
      .sort();
    expect(onDisk).toEqual([...rendered.keys()].sort());
    for (const [file, content] of rendered) {
      expect(readFileSync(`${schemaDir}/${file}`, "utf8"), file).toBe(content);
    }
  });

  it.each(eventCatalog.map((entry) => [entry.name, entry] as const))(
    "validate the %s sample",
    (name, entry) => {
      const sample = readJson(new URL(`${name}.json`, samplesDir));
      const envelope = entry.envelope.safeParse(sample);
      expect(envelope.error?.issues ?? []).toEqual([]);
      expect(sample.source).toBe(entry.source);
      expect(sample["detail-type"]).toBe(entry.detailType);
      expect(entry.detail.safeParse(sample.detail).success).toBe(true);
    },
  );

  it("refuse an envelope of another detail-type or source", () => {
    const sample = readJson(new URL("diplomatic-event-coded.json", samplesDir));
    const schema = eventCatalog.find((e) => e.name === "diplomatic-event-coded")!.envelope;
    expect(schema.safeParse({ ...sample, "detail-type": "StanceRecorded" }).success).toBe(false);
    expect(schema.safeParse({ ...sample, source: "attache.articles" }).success).toBe(false);
    const badQuad = structuredClone(sample);
    badQuad.detail.event.cameo.quadClass = 5;
    expect(schema.safeParse(badQuad).success).toBe(false);
  });

  it("have evidence that quotes the article it points into", () => {
    const article = readJson(new URL("articles/seed-china-fm.json", samplesDir));
    const event = readJson(new URL("diplomatic-event-coded.json", samplesDir)).detail.event;
    const stance = readJson(new URL("stance-recorded.json", samplesDir)).detail.stance;
    for (const evidence of [event.evidence, ...stance.evidence]) {
      expect(article[evidence.field].slice(evidence.start, evidence.end)).toBe(evidence.text);
    }
  });
});

describe("sample articles", () => {
  const files = readdirSync(new URL("articles/", samplesDir)).filter((f) => f.endsWith(".json"));
  const articles = files.map((f) => readJson(new URL(`articles/${f}`, samplesDir)));

  it("are valid articles, four or more, with distinct ids", () => {
    expect(files.length).toBeGreaterThanOrEqual(4);
    for (const article of articles) expect(ArticleSchema.safeParse(article).error?.issues ?? []).toEqual([]);
    expect(new Set(articles.map((a) => a.id)).size).toBe(articles.length);
  });

  it("are all in articles.jsonl, one per line", () => {
    const lines = readFileSync(new URL("articles.jsonl", samplesDir), "utf8").trim().split("\n");
    const fromJsonl = lines.map((line) => JSON.parse(line));
    for (const article of fromJsonl) expect(ArticleSchema.safeParse(article).success).toBe(true);
    const byId = (a: { id: string }, b: { id: string }) => a.id.localeCompare(b.id);
    expect([...fromJsonl].sort(byId)).toEqual([...articles].sort(byId));
  });

  it("include the seed article, titled by the seed file's first line", () => {
    const seed = articles.find((a) => a.id === "seed-001");
    expect(seed).toMatchObject({ publishedAt: "2025-04-01T12:00:00Z", source: "seed" });
    expect(seed.title).toBe("Beijing ready for 'constructive role' to end Ukraine conflict: China FM");
    expect(seed.body.startsWith("China will be backing Russia")).toBe(true);
    expect(seed.body.endsWith("be removed from office as part of the peace process.")).toBe(true);
  });
});

describe("the EventBridge envelope", () => {
  it("is defined field for field as Powertools' parser defines it", () => {
    const ours = z.toJSONSchema(EventBridgeEnvelopeSchema);
    const powertools = classic.toJSONSchema(EventBridgeSchema);
    expect(ours).toEqual(powertools);
  });
});
