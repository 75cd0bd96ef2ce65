// A small stand-in for the coder with the same contract: it derives its output from the
// article's text (one event and one stance per body line naming two known countries), so
// changing the content changes the output and the ids, as with the real coder.
import { createHash } from "node:crypto";
import type { Article, CodedArticle, CodedEvent, Stance } from "../../coder/types.js";

const COUNTRIES: Record<string, string> = {
  China: "CHN",
  Russia: "RUS",
  Ukraine: "UKR",
  France: "FRA",
  Japan: "JPN",
  Brazil: "BRA",
};

function stableId(prefix: string, ...parts: string[]): string {
  return `${prefix}-${createHash("sha256").update(parts.join("|")).digest("hex").slice(0, 12)}`;
}

export function codeArticleFake(article: Article): CodedArticle {
  const events: CodedEvent[] = [];
  const stances: Stance[] = [];
  let offset = 0;
  for (const line of article.body.split("\n")) {
    const start = offset;
    offset += line.length + 1;
    const found = Object.keys(COUNTRIES)
      .map((name) => ({ name, at: line.indexOf(name) }))
      .filter((f) => f.at >= 0)
      .sort((a, b) => a.at - b.at);
    const [first, second] = found;
    if (!first || !second) continue;
    const source = { entity: COUNTRIES[first.name]!, mention: first.name };
    const target = { entity: COUNTRIES[second.name]!, mention: second.name };
    const evidence = { field: "body" as const, start, end: start + line.length, text: line };
    events.push({
      id: stableId("ev", article.id, line),
      source,
      target,
      cameo: { code: "040", root: "04", name: "Consult", goldstein: 1, quadClass: 1 },
      plover: { type: "CONSULT" },
      modality: "asserted",
      date: article.publishedAt.slice(0, 10),
      evidence,
      ruleId: "fake.two-countries",
      confidence: 0.5,
    });
    stances.push({
      id: stableId("st", article.id, line),
      holder: source,
      target,
      polarity: line.includes("condemn") ? "oppose" : "support",
      confidence: 0.5,
      evidence: [evidence],
    });
  }
  return { articleId: article.id, events, stances };
}

/** Counts calls, so tests can tell whether coding was skipped. */
export function createCountingCoder(code: (article: Article) => CodedArticle = codeArticleFake) {
  const calls: string[] = [];
  return {
    calls,
    codeArticle: (article: Article) => {
      calls.push(article.id);
      return code(article);
    },
  };
}
