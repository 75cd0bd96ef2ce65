// Stored data for the read-route tests: articles with chosen events and stances, written
// through the real article store (the same items the coder's handler writes), so the
// routes read exactly the layout the pipeline produces.
import { createHash } from "node:crypto";
import type { Article, CodedEvent, Stance } from "../../coder/types.js";
import type { ArticleStore } from "../../functions/core/ports.js";

export interface EventSpec {
  id: string;
  source: string;
  target: string | null;
  code: string;
  goldstein: number;
  quadClass: 1 | 2 | 3 | 4;
  date: string;
}

export interface StanceSpec {
  id: string;
  holder: string;
  target: string;
  polarity: Stance["polarity"];
}

export interface ArticleSpec {
  id: string;
  publisher: string;
  publishedAt: string;
  events: EventSpec[];
  stances?: StanceSpec[];
}

/** Each event and stance gets a sentence of its own in the body; evidence points at it exactly. */
export function buildStoredArticle(spec: ArticleSpec): {
  article: Article;
  events: CodedEvent[];
  stances: Stance[];
} {
  let body = "";
  const sentence = (text: string) => {
    const start = body.length;
    body += `${text} `;
    return { field: "body" as const, start, end: start + text.length, text };
  };
  const events = spec.events.map(
    (e): CodedEvent => ({
      id: e.id,
      source: { entity: e.source },
      target: e.target === null ? null : { entity: e.target },
      cameo: {
        code: e.code,
        root: e.code.slice(0, 2),
        name: `CAMEO ${e.code}`,
        goldstein: e.goldstein,
        quadClass: e.quadClass,
      },
      plover: { type: "CONSULT" },
      modality: "asserted",
      date: e.date,
      evidence: sentence(`${e.source} acted (${e.code}) toward ${e.target ?? "nobody"} on ${e.date}.`),
      ruleId: "test.fixture",
      confidence: 0.8,
    }),
  );
  const stances = (spec.stances ?? []).map(
    (s): Stance => ({
      id: s.id,
      holder: { entity: s.holder },
      target: { entity: s.target },
      polarity: s.polarity,
      confidence: 0.7,
      evidence: [sentence(`${s.holder} said it would ${s.polarity} ${s.target}.`)],
    }),
  );
  const article: Article = {
    id: spec.id,
    title: `Report ${spec.id}`,
    body: body.trim(),
    publishedAt: spec.publishedAt,
    url: `https://example.org/${spec.id}`,
    source: spec.publisher,
    language: "en",
  };
  return { article, events, stances };
}

export async function storeArticles(store: ArticleStore, specs: readonly ArticleSpec[]): Promise<void> {
  for (const spec of specs) {
    const { article, events, stances } = buildStoredArticle(spec);
    await store.saveVersion(
      {
        article,
        version: 1,
        contentHash: createHash("sha256").update(JSON.stringify(spec)).digest("hex"),
        events,
        stances,
        codedAt: "2025-03-20T00:00:00.000Z",
        coderVersion: "fixture",
      },
      null,
    );
  }
}

const day = (base: string, offset: number) =>
  new Date(Date.parse(`${base}T00:00:00Z`) + offset * 86_400_000).toISOString().slice(0, 10);

/** Thirty USA → IRN events over February, alternating two roots, for paging. */
export const BULK_EVENTS: EventSpec[] = Array.from({ length: 30 }, (_, i) => ({
  id: `bulk-${String(i).padStart(2, "0")}`,
  source: "USA",
  target: "IRN",
  code: i % 3 === 0 ? "173" : "130",
  goldstein: i % 3 === 0 ? -5 : -4.4,
  quadClass: i % 3 === 0 ? 4 : 3,
  date: day("2025-02-01", i % 20),
}));

export const FIXTURE_ARTICLES: ArticleSpec[] = [
  {
    id: "wire-a-001",
    publisher: "wire-a",
    publishedAt: "2025-03-02T08:00:00Z",
    events: [
      {
        id: "a1-visit",
        source: "CHN",
        target: "RUS",
        code: "042",
        goldstein: 1.9,
        quadClass: 1,
        date: "2025-03-01",
      },
      {
        id: "a1-consult",
        source: "CHN",
        target: "RUS",
        code: "040",
        goldstein: 1,
        quadClass: 1,
        date: "2025-03-02",
      },
      {
        id: "a1-praise",
        source: "RUS",
        target: "CHN",
        code: "051",
        goldstein: 3.4,
        quadClass: 1,
        date: "2025-03-02",
      },
      {
        id: "a1-accuse",
        source: "CHN",
        target: "USA",
        code: "112",
        goldstein: -2,
        quadClass: 3,
        date: "2025-03-05",
      },
      {
        id: "a1-statement",
        source: "CHN",
        target: null,
        code: "010",
        goldstein: 0,
        quadClass: 1,
        date: "2025-03-05",
      },
    ],
    stances: [
      { id: "a1-s1", holder: "CHN", target: "RUS", polarity: "support" },
      { id: "a1-s2", holder: "CHN", target: "USA", polarity: "oppose" },
      { id: "a1-s3", holder: "USA", target: "CHN", polarity: "oppose" },
    ],
  },
  {
    id: "wire-b-001",
    publisher: "wire-b",
    publishedAt: "2025-03-03T10:00:00Z",
    events: [
      // The same visit, told from the host's side: one cluster (root 04 is symmetric), two publishers.
      {
        id: "b1-host",
        source: "RUS",
        target: "CHN",
        code: "043",
        goldstein: 2.8,
        quadClass: 1,
        date: "2025-03-01",
      },
    ],
  },
  {
    id: "wire-c-001",
    publisher: "wire-c",
    publishedAt: "2025-03-10T10:00:00Z",
    events: [
      {
        id: "c1-appeal",
        source: "CHN",
        target: "RUS",
        code: "036",
        goldstein: 4,
        quadClass: 1,
        date: "2025-03-09",
      },
    ],
    stances: [{ id: "c1-s1", holder: "CHN", target: "RUS", polarity: "neutral" }],
  },
  {
    id: "wire-d-001",
    publisher: "wire-d",
    publishedAt: "2025-02-21T10:00:00Z",
    events: BULK_EVENTS.slice(0, 10),
  },
  {
    id: "wire-d-002",
    publisher: "wire-d",
    publishedAt: "2025-02-21T11:00:00Z",
    events: BULK_EVENTS.slice(10, 20),
  },
  {
    id: "wire-d-003",
    publisher: "wire-d",
    publishedAt: "2025-02-21T12:00:00Z",
    events: BULK_EVENTS.slice(20),
  },
];

export interface FixtureEvent extends EventSpec {
  articleId: string;
  publisher: string;
}

export const ALL_FIXTURE_EVENTS: FixtureEvent[] = FIXTURE_ARTICLES.flatMap((a) =>
  a.events.map((e) => ({ ...e, articleId: a.id, publisher: a.publisher })),
);

/** The order the routes promise: event date, then event id, both descending. */
export function newestFirst<T extends { date: string; id: string }>(events: readonly T[]): T[] {
  return [...events].sort((a, b) => {
    const ka = `${a.date}#${a.id}`;
    const kb = `${b.date}#${b.id}`;
    return ka < kb ? 1 : ka > kb ? -1 : 0;
  });
}
