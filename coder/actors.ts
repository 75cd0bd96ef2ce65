// Stage 3 and 4: actor mentions and what they refer to. Gazetteer matches are
// grouped into noun phrases ("Ukrainian President Volodymyr Zelensky", "China's
// foreign ministry", "Wang Yi, China's top diplomat"), coordinated into groups
// ("Spain, Norway and Ireland", "US-Ukrainian"), and pronouns and descriptions
// ("he", "the two sides", "the bloc") resolve against the article so far.
import { MONTH_NAMES, WEEKDAYS } from "./dates.js";
import {
  FORM_START,
  formsAt,
  type LexEntry,
  type Lexicon,
  type MentionKind,
  startsForm,
} from "./dictionaries/compile.js";
import { type CompiledRules, longestPair, Word, wordRules } from "./rules/compile.js";
import type { Token } from "./tokens.js";

export interface ActorRef {
  entity?: string;
  role?: string;
  name?: string;
  mention: string;
  kind: MentionKind | "name" | "pronoun" | "description";
  /** True when the actor is a person (so "he"/"she" can refer to it). */
  person: boolean;
}

export interface NounPhrase {
  from: number;
  to: number;
  actors: ActorRef[];
  /** Followed by "'s". */
  possessive: boolean;
  /** Pronoun kind when the phrase is a pronoun ("person", "body", "plural", "speaker"). */
  pronoun: string | undefined;
  /** A modifier that is not an actor here ("Iran-aligned", "Norwegian-owned"). */
  modifierOnly: boolean;
  /** A description or title with no entity of its own, resolved from context. */
  described: boolean;
  /** A description of a group of three or more ("the three countries", "all three capitals"). */
  group: boolean;
  /** Only a capital or state name: a place after "in"/"at". */
  placeLike: boolean;
}

export interface ArticleContext {
  publishedIso: string;
  /** The publication day (YYYY-MM-DD) and its time, for officeholders' terms: found once per article. */
  day: string;
  dayTime: number;
  aliases: Map<string, ActorRef>;
  fullNamesSeen: Set<string>;
  lastSubject: ActorRef[];
  lastPerson: ActorRef[];
  lastPair: ActorRef[];
  /** The last subject made of three or more actors ("Spain, Norway and Ireland"). */
  lastGroup: ActorRef[];
  recentByKind: Map<string, ActorRef>;
  recentByRole: Map<string, ActorRef>;
  lastState?: ActorRef;
}

export function newContext(publishedIso: string): ArticleContext {
  return {
    publishedIso,
    day: publishedIso.slice(0, 10),
    dayTime: Date.parse(publishedIso.slice(0, 10)),
    aliases: new Map(),
    fullNamesSeen: new Set(),
    lastSubject: [],
    lastPerson: [],
    lastPair: [],
    lastGroup: [],
    recentByKind: new Map(),
    recentByRole: new Map(),
  };
}

interface Unit {
  from: number;
  to: number;
  entry: LexEntry | undefined;
  name: string | undefined;
  pronoun: string | undefined;
  pair: boolean;
  body: string | undefined;
  alias: ActorRef | undefined;
}

// Units, phrases and actor references are built by these factories with every field
// present and in one order: objects of one kind then share one hidden class, so the
// stages that read them run monomorphic instead of deoptimising on each new shape.

function newUnit(from: number, to: number): Unit {
  return {
    from,
    to,
    entry: undefined,
    name: undefined,
    pronoun: undefined,
    pair: false,
    body: undefined,
    alias: undefined,
  };
}

/** An actor reference; absent fields are `undefined`, which every reader treats as missing. */
export function actorRef(
  entity: string | undefined,
  role: string | undefined,
  name: string | undefined,
  mention: string,
  kind: ActorRef["kind"],
  person: boolean,
): ActorRef {
  return { entity, role, name, mention, kind, person };
}

/** The same actor named by other words. */
function withMention(a: ActorRef, mention: string): ActorRef {
  return actorRef(a.entity, a.role, a.name, mention, a.kind, a.person);
}

function nounPhrase(from: number, to: number, actors: ActorRef[]): NounPhrase {
  return {
    from,
    to,
    actors,
    possessive: false,
    pronoun: undefined,
    modifierOnly: false,
    described: false,
    group: false,
    placeLike: false,
  };
}

// Lower-case words inside a name ("Mohammed bin Salman", "Ursula von der Leyen").
const NAME_PARTICLES = new Set(["al", "bin", "bint", "da", "de", "van", "von", "der", "la", "el", "ibn"]);

// Capitalised words that start sentences or name months and days: never part of a person's name.
const NAME_STOP = new Set([
  "the",
  "a",
  "an",
  "in",
  "on",
  "at",
  "but",
  "and",
  "after",
  "before",
  "as",
  "while",
  "when",
  "under",
  "he",
  "she",
  "it",
  "they",
  "we",
  "i",
  "his",
  "her",
  "its",
  "their",
  "this",
  "that",
  "these",
  "those",
  "there",
  ...WEEKDAYS,
  ...MONTH_NAMES,
  "if",
  "should",
  "no",
  "not",
  "some",
  "many",
  "more",
  "most",
  "both",
  "all",
  "other",
  "hours",
  "later",
  "earlier",
  "speaking",
  "picture",
  "relations",
  "tensions",
  "thousands",
  "hundreds",
  "convoys",
  "training",
]);

function matchesCase(entry: LexEntry, tokens: Token[], i: number): boolean {
  if (entry.caseMode === "any") return true;
  if (entry.caseMode === "exact") {
    for (let k = 0; k < entry.raw.length; k++) {
      const want = entry.raw[k]!;
      const have = tokens[i + k]!.text;
      if (want !== have && want.toLowerCase() !== want && have !== want) return false;
    }
    return true;
  }
  // "cap": every capitalised word of the form is capitalised in the text.
  for (const k of entry.capAt) if (!tokens[i + k]!.cap) return false;
  return true;
}

function personValid(entry: LexEntry, ctx: ArticleContext): boolean {
  const day = ctx.day;
  if (entry.from && entry.from > day) return false;
  if (entry.to && entry.to < day) return false;
  if (entry.surnameOnly && entry.surnameAmbiguous && !ctx.fullNamesSeen.has(entry.name ?? "")) return false;
  return true;
}

function lookup(
  tokens: Token[],
  i: number,
  end: number,
  lex: Lexicon,
  ctx: ArticleContext,
): LexEntry | undefined {
  // Only the forms whose words match here, longest first: no scan of every form sharing the first word.
  const list = formsAt(lex, tokens, i, end);
  if (list.length === 0) return undefined;
  let best: LexEntry | undefined;
  let fallback: LexEntry | undefined;
  let fallbackDistance = Number.POSITIVE_INFINITY;
  // formsAt has matched every word of these forms and kept them before `end`: only case,
  // dates and context remain to check.
  for (const entry of list) {
    const n = entry.tokens.length;
    if (best && n < best.tokens.length) break;
    if (fallback && !best && n < fallback.tokens.length) break;
    if (!matchesCase(entry, tokens, i)) continue;
    if (entry.kind === "person" && !personValid(entry, ctx)) {
      // Out of office on this date: still the same person and nationality, so keep
      // the nearest term as a fallback (without the office's role).
      if (entry.surnameOnly && entry.surnameAmbiguous && !ctx.fullNamesSeen.has(entry.name ?? "")) continue;
      const distance = Math.min(
        entry.from ? Math.abs(entry.fromTime - ctx.dayTime) : Number.POSITIVE_INFINITY,
        entry.to ? Math.abs(entry.toTime - ctx.dayTime) : Number.POSITIVE_INFINITY,
      );
      if (distance < fallbackDistance) {
        fallback = entry;
        fallbackDistance = distance;
      }
      continue;
    }
    // "Brussels" stands for the Union more often than for Belgium.
    if (best && best.kind === "capital" && entry.kind === "orgSeat" && n === best.tokens.length) best = entry;
    if (!best) best = entry;
  }
  if (!best && fallback) {
    // Same fields in the same order as every entry (one hidden class), without the office.
    return { ...fallback, role: undefined, office: undefined };
  }
  return best;
}

function findUnits(
  tokens: Token[],
  flags: readonly number[],
  from: number,
  to: number,
  lex: Lexicon,
  rules: CompiledRules,
  ctx: ArticleContext,
): Unit[] {
  const units: Unit[] = [];
  let i = from;
  while (i < to) {
    const t = tokens[i]!;
    // Most words start no pair description, form or pronoun, and are neither "the" nor
    // capitalised: the paragraph's flags say so without reaching the word.
    if (
      t.kind !== "word" ||
      ((flags[i]! & (Word.pairStart | Word.pronoun | FORM_START)) === 0 && !t.cap && t.lower !== "the")
    ) {
      i++;
      continue;
    }
    // One read of what the rules know about this word: its pair descriptions and pronoun.
    const known = wordRules(rules, t);
    const pair = known.pairs ? longestPair(known.pairs, tokens, i, to) : 0;
    if (pair > 0) {
      const u = newUnit(i, i + pair);
      u.pair = true;
      units.push(u);
      i += pair;
      continue;
    }
    // Only a word some gazetteer form starts with can start an entry (the paragraph's flag says so).
    const entry = flags[i]! & FORM_START ? lookup(tokens, i, to, lex, ctx) : undefined;
    if (entry) {
      const u = newUnit(i, i + entry.tokens.length);
      u.entry = entry;
      units.push(u);
      i += entry.tokens.length;
      continue;
    }
    const pronoun = known.pronoun;
    if (pronoun && !(t.lower === "us" && t.text === "US")) {
      const u = newUnit(i, i + 1);
      u.pronoun = pronoun;
      units.push(u);
      i++;
      continue;
    }
    // "the bloc": the description's kind is remembered per word (`body`), and its flag
    // says whether there is one without a keyed read of the descriptions for every "the".
    if (t.lower === "the" && i + 1 < to && flags[i + 1]! & Word.body && !tokens[i + 1]!.cap) {
      const u = newUnit(i, i + 2);
      u.body = wordRules(rules, tokens[i + 1]!).body!;
      units.push(u);
      i += 2;
      continue;
    }
    // A run of capitalised words not in the gazetteer may be a person named beside a title.
    if (t.cap && !NAME_STOP.has(t.lower)) {
      let j = i;
      while (
        j < to &&
        tokens[j]!.kind === "word" &&
        (tokens[j]!.cap || NAME_PARTICLES.has(tokens[j]!.lower)) &&
        !startsForm(lex, tokens[j]!)
      )
        j++;
      // Hyphenated names ("Thomas-Greenfield", "al-Houthi").
      while (
        j + 1 < to &&
        tokens[j]!.text === "-" &&
        tokens[j]!.start === tokens[j - 1]!.end &&
        tokens[j + 1]!.cap
      )
        j += 2;
      if (j > i) {
        const alias = ctx.aliases.get(tokens[j - 1]!.lower);
        const u = newUnit(i, j);
        if (j - i === 1 && alias) u.alias = alias;
        else {
          let name = tokens[i]!.text;
          for (let k = i + 1; k < j; k++) name = `${name} ${tokens[k]!.text}`;
          u.name = name;
        }
        units.push(u);
        i = j;
        continue;
      }
    }
    i++;
  }
  return units;
}

function textOf(tokens: Token[], from: number, to: number, original: string): string {
  return original.slice(tokens[from]!.start, tokens[to - 1]!.end);
}

const HYPHEN_MODIFIERS = new Set([
  "aligned",
  "backed",
  "brokered",
  "run",
  "owned",
  "operated",
  "linked",
  "led",
  "made",
  "administered",
  "hosted",
  "drafted",
  "funded",
  "controlled",
  "held",
  "occupied",
  "flagged",
  "registered",
  "allied",
  "sponsored",
  "supported",
  "born",
]);

/**
 * Builds the noun phrases of one sentence. `original` is the field text (for mentions);
 * returns phrases in order, coordinated groups merged.
 */
export function findActors(
  tokens: Token[],
  flags: readonly number[],
  from: number,
  to: number,
  original: string,
  lex: Lexicon,
  rules: CompiledRules,
  ctx: ArticleContext,
): NounPhrase[] {
  const units = findUnits(tokens, flags, from, to, lex, rules, ctx);
  const sets = rules.sets;
  const phrases: NounPhrase[] = [];
  let u = 0;
  while (u < units.length) {
    const first = units[u]!;
    if (first.pronoun || first.pair || first.body) {
      phrases.push(makeSpecial(first, tokens, original, ctx, phrases));
      u++;
      continue;
    }
    // Extend over adjacent units: "U.S. Secretary of State Antony Blinken", "China's foreign ministry".
    let end = u;
    while (end + 1 < units.length) {
      const a = units[end]!;
      const b = units[end + 1]!;
      if (b.pronoun || b.pair || b.body) break;
      let k = a.to;
      let ok = true;
      while (k < b.from) {
        const w = tokens[k]!.lower;
        if (w === "'s" || sets.modifiers.has(w) || (w === "of" && isTitle(a))) k++;
        else {
          ok = false;
          break;
        }
      }
      // "companies Kyiv describes": a role noun does not take a bare place name after it.
      if (ok && isTitle(a) && b.entry && b.entry.kind !== "person" && a.to === b.from) ok = false;
      if (!ok) break;
      end++;
    }
    phrases.push(makePhrase(units.slice(u, end + 1), tokens, original, ctx));
    u = end + 1;
  }
  // Mark modifiers ("Iran-aligned") and possessives, and fold appositions.
  for (const p of phrases) {
    const next = tokens[p.to];
    const after = tokens[p.to + 1];
    if (
      next?.text === "-" &&
      next.start === tokens[p.to - 1]!.end &&
      after &&
      HYPHEN_MODIFIERS.has(after.lower)
    )
      p.modifierOnly = true;
    if (next?.lower === "'s") p.possessive = true;
  }
  const merged = foldAppositions(phrases, tokens);
  const grouped = coordinate(merged, tokens, sets);
  // "Spain, Norway and Ireland said ..., prompting Israel to recall envoys from all three capitals":
  // a group description takes a group of three or more named earlier in the same sentence.
  grouped.forEach((p, k) => {
    if (!p.group) return;
    for (let j = k - 1; j >= 0; j--) {
      const q = grouped[j]!;
      if (q.described || distinctEntities(q.actors) < 3) continue;
      const mention = p.actors[0]?.mention ?? textOf(tokens, p.from, p.to, original);
      p.actors = q.actors.map((a) => withMention(a, mention));
      break;
    }
  });
  for (const p of grouped) registerAliases(p, tokens, ctx);
  return grouped;
}

function isTitle(u: Unit): boolean {
  return u.entry?.kind === "title";
}

function makeSpecial(
  unit: Unit,
  tokens: Token[],
  original: string,
  ctx: ArticleContext,
  earlier: NounPhrase[] = [],
): NounPhrase {
  const mention = textOf(tokens, unit.from, unit.to, original);
  const base = nounPhrase(unit.from, unit.to, []);
  base.described = true;
  if (unit.pronoun) {
    base.pronoun = unit.pronoun;
    return base;
  }
  if (unit.pair) {
    // "the three countries" is the last group of three or more; "the two sides" the last pair.
    const many = /\b(three|four|five|all)\b/.test(mention.toLowerCase());
    if (many) base.group = true;
    const refs = many && ctx.lastGroup.length >= 3 ? ctx.lastGroup : ctx.lastPair;
    base.actors = refs.map((a) => withMention(a, mention));
    return base;
  }
  const kind = unit.body!;
  let ref: ActorRef | undefined;
  // "the European Union's border ... if the bloc": an earlier mention in the same sentence is the latest.
  for (let k = earlier.length - 1; k >= 0 && !ref; k--) {
    const a = earlier[k]!.actors.find((x) => x.entity && x.kind !== "vague");
    if (!a || earlier[k]!.described) continue;
    const isOrg = a.kind === "org" || a.kind === "orgMember" || a.kind === "orgSeat";
    // Only organisations: "the country" more often names the article's topic than the latest state.
    if (kind === "org" && isOrg) ref = a;
  }
  if (ref) {
    base.actors = [withMention(ref, mention)];
    return base;
  }
  if (kind === "org") ref = ctx.recentByKind.get("org");
  else if (kind === "group") ref = ctx.recentByKind.get("group") ?? ctx.lastState;
  else ref = ctx.lastState;
  if (ref) base.actors = [withMention(ref, mention)];
  return base;
}

function makePhrase(units: Unit[], tokens: Token[], original: string, ctx: ArticleContext): NounPhrase {
  // tokens[from - 1] tells a definite description from a bare role noun.
  const from = units[0]!.from;
  const to = units[units.length - 1]!.to;
  const mention = textOf(tokens, from, to, original);
  let entity: string | undefined;
  let role: string | undefined;
  let name: string | undefined;
  let person = false;
  let kind: ActorRef["kind"] = "name";
  let titleRole: string | undefined;
  let hasTitle = false;
  let vague = false;
  let onlyPlace = true;
  for (const u of units) {
    if (u.entry) {
      const e = u.entry;
      if (e.kind === "vague") vague = true;
      if (e.kind === "title") {
        hasTitle = true;
        titleRole = titleRole ?? e.role;
      }
      if (e.kind === "person") {
        person = true;
        name = e.name;
        entity = entity ?? e.entity;
        role = role ?? e.role;
        ctx.fullNamesSeen.add(e.name ?? "");
      } else if (e.entity && !entity) {
        entity = e.entity;
        kind = e.kind;
        role = role ?? e.role;
      }
      if (!(e.kind === "capital" || e.kind === "state")) onlyPlace = false;
    } else if (u.alias) {
      entity = entity ?? u.alias.entity;
      role = role ?? u.alias.role;
      name = u.alias.name;
      person = u.alias.person;
      onlyPlace = false;
    } else if (u.name) {
      onlyPlace = false;
      if (hasTitle || units.length > 1) {
        name = u.name;
        person = true;
      }
    }
  }
  if (units.length === 1 && units[0]!.name) {
    // A bare unknown capitalised run is not an actor on its own, but an apposition
    // can give it one ("Ali Shamkhani, secretary of Iran's ...").
    const bare = nounPhrase(from, to, [
      actorRef(undefined, undefined, units[0]!.name, mention, "name", true),
    ]);
    bare.modifierOnly = true;
    return bare;
  }
  // Only a definite description ("the foreign ministry") or a titled name ("Foreign
  // Minister Eli Cohen") refers back; bare role nouns ("reporters", "officials") do not.
  const definite = tokens[from - 1]?.lower === "the" && units.length === 1;
  const described = !entity && !vague && ((hasTitle && definite) || (person && !!name));
  if (!entity && described) {
    // "the foreign ministry", "Foreign Minister Eli Cohen": the actor of that role in the article so far.
    // A plural one ("the leaders") is more often the bloc just named than a single state.
    const plural = tokens[to - 1]!.lower.endsWith("s") && !name;
    const byRole = titleRole ? ctx.recentByRole.get(titleRole) : undefined;
    const ref = (plural ? ctx.recentByKind.get("org") : undefined) ?? byRole ?? ctx.lastState;
    if (ref?.entity) entity = ref.entity;
  }
  const shownRole = titleRole ?? role;
  const actor = actorRef(
    entity && !vague ? entity : undefined,
    shownRole ? shownRole : undefined,
    name ? name : undefined,
    mention,
    person ? "person" : vague ? "vague" : kind,
    person || (hasTitle && titleRole === "GOV" && !!name),
  );
  const phrase = nounPhrase(from, to, [vague && !entity ? withMention(actor, mention) : actor]);
  phrase.described = described;
  phrase.placeLike = onlyPlace && units.length === 1;
  return phrase;
}

/** "Wang Yi, China's top diplomat," and "A senior Houthi official, Mohammed Ali al-Houthi," are one actor. */
function foldAppositions(phrases: NounPhrase[], tokens: Token[]): NounPhrase[] {
  const out: NounPhrase[] = [];
  for (let i = 0; i < phrases.length; i++) {
    const a = phrases[i]!;
    const b = phrases[i + 1];
    if (b && tokens[a.to]?.text === "," && !a.pronoun && !b.pronoun) {
      let k = a.to + 1;
      while (k < b.from && ["the", "a", "an"].includes(tokens[k]!.lower)) k++;
      const aActor = a.actors[0];
      const bActor = b.actors[0];
      const aName = aActor?.name && !a.possessive;
      const bName = bActor?.name;
      const bTitled = bActor && bActor.role !== undefined;
      const aTitled = aActor && aActor.role !== undefined;
      const closes = tokens[b.to]?.text === "," || tokens[b.to]?.text === "." || b.to >= tokens.length;
      if (
        k === b.from &&
        aActor &&
        bActor &&
        closes &&
        (aActor.entity || bActor.entity) &&
        ((aName && bTitled && !bName) || (aTitled && bName && !aName))
      ) {
        const entity = aActor.entity ?? bActor.entity;
        const role = aActor.role ?? bActor.role;
        const mergedActor = actorRef(
          entity ? entity : aActor.entity,
          role ? role : undefined,
          aActor.name ?? bActor.name,
          aActor.mention,
          "person",
          true,
        );
        const merged = nounPhrase(a.from, b.to, [mergedActor]);
        merged.possessive = b.possessive;
        merged.pronoun = a.pronoun;
        merged.modifierOnly = a.modifierOnly;
        merged.group = a.group;
        out.push(merged);
        i++;
        continue;
      }
    }
    out.push(a);
  }
  return out;
}

const PREPS_BEFORE = new Set(["of", "to", "with", "from", "against", "on", "for", "by", "in", "at"]);
const VERBISH = new Set([
  "have",
  "has",
  "had",
  "is",
  "are",
  "was",
  "were",
  "will",
  "would",
  "said",
  "say",
  "says",
  "also",
  "could",
  "can",
  "did",
  "must",
  "should",
]);

const AND_JOINS = new Set([
  "and",
  ", and",
  "as well as",
  "and other",
  "and the",
  ", and the",
  "or",
  "&",
  "and his",
  "and her",
  "and their",
]);
/** Tokens in the longest joining sequence of AND_JOINS and the comma and hyphen joins below. */
const MAX_JOIN_TOKENS = 3;

/** The lower-case words of tokens [from, to) joined by spaces (at most MAX_JOIN_TOKENS of them). */
function joinedLower(tokens: Token[], from: number, to: number): string {
  if (to - from === 1) return tokens[from]!.lower;
  let out = "";
  for (let k = from; k < to; k++) out = k === from ? tokens[k]!.lower : `${out} ${tokens[k]!.lower}`;
  return out;
}

function coordinate(phrases: NounPhrase[], tokens: Token[], sets: CompiledRules["sets"]): NounPhrase[] {
  const out: NounPhrase[] = [];
  let i = 0;
  while (i < phrases.length) {
    let cur = phrases[i]!;
    let j = i;
    let sawAnd = false;
    const members = [cur];
    while (j + 1 < phrases.length) {
      const next = phrases[j + 1]!;
      // Every joining word sequence is at most three tokens: a longer gap joins nothing,
      // and is not sliced and joined to find that out.
      const gapFrom = members[members.length - 1]!.to;
      if (next.from - gapFrom > MAX_JOIN_TOKENS) break;
      const joined = joinedLower(tokens, gapFrom, next.from);
      // "Wang and his Australian counterpart Penny Wong".
      const isAnd = AND_JOINS.has(joined);
      const isHyphen = joined === "-" || joined === "/" || joined === "- and";
      const isComma = joined === "," || joined === ", the";
      if (!(isAnd || isHyphen || isComma)) break;
      if (next.modifierOnly && !isHyphen) break;
      // "an ally of Russia and NATO members have branded ...": the second phrase starts a clause.
      if (
        isAnd &&
        members.length === 1 &&
        PREPS_BEFORE.has(tokens[cur.from - 1]?.lower ?? "") &&
        VERBISH.has(tokens[next.to]?.lower ?? "")
      )
        break;
      // "the summit in southern Italy, Biden and Zelensky signed": a place after a preposition
      // does not head a list of actors.
      if (
        isComma &&
        members.length === 1 &&
        cur.placeLike &&
        !next.placeLike &&
        (PREPS_BEFORE.has(tokens[cur.from - 1]?.lower ?? "") ||
          PREPS_BEFORE.has(tokens[cur.from - 2]?.lower ?? ""))
      )
        break;
      if (isAnd || isHyphen) sawAnd = true;
      members.push(next);
      j++;
      if (isAnd) break;
    }
    // A comma alone does not make a list ("In Washington, White House spokesman ...").
    if (members.length > 1 && !sawAnd) {
      out.push(cur);
      i++;
      continue;
    }
    if (members.length > 1) {
      const last = members[members.length - 1]!;
      const actors: ActorRef[] = [];
      for (const m of members) if (!m.modifierOnly) for (const a of m.actors) actors.push(a);
      const list = nounPhrase(cur.from, last.to, actors);
      list.possessive = last.possessive;
      list.modifierOnly = actors.length === 0;
      list.described = members.every((m) => m.described);
      if (members.some((m) => m.pronoun)) list.pronoun = "mixed";
      cur = list;
      out.push(cur);
      i = j + 1;
      continue;
    }
    out.push(cur);
    i++;
  }
  void sets;
  return out;
}

// The same few names recur in every article: split each once.
const LAST_PARTS = new Map<string, string>();
function lastNamePart(name: string): string {
  let last = LAST_PARTS.get(name);
  if (last === undefined) {
    const parts = name.split(/\s+/);
    last = parts[parts.length - 1]!;
    if (LAST_PARTS.size < 50_000) LAST_PARTS.set(name, last);
  }
  return last;
}

function registerAliases(p: NounPhrase, tokens: Token[], ctx: ArticleContext): void {
  for (const a of p.actors) {
    if (!a.entity) continue;
    if (a.kind === "org" || a.kind === "orgMember" || a.kind === "orgSeat") ctx.recentByKind.set("org", a);
    else if (a.kind === "group") ctx.recentByKind.set("group", a);
    else if (a.kind !== "vague") ctx.lastState = a;
    if (a.role) ctx.recentByRole.set(a.role, a);
    if (a.name && a.person) {
      const last = lastNamePart(a.name);
      const surname = last.toLowerCase();
      if (!ctx.aliases.has(surname)) ctx.aliases.set(surname, withMention(a, last));
    }
  }
  void tokens;
}

/** How many different entities the actors name (a few actors: no Set built per call). */
export function distinctEntities(actors: readonly ActorRef[]): number {
  let n = 0;
  for (let i = 0; i < actors.length; i++) {
    const e = actors[i]!.entity;
    if (!e) continue;
    let seen = false;
    for (let j = 0; j < i && !seen; j++) seen = actors[j]!.entity === e;
    if (!seen) n++;
  }
  return n;
}

/** Resolve a pronoun phrase against the context (the subject of the previous main event). */
export function resolvePronoun(
  kind: string,
  ctx: ArticleContext,
  speaker: ActorRef[] | undefined,
): ActorRef[] {
  if (kind === "speaker") return speaker ?? ctx.lastSubject;
  // "Spain, Norway and Ireland said they would ...": a plural pronoun in speech is a plural speaker.
  // "The Houthis say they are ...": likewise for an armed group speaking of itself.
  if (
    kind === "plural" &&
    speaker &&
    (speaker.length > 1 ||
      speaker.some(
        (a) => a.kind === "group" || (!a.person && /^[a-z]+s$/.test(a.mention.split(/\s+/).pop() ?? "")),
      ))
  )
    return speaker;
  if (speaker && speaker.length > 0 && (kind === "person" || kind === "body")) {
    if (kind === "person" ? speaker.some((s) => s.person) : true) return speaker;
  }
  if (kind === "person") return ctx.lastPerson.length ? ctx.lastPerson : ctx.lastSubject;
  if (kind === "plural")
    return ctx.lastSubject.length > 1
      ? ctx.lastSubject
      : ctx.lastPair.length
        ? ctx.lastPair
        : ctx.lastSubject;
  return ctx.lastSubject.filter((a) => !a.person).length ? ctx.lastSubject : ctx.lastSubject;
}
