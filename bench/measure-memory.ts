// Child process: peak resident memory of a fresh process that loads the corpus
// ("load"), also compiles the coder ("import"), or codes every article ("code").
// The differences between the three say what the coder itself costs.
import { parseArgs } from "node:util";
import type { CodedArticle } from "../coder/types.js";
import { buildCorpus } from "./corpus.js";

const { values } = parseArgs({
  options: { size: { type: "string", default: "2000" }, mode: { type: "string", default: "code" } },
});
const mode = values.mode;
if (mode !== "load" && mode !== "import" && mode !== "code") {
  throw new Error(`--mode must be load, import or code, got ${mode}`);
}

const corpus = buildCorpus(Number(values.size));
let events = 0;
if (mode !== "load") {
  const { codeArticle } = (await import("../coder/index.js")) as {
    codeArticle: (article: (typeof corpus.articles)[number]) => CodedArticle;
  };
  if (mode === "code") {
    // One article at a time, results dropped, as a Lambda coder handles a stream of batches.
    for (const article of corpus.articles) events += codeArticle(article).events.length;
  }
}
const usage = process.resourceUsage();
process.stdout.write(
  `${JSON.stringify({
    mode,
    articles: corpus.articles.length,
    events,
    // resourceUsage().maxRSS is in kilobytes.
    maxRssBytes: usage.maxRSS * 1024,
    heapUsedBytes: process.memoryUsage().heapUsed,
  })}\n`,
);
