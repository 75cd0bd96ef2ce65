// The dashboard: a live feed of the events crossing the bus (GET /stream), the actor
// network of the last 30 days (GET /dyads), and a dyad view (GET /dyads/{a}/{b}) with
// the daily Goldstein series both ways, the stance history each way, and every event's
// evidence sentence with its span marked and a link to its article (GET /articles/{id}).
// Plain DOM; cytoscape draws the network, uPlot the series.
import cytoscape from "cytoscape";
import uPlot from "uplot";
import "uplot/dist/uPlot.min.css";
import "./styles.css";
import type { CodedArticleView } from "../functions/core/ports.js";
import type { EventRecord, StanceRecord } from "../functions/query/read-model.js";
import type { DailyPoint, NetworkActor, NetworkDyad } from "../functions/query/summarize-events.js";
import { colourForGoldstein, findEvidenceContext, widthForCount } from "./evidence.js";

interface NetworkAnswer {
  from: string | null;
  to: string | null;
  eventCount: number;
  truncated: boolean;
  actors: NetworkActor[];
  dyads: NetworkDyad[];
}

interface DyadDirection {
  source: string;
  target: string;
  eventCount: number;
  series: DailyPoint[];
  stance: { current: StanceRecord | null; history: StanceRecord[] };
}

interface DyadAnswer {
  a: string;
  b: string;
  events: EventRecord[];
  moreEvents: boolean;
  truncated: boolean;
  directions: DyadDirection[];
}

interface BusEvent {
  id: string;
  "detail-type": string;
  source: string;
  time: string;
  detail: Record<string, unknown>;
}

const FEED_LIMIT = 200;
const byId = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;

function element<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attributes: Record<string, string> = {},
  ...children: (Node | string | null | undefined)[]
): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) node.setAttribute(name, value);
  for (const child of children) if (child !== null && child !== undefined) node.append(child);
  return node;
}

class ApiError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = "ApiError";
  }
}

async function fetchJson<T>(path: string): Promise<T> {
  const response = await fetch(path, { headers: { accept: "application/json" } });
  if (!response.ok) throw new ApiError(`${path} answered ${response.status}`);
  return (await response.json()) as T;
}

// --- articles (for evidence sentences), cached per version -----------------------------
const articles = new Map<string, Promise<CodedArticleView | null>>();
function loadArticle(articleId: string, version: number): Promise<CodedArticleView | null> {
  const key = `${articleId}#${version}`;
  let found = articles.get(key);
  if (!found) {
    found = fetchJson<CodedArticleView>(`/articles/${encodeURIComponent(articleId)}`).catch(() => null);
    articles.set(key, found);
  }
  return found;
}

function formatGoldstein(score: number): string {
  return `${score > 0 ? "+" : ""}${score.toFixed(1)}`;
}

/** The evidence sentence with its span in <mark>, filled in once the article has loaded. */
function renderEvidence(
  evidence: { field: "title" | "body"; start: number; end: number; text: string },
  articleId: string,
  version: number,
): HTMLElement {
  const quote = element("blockquote", { class: "evidence" }, element("mark", {}, evidence.text));
  loadArticle(articleId, version).then((view) => {
    const text = view?.article[evidence.field];
    if (!text || text.slice(evidence.start, evidence.end) !== evidence.text) return;
    const context = findEvidenceContext(text, evidence.start, evidence.end);
    quote.replaceChildren(context.before, element("mark", {}, context.span), context.after);
  });
  return quote;
}

function renderArticleLinks(articleId: string, version: number, publisher?: string): HTMLElement {
  const links = element(
    "span",
    { class: "article-links" },
    element("a", { href: `/articles/${encodeURIComponent(articleId)}`, class: "article-json" }, articleId),
    publisher ? ` · ${publisher}` : "",
  );
  loadArticle(articleId, version).then((view) => {
    if (!view) return;
    links.append(
      " · ",
      element("a", { href: view.article.url, target: "_blank", rel: "noopener" }, view.article.title),
    );
  });
  return links;
}

// --- live feed -----------------------------------------------------------------------
function describeBusEvent(event: BusEvent): { text: string; dyad?: [string, string] } {
  const detail = event.detail;
  switch (event["detail-type"]) {
    case "DiplomaticEventCoded": {
      const coded = detail.event as EventRecord["event"];
      const target = coded.target?.entity ?? "—";
      return {
        text: `${coded.source.entity} → ${target}: ${coded.cameo.code} ${coded.cameo.name} (${formatGoldstein(coded.cameo.goldstein)}), ${coded.date}`,
        ...(coded.target ? { dyad: [coded.source.entity, coded.target.entity] as [string, string] } : {}),
      };
    }
    case "StanceRecorded": {
      const stance = detail.stance as StanceRecord["stance"];
      return {
        text: `${stance.holder.entity} ${stance.polarity}s ${stance.target.entity}`,
        dyad: [stance.holder.entity, stance.target.entity],
      };
    }
    case "ArticleCoded":
      return {
        text: `${String(detail.articleId)} v${String(detail.version)}: ${String(detail.eventCount)} events, ${String(detail.stanceCount)} stances`,
      };
    case "ArticlePublished":
      return {
        text: `${String((detail.article as { id?: string } | undefined)?.id ?? detail.id ?? "")} published`,
      };
    case "EventConfirmed":
      return {
        text: `${String(detail.clusterId)} confirmed by ${String(detail.publisherCount)} publishers`,
        ...(detail.target
          ? { dyad: [String(detail.source), String(detail.target)] as [string, string] }
          : {}),
      };
    case "StanceShifted":
      return {
        text: `${String(detail.holder)} → ${String(detail.target)} shifted`,
        dyad: [String(detail.holder), String(detail.target)],
      };
    case "DyadTrendChanged":
      return {
        text: `${String(detail.source)} → ${String(detail.target)} ${String(detail.direction)} on ${String(detail.date)}`,
        dyad: [String(detail.source), String(detail.target)],
      };
    default:
      return { text: event.source };
  }
}

function addToFeed(event: BusEvent): void {
  const feed = byId<HTMLOListElement>("feed");
  const { text, dyad } = describeBusEvent(event);
  const item = element(
    "li",
    { class: "feed-item", "data-detail-type": event["detail-type"] },
    element("span", { class: "feed-type" }, event["detail-type"]),
    element("span", { class: "feed-text" }, text),
  );
  if (dyad) {
    item.tabIndex = 0;
    item.classList.add("clickable");
    const open = () => void showDyad(dyad[0], dyad[1]);
    item.addEventListener("click", open);
    item.addEventListener("keydown", (e) => {
      if (e.key === "Enter") open();
    });
  }
  feed.prepend(item);
  while (feed.children.length > FEED_LIMIT) feed.lastElementChild?.remove();
}

function connectStream(onEvent: (event: BusEvent) => void): void {
  const status = byId<HTMLParagraphElement>("stream-status");
  const source = new EventSource("/stream");
  source.onopen = () => {
    status.dataset.state = "live";
    status.textContent = "live: events appear as they cross the bus";
  };
  source.onerror = () => {
    status.dataset.state = "reconnecting";
    status.textContent = "event stream interrupted; reconnecting…";
  };
  source.onmessage = () => undefined;
  const types = [
    "ArticlePublished",
    "ArticleCoded",
    "DiplomaticEventCoded",
    "StanceRecorded",
    "EventConfirmed",
    "StanceShifted",
    "DyadTrendChanged",
  ];
  for (const type of types) {
    source.addEventListener(type, (message) =>
      onEvent(JSON.parse((message as MessageEvent<string>).data) as BusEvent),
    );
  }
}

// --- network -------------------------------------------------------------------------
let cy: cytoscape.Core | undefined;

/** Days the network covers, ending on the newest event; 30 unless the reader widens it. */
function readNetworkDays(): number {
  return Number(byId<HTMLSelectElement>("network-period").value) || 30;
}

async function loadNetwork(): Promise<void> {
  const days = readNetworkDays();
  // GET /dyads without parameters answers the 30 days ending on the newest event; a wider
  // period is asked for by its bounds, ending on the same day.
  let network = await fetchJson<NetworkAnswer>("/dyads");
  if (days !== 30 && network.to !== null) {
    const from = new Date(Date.parse(`${network.to}T00:00:00Z`) - (days - 1) * 86_400_000)
      .toISOString()
      .slice(0, 10);
    network = await fetchJson<NetworkAnswer>(`/dyads?from=${from}&to=${network.to}`);
  }
  const caption = byId<HTMLParagraphElement>("network-caption");
  caption.textContent =
    network.to === null
      ? "No events stored yet: publish articles (npm run publish -- events/samples/articles.jsonl)."
      : `${network.eventCount} events from ${network.from} to ${network.to} (the ${days} days ending on the newest event)${network.truncated ? ", truncated" : ""}.`;
  const elements: cytoscape.ElementDefinition[] = [
    ...network.actors.map((actor) => ({
      data: { id: actor.entity, label: actor.entity, count: actor.eventCount },
    })),
    ...network.dyads.map((dyad) => ({
      data: {
        id: `${dyad.source}>${dyad.target}`,
        source: dyad.source,
        target: dyad.target,
        count: dyad.eventCount,
        mean: dyad.goldsteinMean,
        colour: colourForGoldstein(dyad.goldsteinMean),
        width: widthForCount(dyad.eventCount),
      },
    })),
  ];
  if (!cy) {
    cy = cytoscape({
      container: byId("network"),
      elements,
      style: [
        {
          selector: "node",
          style: {
            label: "data(label)",
            "background-color": "#37474f",
            color: "#263238",
            "font-size": 11,
            "text-valign": "bottom",
            "text-margin-y": 3,
            width: "mapData(count, 1, 30, 18, 44)",
            height: "mapData(count, 1, 30, 18, 44)",
          },
        },
        {
          selector: "edge",
          style: {
            width: "data(width)",
            "line-color": "data(colour)",
            "target-arrow-color": "data(colour)",
            "target-arrow-shape": "triangle",
            "curve-style": "bezier",
            "arrow-scale": 0.8,
          },
        },
        {
          selector: "edge:selected",
          style: { "overlay-color": "#1565c0", "overlay-opacity": 0.2, "overlay-padding": 3 },
        },
      ],
      layout: {
        name: "cose",
        animate: false,
        randomize: false,
        nodeRepulsion: () => 9000,
        idealEdgeLength: () => 90,
      },
    });
    cy.on("tap", "edge", (e) => {
      const edge = e.target as cytoscape.EdgeSingular;
      void showDyad(edge.data("source") as string, edge.data("target") as string);
    });
    cy.on("tap", "node", (e) => void showActor((e.target as cytoscape.NodeSingular).id()));
  } else {
    cy.json({ elements });
    cy.layout({ name: "cose", animate: false, randomize: false }).run();
  }
  renderDyadTable(network.dyads);
  document.body.dataset.networkEdges = String(network.dyads.length);
}

function renderDyadTable(dyads: NetworkDyad[]): void {
  const body = byId<HTMLTableElement>("dyad-table").tBodies[0]!;
  body.replaceChildren(
    ...dyads.slice(0, 30).map((dyad) => {
      const row = element(
        "tr",
        { class: "clickable", tabindex: "0" },
        element("td", {}, `${dyad.source} → ${dyad.target}`),
        element("td", {}, String(dyad.eventCount)),
        element(
          "td",
          {},
          element("span", { class: "dot", style: `background:${colourForGoldstein(dyad.goldsteinMean)}` }),
          formatGoldstein(dyad.goldsteinMean),
        ),
      );
      const open = () => void showDyad(dyad.source, dyad.target);
      row.addEventListener("click", open);
      row.addEventListener("keydown", (e) => {
        if (e.key === "Enter") open();
      });
      return row;
    }),
  );
}

let networkReload: ReturnType<typeof setTimeout> | undefined;
/** Coalesces the reloads a burst of coded events asks for. */
function scheduleNetworkReload(): void {
  if (networkReload) return;
  networkReload = setTimeout(() => {
    networkReload = undefined;
    loadNetwork().catch(showError);
  }, 750);
}

// --- dyad view -----------------------------------------------------------------------
let chart: uPlot | undefined;

function renderSeriesChart(container: HTMLElement, answer: DyadAnswer): void {
  chart?.destroy();
  chart = undefined;
  const dates = [...new Set(answer.directions.flatMap((d) => d.series.map((p) => p.date)))].sort();
  if (dates.length === 0) {
    container.append(element("p", { class: "hint" }, "No events between them in this period."));
    return;
  }
  const xs = dates.map((date) => Date.parse(`${date}T00:00:00Z`) / 1000);
  const lines = answer.directions.map((direction) => {
    const byDate = new Map(direction.series.map((p) => [p.date, p.goldsteinMean]));
    return dates.map((date) => byDate.get(date) ?? null);
  });
  const colours = ["#1565c0", "#ef6c00"];
  const target = element("div", { class: "chart", id: "dyad-chart" });
  container.append(target);
  chart = new uPlot(
    {
      width: Math.max(320, container.clientWidth - 8),
      height: 220,
      // A few days either side, so a single day's point is not lost on an axis of years.
      scales: {
        x: { time: true, range: (): uPlot.Range.MinMax => [xs[0]! - 2 * 86_400, xs.at(-1)! + 2 * 86_400] },
        y: { range: [-10, 10] },
      },
      series: [
        {},
        ...answer.directions.map((d, i) => ({
          label: `${d.source} → ${d.target}`,
          stroke: colours[i] ?? "#555",
          width: 2,
          spanGaps: true,
          points: { show: true, size: 7 },
        })),
      ],
      axes: [{}, { label: "Goldstein (daily mean)" }],
    },
    [xs, ...lines] as uPlot.AlignedData,
    target,
  );
}

function renderStanceHistory(direction: DyadDirection): HTMLElement {
  const section = element(
    "div",
    { class: "stance-history" },
    element("h4", {}, `${direction.source} toward ${direction.target}`),
  );
  const { current, history } = direction.stance;
  if (!current) {
    section.append(element("p", { class: "hint" }, "No stance recorded."));
    return section;
  }
  const list = element("ol", { class: "stances" });
  for (const record of [...history].reverse()) {
    const isCurrent =
      record === current ||
      (record.articleId === current.articleId && record.stance.id === current.stance.id);
    const item = element(
      "li",
      { class: `stance ${record.stance.polarity}${isCurrent ? " current" : ""}` },
      element("span", { class: `polarity ${record.stance.polarity}` }, record.stance.polarity),
      ` ${record.publishedAt.slice(0, 10)}${isCurrent ? " (current)" : ""} · confidence ${record.stance.confidence.toFixed(2)} · `,
      renderArticleLinks(record.articleId, record.version),
    );
    for (const evidence of record.stance.evidence)
      item.append(renderEvidence(evidence, record.articleId, record.version));
    list.append(item);
  }
  section.append(list);
  return section;
}

function renderEvent(record: EventRecord): HTMLElement {
  const { event } = record;
  return element(
    "li",
    { class: "event", "data-event-id": event.id },
    element(
      "div",
      { class: "event-head" },
      element("span", { class: "dot", style: `background:${colourForGoldstein(event.cameo.goldstein)}` }),
      `${event.date} · ${event.source.entity} → ${event.target?.entity ?? "—"} · ${event.cameo.code} ${event.cameo.name} (${formatGoldstein(event.cameo.goldstein)}) · ${event.modality} · `,
      renderArticleLinks(record.articleId, record.version, record.publisher),
    ),
    renderEvidence(event.evidence, record.articleId, record.version),
  );
}

async function showDyad(a: string, b: string): Promise<void> {
  const detail = byId<HTMLDivElement>("detail");
  byId("detail-title").textContent = `Dyad ${a} ⇄ ${b}`;
  byId("detail-hint").hidden = true;
  detail.replaceChildren(element("p", { class: "hint" }, "Loading…"));
  const answer = await fetchJson<DyadAnswer>(`/dyads/${encodeURIComponent(a)}/${encodeURIComponent(b)}`);
  detail.replaceChildren();
  detail.dataset.dyad = `${a}>${b}`;
  const summary = answer.directions
    .map((d) => `${d.source} → ${d.target}: ${d.eventCount} events`)
    .join(" · ");
  detail.append(element("p", { class: "summary" }, summary), element("h3", {}, "Goldstein per day"));
  renderSeriesChart(detail, answer);
  detail.append(element("h3", {}, "Stances"));
  for (const direction of answer.directions) detail.append(renderStanceHistory(direction));
  detail.append(element("h3", {}, `Events${answer.moreEvents ? " (latest)" : ""}`));
  const list = element("ol", { class: "events", id: "dyad-events" });
  for (const record of answer.events) list.append(renderEvent(record));
  if (answer.events.length === 0) list.append(element("li", { class: "hint" }, "No events between them."));
  detail.append(list);
  detail.dataset.ready = "true";
}

async function showActor(entity: string): Promise<void> {
  const detail = byId<HTMLDivElement>("detail");
  byId("detail-title").textContent = `Actor ${entity}`;
  byId("detail-hint").hidden = true;
  delete detail.dataset.ready;
  const answer = await fetchJson<{
    entity: string;
    asSource: { events: EventRecord[] };
    asTarget: { events: EventRecord[] };
    stancesHeld: StanceRecord[];
    stancesReceived: StanceRecord[];
  }>(`/actors/${encodeURIComponent(entity)}`);
  const stanceLine = (record: StanceRecord) =>
    element(
      "li",
      { class: `stance ${record.stance.polarity}` },
      `${record.stance.holder.entity} `,
      element("span", { class: `polarity ${record.stance.polarity}` }, record.stance.polarity),
      ` ${record.stance.target.entity} (${record.publishedAt.slice(0, 10)})`,
    );
  const events = element("ol", { class: "events" });
  for (const record of [...answer.asSource.events, ...answer.asTarget.events])
    events.append(renderEvent(record));
  detail.replaceChildren(
    element("h3", {}, "Current stances held"),
    element("ol", { class: "stances" }, ...answer.stancesHeld.map(stanceLine)),
    element("h3", {}, "Current stances received"),
    element("ol", { class: "stances" }, ...answer.stancesReceived.map(stanceLine)),
    element("h3", {}, "Recent events as source and as target"),
    events,
  );
}

function showError(error: unknown): void {
  const status = byId<HTMLParagraphElement>("stream-status");
  status.dataset.state = "error";
  status.textContent = `error: ${error instanceof Error ? error.message : String(error)}`;
}

connectStream((event) => {
  addToFeed(event);
  if (event["detail-type"] === "DiplomaticEventCoded" || event["detail-type"] === "ArticleCoded") {
    scheduleNetworkReload();
  }
});
loadNetwork().catch(showError);
byId<HTMLSelectElement>("network-period").addEventListener("change", () => {
  loadNetwork().catch(showError);
});

// For the browser tests and the curious: the network's cytoscape instance.
(window as unknown as { attacheDashboard: unknown }).attacheDashboard = {
  get cy() {
    return cy;
  },
};
