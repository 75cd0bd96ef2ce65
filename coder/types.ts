// The coder's public contract. Everything downstream (the store, the derived
// events, subscribers) builds on these shapes, so change them only additively.

/** An article as publishers send it (validated at the edge before it gets here). */
export interface Article {
  id: string;
  title: string;
  body: string;
  /** ISO 8601 date-time; relative dates in the text resolve against it. */
  publishedAt: string;
  url: string;
  /** The publisher (outlet), not an actor. */
  source: string;
  language?: string;
}

/** Who acts or is acted upon. `entity` is ISO 3166-1 alpha-3 or an organisation code. */
export interface Actor {
  entity: string;
  /** CAMEO role (GOV, MIL, OPP, REB, MED, ...), when the text shows one. */
  role?: string;
  /** Canonical name of the person or body when known ("Wang Yi", "the Kremlin"). */
  name?: string;
  /** The words in the text that named the actor here ("he", "Beijing"). */
  mention?: string;
}

/** A span of the article that proves a claim: `text === article[field].slice(start, end)`. */
export interface Evidence {
  field: "title" | "body";
  start: number;
  end: number;
  text: string;
}

/**
 * How the text presents the event:
 * - asserted: stated as fact in the author's voice;
 * - reported: attributed to a speaker ("X said Y did ...");
 * - intended: announced for the future, offered, pledged ("will", "ready to");
 * - alleged: claimed by one party and disputed.
 * Negated and hypothetical events are never emitted.
 */
export type Modality = "asserted" | "reported" | "intended" | "alleged";

export interface CameoCode {
  /** As specific as the text supports: "04", "042", "1041". */
  code: string;
  /** First two digits of `code`. */
  root: string;
  name: string;
  goldstein: number;
  /** 1 verbal cooperation, 2 material cooperation, 3 verbal conflict, 4 material conflict. */
  quadClass: 1 | 2 | 3 | 4;
}

export interface PloverCode {
  type: string;
  mode?: string;
  context?: string;
}

export interface CodedEvent {
  /** Stable: the same article content gives the same ids. */
  id: string;
  source: Actor;
  target: Actor | null;
  cameo: CameoCode;
  plover: PloverCode;
  modality: Modality;
  /** ISO date (YYYY-MM-DD) of the event, resolved from the text relative to publishedAt. */
  date: string;
  evidence: Evidence;
  /** Id of the dictionary entry or pattern that produced this event. */
  ruleId: string;
  /** In [0, 1]. */
  confidence: number;
}

export type Polarity = "support" | "oppose" | "neutral";

export interface Stance {
  /** Stable: the same article content gives the same ids. */
  id: string;
  holder: Actor;
  target: Actor;
  polarity: Polarity;
  confidence: number;
  evidence: Evidence[];
}

export interface CodedArticle {
  articleId: string;
  events: CodedEvent[];
  stances: Stance[];
}
