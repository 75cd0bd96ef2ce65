// `npm run publish -- <file>...`: sends articles to a running Attaché API
// (`npm start` by default) and prints each answer. A file holds one article
// (a JSON object), several (a JSON array) or one per line (JSONL); `-` reads
// standard input. Exits non-zero if any article was not accepted.
//
//   npm run publish -- events/samples/articles/seed-china-fm.json
//   npm run publish -- --wait events/samples/articles.jsonl
//   npm run publish -- --url http://127.0.0.1:4000 my-articles.jsonl
import { readFile } from "node:fs/promises";
import { parseArgs } from "node:util";
import { parseArticles } from "../local/article-file.js";

async function readInput(path: string): Promise<string> {
  if (path !== "-") return readFile(path, "utf8");
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString("utf8");
}

const articleIdOf = (article: unknown): string | undefined => {
  const id = (article as { id?: unknown } | null)?.id;
  return typeof id === "string" ? id : undefined;
};

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Polls GET /articles/{id} until the article is coded or the deadline passes. */
async function waitUntilCoded(url: string, id: string, timeoutMs: number): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const res = await fetch(`${url}/articles/${encodeURIComponent(id)}`);
    if (res.status === 200) {
      const coded = (await res.json()) as { events?: unknown[]; stances?: unknown[] };
      return `coded: ${coded.events?.length ?? 0} events, ${coded.stances?.length ?? 0} stances`;
    }
    await res.body?.cancel();
    await sleep(250);
  }
  return `not coded within ${timeoutMs / 1000} s`;
}

async function main(): Promise<number> {
  const { values, positionals } = parseArgs({
    options: {
      url: { type: "string", default: `http://127.0.0.1:${process.env.PORT || 3000}` },
      wait: { type: "boolean", default: false },
      help: { type: "boolean", short: "h" },
    },
    allowPositionals: true,
  });
  if (values.help || positionals.length === 0) {
    console.log("Usage: npm run publish -- [--url URL] [--wait] <file.json|file.jsonl|->...");
    return values.help ? 0 : 2;
  }
  const url = values.url.replace(/\/+$/, "");
  let failed = 0;
  let sent = 0;
  for (const path of positionals) {
    const articles = parseArticles(await readInput(path), path === "-" ? "stdin" : path);
    for (const { label, article } of articles) {
      sent += 1;
      const id = articleIdOf(article) ?? "?";
      let status: number;
      let answer: string;
      try {
        const res = await fetch(`${url}/articles`, {
          method: "POST",
          headers: { "content-type": "application/json" },
          body: JSON.stringify(article),
        });
        status = res.status;
        answer = await res.text();
      } catch (error) {
        failed += 1;
        const cause = (error as { cause?: { code?: string } }).cause?.code ?? (error as Error).message;
        console.error(`FAIL  ${id}  (${label})  could not reach ${url}: ${cause}. Is \`npm start\` running?`);
        continue;
      }
      const ok = status >= 200 && status < 300;
      if (!ok) failed += 1;
      let line = `${ok ? "OK  " : "FAIL"}  ${status}  ${id}  (${label})  ${answer}`;
      if (ok && values.wait && id !== "?") line += `  → ${await waitUntilCoded(url, id, 30_000)}`;
      (ok ? console.log : console.error)(line);
    }
  }
  console.log(`${sent - failed} of ${sent} accepted`);
  return failed > 0 ? 1 : 0;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error instanceof Error ? `${error.name}: ${error.message}` : error);
    process.exit(1);
  },
);
