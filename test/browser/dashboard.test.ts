// The dashboard in headless Chromium (Debian's package, driven by playwright-core; no
// browser is downloaded): start the local stack, open the dashboard, publish the sample
// articles, watch the live feed fill from the bus, click an edge of the network and read
// the dyad view with its series, stances and highlighted evidence. Saves a screenshot to
// .attache/artifacts/dashboard.png for a person to look at.
import { existsSync } from "node:fs";
import { mkdir, mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type BrowserContext, chromium, type Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type LocalStack, startLocalStack } from "../../local/stack.js";
import { createResponseValidator } from "../api/openapi-document.js";

/** What the functions run in the page touch there (this file is compiled without the DOM types). */
interface PageGlobals {
  document: { body: { dataset: Record<string, string | undefined> } };
  attacheDashboard: {
    cy?: {
      edges(): { length: number };
      getElementById(id: string): { renderedMidpoint(): { x: number; y: number } };
      container(): { getBoundingClientRect(): { left: number; top: number } };
    };
  };
}

const CHROMIUM = process.env.ATTACHE_CHROMIUM ?? "/usr/bin/chromium";
const ARTIFACTS = join(import.meta.dirname, "..", "..", ".attache", "artifacts");
const SAMPLES = join(import.meta.dirname, "..", "..", "events", "samples", "articles.jsonl");

let stack: LocalStack;
let browser: BrowserContext;
let page: Page;
let workDir: string;
const pageErrors: string[] = [];

async function publishSamples(url: string): Promise<string[]> {
  const lines = (await readFile(SAMPLES, "utf8")).split("\n").filter((line) => line.trim());
  const validator = createResponseValidator();
  const ids: string[] = [];
  for (const line of lines) {
    const response = await fetch(`${url}/articles`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: line,
    });
    const body = (await response.json()) as { articleId: string };
    expect(validator.validate("/articles", "post", response.status, body).errors).toBe("");
    expect(response.status).toBe(202);
    ids.push(body.articleId);
  }
  return ids;
}

beforeAll(async () => {
  if (!existsSync(CHROMIUM)) {
    throw new Error(`${CHROMIUM} is missing: install Debian's chromium package (apt-get install chromium)`);
  }
  workDir = await mkdtemp(join(tmpdir(), "attache-dashboard-"));
  stack = await startLocalStack({
    port: 0,
    dataDir: join(workDir, "data"),
    dynamoDbEndpoint: process.env.ATTACHE_TEST_DYNAMODB_ENDPOINT,
    tableName: `attache-dashboard-${Date.now().toString(36)}`,
    log: () => undefined,
    logError: () => undefined,
  });
  // A fresh profile each run (launchPersistentContext is how playwright takes --user-data-dir).
  browser = await chromium.launchPersistentContext(join(workDir, "chromium"), {
    executablePath: CHROMIUM,
    headless: true,
    viewport: { width: 1500, height: 1000 },
    args: [
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
    ],
  });
  page = browser.pages()[0] ?? (await browser.newPage());
  page.on("pageerror", (error) => pageErrors.push(error.message));
  // Nothing but the local stack may be reached: no CDN, no fonts, nothing outside.
  await page.route("**/*", (route) =>
    route.request().url().startsWith(stack.url) ? route.continue() : route.abort(),
  );
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await stack?.stop();
  if (workDir) await rm(workDir, { recursive: true, force: true });
});

describe("dashboard", () => {
  it("serves the page and its bundled assets from the local stack", async () => {
    for (const [path, type] of [
      ["/", "text/html"],
      ["/dashboard.js", "text/javascript"],
      ["/dashboard.css", "text/css"],
    ] as const) {
      const response = await fetch(`${stack.url}${path}`);
      expect(response.status, path).toBe(200);
      expect(response.headers.get("content-type"), path).toContain(type);
    }
    expect((await fetch(`${stack.url}/stream`, { method: "POST" })).status).toBe(405);
    expect((await fetch(`${stack.url}/no-such-page`)).status).toBe(404);
    const health = await fetch(`${stack.url}/health`);
    expect(
      createResponseValidator().validate("/health", "get", health.status, await health.json()).errors,
    ).toBe("");
  });

  it("shows the feed, the network and a dyad with its evidence", async () => {
    const requested: string[] = [];
    page.on("request", (request) => requested.push(request.url()));
    await page.goto(stack.url);
    await page.locator("#stream-status[data-state='live']").waitFor({ timeout: 20_000 });
    await expect(page.locator("#network-caption")).toBeDefined();
    await page.locator("#network-caption", { hasText: "No events stored yet" }).waitFor();

    const articleIds = await publishSamples(stack.url);

    // Wait for the pipeline first (a busy machine codes slowly), then for the feed: every
    // article's ArticleCoded must have reached the page over the stream.
    for (const id of articleIds) {
      await expect
        .poll(async () => (await fetch(`${stack.url}/articles/${id}`)).status, {
          timeout: 120_000,
          interval: 500,
        })
        .toBe(200);
    }
    for (const id of articleIds) {
      await page
        .locator("#feed li[data-detail-type='ArticleCoded']", { hasText: id })
        .waitFor({ timeout: 20_000 });
    }
    expect(await page.locator("#feed li[data-detail-type='DiplomaticEventCoded']").count()).toBeGreaterThan(
      0,
    );

    // The network reloads on coded events and draws the dyads of the newest 30 days.
    await page.waitForFunction(
      () => Number((globalThis as unknown as PageGlobals).document.body.dataset.networkEdges ?? "0") > 0,
      undefined,
      {
        timeout: 30_000,
      },
    );
    const network = (await (await fetch(`${stack.url}/dyads`)).json()) as {
      dyads: { source: string; target: string; eventCount: number }[];
    };
    const busiest = network.dyads[0]!;
    await page.waitForFunction(
      (count) => {
        const cy = (globalThis as unknown as PageGlobals).attacheDashboard.cy;
        return cy !== undefined && cy.edges().length === count;
      },
      network.dyads.length,
      { timeout: 30_000 },
    );

    // Click the busiest edge where cytoscape drew it.
    const point = await page.evaluate(
      ({ source, target }) => {
        const cy = (globalThis as unknown as PageGlobals).attacheDashboard.cy!;
        const mid = cy.getElementById(`${source}>${target}`).renderedMidpoint();
        const box = cy.container().getBoundingClientRect();
        return { x: box.left + mid.x, y: box.top + mid.y };
      },
      { source: busiest.source, target: busiest.target },
    );
    await page.mouse.click(point.x, point.y);

    await page
      .locator(`#detail[data-dyad='${busiest.source}>${busiest.target}'][data-ready='true']`)
      .waitFor();
    await expect(page.locator("#detail-title").textContent()).resolves.toBe(
      `Dyad ${busiest.source} ⇄ ${busiest.target}`,
    );
    // The Goldstein series is drawn, and every event shows its evidence sentence with the span marked.
    await page.locator("#dyad-chart canvas").waitFor();
    const events = page.locator("#dyad-events li.event");
    const dyad = (await (await fetch(`${stack.url}/dyads/${busiest.source}/${busiest.target}`)).json()) as {
      events: { articleId: string; event: { evidence: { text: string } } }[];
    };
    await expect.poll(() => events.count()).toBe(dyad.events.length);
    const first = dyad.events[0]!;
    const mark = events.first().locator("blockquote.evidence mark");
    await expect.poll(() => mark.textContent()).toBe(first.event.evidence.text);
    // Once the article has loaded, the quote holds the whole sentence around the span.
    await expect
      .poll(async () => (await events.first().locator("blockquote.evidence").textContent())?.length ?? 0)
      .toBeGreaterThanOrEqual(first.event.evidence.text.length);
    const link = events.first().locator("a.article-json");
    expect(await link.getAttribute("href")).toBe(`/articles/${first.articleId}`);

    // A feed entry opens its dyad too.
    await page.locator("#feed li.clickable[data-detail-type='DiplomaticEventCoded']").first().click();
    await page.locator("#detail[data-ready='true']").waitFor();

    await page.locator(`#dyad-table tbody tr`).first().click();
    await page
      .locator(`#detail[data-dyad='${busiest.source}>${busiest.target}'][data-ready='true']`)
      .waitFor();
    await page.locator("#dyad-chart canvas").waitFor();

    // Widening the period to a year brings in the older samples' dyads.
    const newest = (await (await fetch(`${stack.url}/dyads`)).json()) as { to: string };
    const yearFrom = new Date(Date.parse(`${newest.to}T00:00:00Z`) - 364 * 86_400_000)
      .toISOString()
      .slice(0, 10);
    const year = (await (await fetch(`${stack.url}/dyads?from=${yearFrom}&to=${newest.to}`)).json()) as {
      dyads: unknown[];
    };
    expect(year.dyads.length).toBeGreaterThan(network.dyads.length);
    await page.selectOption("#network-period", "365");
    await page.waitForFunction(
      (count) => Number((globalThis as unknown as PageGlobals).document.body.dataset.networkEdges) === count,
      year.dyads.length,
    );
    await page.locator("#network-caption", { hasText: "365 days" }).waitFor();
    // The year's busiest dyad, opened from the table, is the view the screenshot keeps.
    const top = (year.dyads as { source: string; target: string }[])[0]!;
    await page.locator("#dyad-table tbody tr").first().click();
    await page.locator(`#detail[data-dyad='${top.source}>${top.target}'][data-ready='true']`).waitFor();
    await page.locator("#dyad-chart canvas").waitFor();

    await mkdir(ARTIFACTS, { recursive: true });
    await page.screenshot({ path: join(ARTIFACTS, "dashboard.png"), fullPage: true });

    expect(pageErrors).toEqual([]);
    expect(requested.every((url) => url.startsWith(stack.url))).toBe(true);
  }, 180_000);
});
