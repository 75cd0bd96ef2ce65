// One console line per event on the local bus, so a user sees the stream as it
// flows. Reads the detail defensively: the bus carries whatever publishers
// send, and a summary must never be the thing that fails.
import { DetailType } from "../events/routing.js";
import type { EventEnvelope } from "./event-bus.js";

const LABEL_WIDTH = 22;

type Loose = Record<string, unknown> | undefined;

const asObject = (value: unknown): Loose =>
  typeof value === "object" && value !== null && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : undefined;

const text = (value: unknown): string | undefined =>
  typeof value === "string" || typeof value === "number" ? String(value) : undefined;

function actorLabel(value: unknown): string {
  const actor = asObject(value);
  if (!actor) return "—";
  return [text(actor.entity) ?? "?", text(actor.role)].filter(Boolean).join(" ");
}

function shorten(value: string, max: number): string {
  return value.length > max ? `${value.slice(0, max - 1)}…` : value;
}

export function summarizeEvent(event: EventEnvelope, matchedRouteIds: readonly string[] = []): string {
  const detail = asObject(event.detail) ?? {};
  const articleId = text(detail.articleId) ?? text(detail.id) ?? "?";
  let body: string;
  switch (event["detail-type"]) {
    case DetailType.ArticlePublished: {
      const title = text(detail.title);
      const outlet = text(detail.source);
      body = [articleId, title ? `"${shorten(title, 70)}"` : undefined, outlet ? `(${outlet})` : undefined]
        .filter(Boolean)
        .join("  ");
      break;
    }
    case DetailType.ArticleCoded: {
      const events = Number(detail.eventCount ?? 0);
      const stances = Number(detail.stanceCount ?? 0);
      const version = text(detail.version);
      body = `${articleId}${version ? ` v${version}` : ""}  ${events} event${events === 1 ? "" : "s"}, ${stances} stance${stances === 1 ? "" : "s"}`;
      break;
    }
    case DetailType.DiplomaticEventCoded: {
      const coded = asObject(detail.event) ?? {};
      const cameo = asObject(coded.cameo) ?? {};
      body =
        `${actorLabel(coded.source)} → ${actorLabel(coded.target)}  ${text(cameo.code) ?? "?"} ${text(cameo.name) ?? ""}`.trimEnd();
      body += `  (${articleId})`;
      break;
    }
    case DetailType.StanceRecorded: {
      const stance = asObject(detail.stance) ?? {};
      body = `${actorLabel(stance.holder)} → ${actorLabel(stance.target)}  ${text(stance.polarity) ?? "?"}  (${articleId})`;
      break;
    }
    case DetailType.EventConfirmed: {
      // A mutual act (symmetric) has no direction: its entities are only in alphabetical order.
      const arrow = detail.symmetric === true ? "↔" : "→";
      const target = text(detail.target);
      const pair = target ? `${text(detail.source) ?? "?"} ${arrow} ${target}` : (text(detail.source) ?? "?");
      const publishers = text(detail.publisherCount);
      body = `${pair}  CAMEO ${text(detail.cameoRoot) ?? "?"}${publishers ? `  ${publishers} publishers` : ""}`;
      break;
    }
    case DetailType.StanceShifted: {
      const from = text(asObject(detail.from)?.polarity) ?? "?";
      const to = text(asObject(detail.to)?.polarity) ?? "?";
      body = `${text(detail.holder) ?? "?"} → ${text(detail.target) ?? "?"}  ${from} → ${to}`;
      break;
    }
    case DetailType.DyadTrendChanged: {
      const date = text(detail.date);
      body = `${text(detail.source) ?? "?"} → ${text(detail.target) ?? "?"}  ${text(detail.direction) ?? "?"}${date ? ` (${date})` : ""}`;
      break;
    }
    default:
      body = event.source;
  }
  const routes = matchedRouteIds.length > 0 ? `  → ${matchedRouteIds.join(", ")}` : "";
  return `${event["detail-type"].padEnd(LABEL_WIDTH)}${body}${routes}`;
}
