// Deterministic ids for derived events: the same stored item always yields the same key,
// so subscribers can de-duplicate redeliveries, stream retries and archive replays.
import { DetailType } from "../../events/routing.js";

export function createArticleCodedKey(articleId: string, version: number): string {
  return `${DetailType.ArticleCoded}#${articleId}#${version}`;
}

export function createDiplomaticEventKey(articleId: string, version: number, eventId: string): string {
  return `${DetailType.DiplomaticEventCoded}#${articleId}#${version}#${eventId}`;
}

export function createStanceKey(articleId: string, version: number, stanceId: string): string {
  return `${DetailType.StanceRecorded}#${articleId}#${version}#${stanceId}`;
}
