// Stages 5 to 7: clauses, events and stances, run sentence by sentence in
// article order so that pronouns and descriptions can look back.
import {
  type ActorRef,
  type ArticleContext,
  distinctEntities,
  findActors,
  type NounPhrase,
  newContext,
  resolvePronoun,
} from "./actors.js";
import {
  type DateMention,
  type DayDate,
  daysBetween,
  findDates,
  formatDate,
  MONTH_ABBREVIATIONS,
  MONTH_NAMES,
  parsePublished,
  WEEKDAYS,
} from "./dates.js";
import { FORM_START, type Lexicon, startsForm } from "./dictionaries/compile.js";
import type { CameoCodeEntry } from "./dictionaries/types.js";
import { hashText } from "./hash.js";
import {
  type CompiledCue,
  type CompiledRules,
  type CueRule,
  Word,
  wordFlags,
  wordRules,
} from "./rules/compile.js";
import { sentenceFlags, sentenceIndex } from "./scratch.js";
import { splitSentences } from "./sentences.js";
import { datelineLength, normaliseShadow, splitParagraphs } from "./text.js";
import { type Token, tokenize } from "./tokens.js";
import type {
  Actor,
  Article,
  CodedArticle,
  CodedEvent,
  Evidence,
  Modality,
  PloverCode,
  Polarity,
  Stance,
} from "./types.js";

export interface CodeOptions {
  /** Keep events without a target (statements, untargeted force). Off by default. */
  includeUntargeted?: boolean;
  /** Keep events the text dates long before publication. Off by default. */
  includeBackground?: boolean;
}

interface Sentence {
  field: "title" | "body";
  text: string;
  tokens: Token[];
  /**
   * What each token of the paragraph is (`Word` classes, and FORM_START), read once per
   * token when the paragraph is tokenised: every later scan reads this array instead of
   * going through the token to its word.
   */
  flags: number[];
  from: number;
  to: number;
}

interface CueHit {
  cue: CompiledCue;
  head: number;
  from: number;
  to: number;
  indices: number[];
}

interface Clause {
  from: number;
  to: number;
  opener: string;
  relative: boolean;
  hypothetical: boolean;
  subject?: ActorRef[];
  subjectNp?: NounPhrase;
  /** The speaker when the clause is reported speech. */
  speaker?: ActorRef[];
  /** Set when the clause is what someone demands of another ("X must ..."): its cues are not deeds. */
  demanded: boolean;
  /** Intent marker carried over from a coordinated clause ("will send ... and train"). */
  carriedIntent?: string;
  /** Whether the clause places its acts in the past ("for years"), once asked. */
  longAgo?: boolean;
}

/** The first clause holding token `at`, if any (what `clauses.find` with a range test gave, without a closure per call). */
function clauseAt(clauses: readonly Clause[], at: number): Clause | undefined {
  for (let c = 0; c < clauses.length; c++) {
    const cl = clauses[c]!;
    if (at >= cl.from && at < cl.to) return cl;
  }
  return undefined;
}

interface Candidate {
  source: ActorRef;
  target: ActorRef | null;
  code: string;
  rule: CueRule | { id: string; stance?: CueRule["stance"] };
  modality: Modality;
  sentence: Sentence;
  date: DayDate;
  confidence: number;
  background: boolean;
}

interface RecentEvent {
  sources: ActorRef[];
  targets: ActorRef[];
  sentence: number;
  root: string;
  /** Root of the cue before intent or negation changed it ("will send" keeps 07). */
  baseRoot: string;
  /** A joint act between the sources ("agreed to restore ties", "joint statement"). */
  joint: boolean;
}

const INTENT_BY_ROOT: Record<string, string> = {
  "04": "036",
  "05": "032",
  "06": "031",
  "07": "033",
  "08": "035",
};
const THREAT_BY_ROOT: Record<string, string> = {
  "15": "138",
  "16": "131",
  "17": "137",
  "18": "138",
  "19": "138",
  "20": "138",
};
const SKIP_BEFORE_TO = new Set([
  "on",
  "in",
  "for",
  "weeks",
  "days",
  "months",
  "years",
  "week",
  "last",
  "this",
  "formally",
  "finally",
  "also",
  "earlier",
  "later",
  "again",
  "unanimously",
  "initially",
  "now",
  "today",
  "yesterday",
  "publicly",
  "quickly",
  "jointly",
]);
const SPECULATIVE_BEFORE_THAT = new Set([
  "likely",
  "unlikely",
  "possible",
  "impossible",
  "doubtful",
  "unclear",
  "uncertain",
]);
// A verb that judges or refuses a thing absorbs the event noun it governs ("called off the summit").
const ABSORBING_ROOTS = new Set(["02", "05", "10", "11", "12", "13", "16"]);
const AUTHORING = new Set([
  "drafted",
  "sponsored",
  "co-sponsored",
  "proposed",
  "submitted",
  "tabled",
  "authored",
  "presented",
  "put",
  "brokered",
]);
const SENDING = new Set([
  "sent",
  "provided",
  "delivered",
  "dispatched",
  "supplied",
  "organised",
  "organized",
  "funded",
  "donated",
]);
const MOVEMENT = new Set(["entered", "crossed", "reached", "arrived", "docked", "landed", "delivered"]);
const DECIDED = new Set(["agree", "decide", "decided", "resolved"]);
const BACKGROUND_PHRASES = [
  ["in", "the", "past"],
  ["in", "recent", "years"],
  ["for", "years"],
  ["for", "decades"],
  ["over", "the", "years"],
  ["has", "long"],
  ["have", "long"],
  ["had", "long"],
];

/** First words of BACKGROUND_PHRASES. */
const BACKGROUND_STARTS = [...new Set(BACKGROUND_PHRASES.map((ph) => ph[0]!))];

/**
 * Whether `word` is one of a few `words`. Token words are internalized strings, so each
 * comparison is a pointer test, where a Set lookup would read the string's hash first.
 */
function isOneOf(word: string, words: readonly string[]): boolean {
  for (const w of words) if (w === word) return true;
  return false;
}

/** Whether a background phrase ("in the past", "for years") lies wholly inside [from, to). */
function mentionsLongAgo(tokens: Token[], from: number, to: number): boolean {
  for (let k = from; k < to; k++) {
    if (!isOneOf(tokens[k]!.lower, BACKGROUND_STARTS)) continue;
    for (const ph of BACKGROUND_PHRASES) {
      if (k + ph.length > to) continue;
      let n = 0;
      while (n < ph.length && tokens[k + n]!.lower === ph[n]) n++;
      if (n === ph.length) return true;
    }
  }
  return false;
}
const THREATENING = new Set(["threaten", "threatened", "threatens", "threatening"]);
const GERUND_PREPS = new Set(["of", "for", "against"]);

/** "accused China of supplying Russia": a gerund cue after "of", "for" or "against", the act alleged or warned against. */
function isGerundComplement(c: CueHit, tokens: readonly Token[]): boolean {
  return (
    GERUND_PREPS.has(tokens[c.head - 1]?.lower ?? "") && tokens[c.head]!.lower.endsWith("ing") && c.cue.isVerb
  );
}

/** "that negotiations ... had ended": whether the cue at token `k` is a noun (it opens a complement, not a relative). */
function nounCueAt(cues: readonly CueHit[], cueAt: Int32Array, from: number, k: number): boolean {
  return cues[cueAt[k - from]!]?.cue.rule.pos === "noun";
}

/** A passive subject ("Casey was summoned") is a patient, not the actor of the clause. */
function isPatient(c: Clause, tokens: readonly Token[], be: ReadonlySet<string>): boolean {
  if (!c.subjectNp) return false;
  for (let k = c.subjectNp.to; k < Math.min(c.to - 1, c.subjectNp.to + 4); k++) {
    const w = tokens[k]!.lower;
    if (w !== "'s" && be.has(w)) return /ed$/.test(tokens[k + 1]!.lower);
  }
  return false;
}
const NOMINAL_BEFORE = new Set([
  "'s",
  "voiced",
  "expressed",
  "reaffirmed",
  "pledged",
  "declared",
  "full",
  "strong",
  "firm",
  "unwavering",
  "continued",
  "military",
  "political",
]);
const COPULAS = new Set(["amounted", "amounts", "amount", "constitutes", "constituted", "constitute"]);
const HOSTS = new Set(["hosts", "host", "hosting"]);
const MANDATIVE = new Set([
  "suggest",
  "suggested",
  "suggests",
  "propose",
  "proposed",
  "proposes",
  "recommend",
  "recommended",
  "recommends",
  "insist",
  "insisted",
  "insists",
  "demand",
  "demanded",
  "demands",
  "demanding",
  "urge",
  "urged",
  "urges",
  "request",
  "requested",
  "requests",
]);
const INSISTING = new Set(["insist", "insisted", "insists", "demand", "demanded", "demands", "demanding"]);
const NOT_BARE = new Set([
  "has",
  "had",
  "have",
  "did",
  "does",
  "do",
  "said",
  "told",
  "was",
  "were",
  "and",
  "or",
  "as",
]);
const REQUEST_NOUNS = new Set([
  "call",
  "calls",
  "demand",
  "demands",
  "proposal",
  "proposals",
  "plan",
  "request",
  "requests",
  "offer",
  "bid",
  "appeal",
  "appeals",
]);
const VERBAL_REACTIONS = new Set(["01", "02", "10", "11", "12"]);
const DEONTIC = new Set(["should", "must", "ought"]);
// A multi-word cue does not reach across these.
const CUE_STOPS = new Set([".", ";", ":"]);
const OBJECT_PRONOUNS = new Set(["him", "her", "them", "it", "us"]);
const DATE_WORDS = new Set([...WEEKDAYS, ...MONTH_NAMES, ...MONTH_ABBREVIATIONS, "time", "behalf"]);
const FILLER = new Set([
  "also",
  "then",
  "swiftly",
  "formally",
  "sharply",
  "strongly",
  "firmly",
  "again",
  "quickly",
  "jointly",
  "later",
  "already",
  "now",
  "just",
  "immediately",
  "repeatedly",
  "reportedly",
  "allegedly",
  "officially",
  "publicly",
  "fully",
  "still",
  "previously",
  "deeply",
  "initially",
  "once",
  "further",
  "even",
]);

const NO_PHRASES: string[][] = [];
/** Positions of a cue's words while it is matched (see findCues). */
let cueScratch = new Int32Array(8);

/**
 * The date expressions of a sentence, found when an event first needs its date: most
 * sentences code no event, and for them the dates are never looked for.
 */
class SentenceDates {
  private found: DateMention[] | undefined;
  constructor(
    private readonly tokens: Token[],
    private readonly from: number,
    private readonly to: number,
    private readonly published: DayDate,
  ) {}
  list(): DateMention[] {
    this.found ??= findDates(this.tokens, this.from, this.to, this.published);
    return this.found;
  }
}

export class Engine {
  constructor(
    readonly lex: Lexicon,
    readonly rules: CompiledRules,
  ) {}

  code(article: Article, options: CodeOptions = {}): CodedArticle {
    const published = parsePublished(article.publishedAt);
    const candidates: Candidate[] = [];
    const neutral: Array<{ holder: ActorRef; targets: ActorRef[]; sentence: Sentence }> = [];
    // Body first: the headline repeats it, and coreference runs in reading order.
    for (const field of ["body", "title"] as const) {
      const text = typeof article[field] === "string" ? article[field] : "";
      const ctx = newContext(article.publishedAt);
      const recent: RecentEvent[] = [];
      const sentences = this.sentencesOf(text, field);
      sentences.forEach((s, idx) => {
        this.codeSentence(s, idx, ctx, recent, published, candidates, neutral);
      });
    }
    return this.assemble(article, candidates, neutral, options);
  }

  sentencesOf(text: string, field: "title" | "body"): Sentence[] {
    const shadow = normaliseShadow(text);
    const out: Sentence[] = [];
    for (const para of splitParagraphs(shadow)) {
      const skip = datelineLength(shadow, para);
      const tokens = tokenize(shadow, para.start + skip, para.end);
      const flags: number[] = [];
      for (const t of tokens)
        flags.push(wordFlags(this.rules, t) | (startsForm(this.lex, t) ? FORM_START : 0));
      for (const [from, to] of splitSentences(tokens)) {
        if (to > from) out.push({ field, text, tokens, flags, from, to });
      }
    }
    return out;
  }

  // --- cues -----------------------------------------------------------------

  findCues(s: Sentence, npAt: Int32Array): CueHit[] {
    const hits: CueHit[] = [];
    const used = sentenceFlags(s.to - s.from);
    const { tokens } = s;
    for (let i = s.from; i < s.to; i++) {
      // Few words start a cue: the paragraph's flags say which without reaching the word.
      if ((s.flags[i]! & Word.cueStart) === 0 || used[i - s.from]) continue;
      const list = wordRules(this.rules, tokens[i]!).cues;
      if (!list) continue;
      for (const cue of list) {
        // Word positions go to a scratch array; the hit's own array is made only for a match.
        const n = cue.words.length;
        if (cueScratch.length < n) cueScratch = new Int32Array(n * 2);
        cueScratch[0] = i;
        let pos = i;
        let ok = true;
        const gap = cue.rule.gap ?? 0;
        for (let w = 1; w < n; w++) {
          let found = -1;
          for (let k = pos + 1; k <= Math.min(s.to - 1, pos + 1 + gap); k++) {
            if (cue.words[w]!.has(tokens[k]!.lower)) {
              found = k;
              break;
            }
            // The stops are punctuation: a word is never one.
            if (tokens[k]!.kind === "punct" && CUE_STOPS.has(tokens[k]!.text)) break;
          }
          if (found < 0) {
            ok = false;
            break;
          }
          cueScratch[w] = found;
          pos = found;
        }
        if (!ok) continue;
        // A cue word inside a name ("Security Council", "Foreign Office") is not a cue.
        if (npAt[i - s.from]! >= 0 && cue.rule.pos !== "phrase") continue;
        // "voiced support for X", "its full backing": a verb form used as a noun gives way to the noun reading.
        if (
          cue.rule.pos === "verb" &&
          cue.words.length === 1 &&
          list.some((c) => c.rule.pos === "noun") &&
          ((this.rules.sets.determiners.has(tokens[i - 1]?.lower ?? "") && tokens[i - 1]?.lower !== "that") ||
            NOMINAL_BEFORE.has(tokens[i - 1]?.lower ?? ""))
        )
          continue;
        // "called the decision dangerous" judges; "called Kral" phones: the evaluation decides.
        if (cue.rule.evaluative && !this.evaluate(tokens, i + 1, s.to, s.to)) continue;
        const indices: number[] = [];
        for (let w = 0; w < n; w++) indices.push(cueScratch[w]!);
        const to = indices[indices.length - 1]! + 1;
        hits.push({ cue, head: i, from: i, to, indices });
        // The cue's own words are spent ("scrap punitive tariffs" is not also "tariffs").
        for (const k of indices) used[k - s.from] = 1;
        break;
      }
    }
    return hits;
  }

  // --- sentences --------------------------------------------------------------

  codeSentence(
    s: Sentence,
    sentenceIdx: number,
    ctx: ArticleContext,
    recent: RecentEvent[],
    published: DayDate,
    out: Candidate[],
    neutral: Array<{ holder: ActorRef; targets: ActorRef[]; sentence: Sentence }>,
  ): void {
    const { tokens } = s;
    const sets = this.rules.sets;
    const nps = findActors(tokens, s.flags, s.from, s.to, s.text, this.lex, this.rules, ctx);
    const npAt = sentenceIndex(0, s.to - s.from);
    for (let k = 0; k < nps.length; k++) {
      const np = nps[k]!;
      for (let i = np.from; i < np.to; i++) npAt[i - s.from] = k;
    }
    const cues = this.findCues(s, npAt);
    const cueAt = sentenceIndex(1, s.to - s.from);
    for (let k = 0; k < cues.length; k++) {
      const indices = cues[k]!.indices;
      for (let n = 0; n < indices.length; n++) cueAt[indices[n]! - s.from] = k;
    }
    const speechAt = this.findSpeech(s, npAt, cueAt);
    const clauses = this.splitClauses(s, npAt, cueAt, speechAt, cues);
    const dates = new SentenceDates(tokens, s.from, s.to, published);

    // Subjects, in order, with inheritance for clauses that have none.
    let prevSubject: ActorRef[] | undefined;
    let prevNp: NounPhrase | undefined;
    for (let c = 0; c < clauses.length; c++) {
      const cl = clauses[c]!;
      const np = this.subjectIn(
        nps,
        cl.from,
        firstVerbish(s, cl, cueAt, speechAt, this.rules, cues),
        tokens,
        sets,
      );
      // "U.S. and British warplanes, warships and a submarine struck": a bare role noun continuing
      // a list keeps the list's subject.
      const continues =
        !!np &&
        !!prevSubject?.some((a) => a.entity) &&
        np.actors.length > 0 &&
        np.actors.every((a) => !a.entity && a.kind !== "vague") &&
        (tokens[cl.from - 1]?.text === "," || tokens[cl.from]?.lower === "and");
      if (np && !continues) {
        cl.subjectNp = np;
        cl.subject = this.resolve(np, ctx, undefined);
        // "... the failure of the two generals ..., if they continued": the nearest plural mention.
        const reporterSubject = c > 0 && cl.opener === "that" ? clauses[c - 1]!.subject : undefined;
        if (np.pronoun === "plural" && reporterSubject?.some((a) => a.entity && !a.person)) {
          // "the leaders accused ..., and warned that they would ...": the warners.
          cl.subject = reporterSubject;
        } else if (np.pronoun === "plural") {
          const plural = [...nps]
            .reverse()
            .find(
              (p) =>
                p.to <= np.from &&
                !p.pronoun &&
                !p.modifierOnly &&
                p.actors.length >= 2 &&
                p.actors.some((a) => a.entity),
            );
          if (plural) cl.subject = plural.actors;
        }
      } else if (continues) {
        cl.subject = prevSubject;
        cl.subjectNp = prevNp;
      } else if (cl.relative) {
        const ante = [...nps]
          .reverse()
          .find(
            (p) =>
              p.to <= cl.from && p.actors.length > 0 && !p.modifierOnly && adjacentAntecedent(p, cl, tokens),
          );
        if (ante) {
          cl.subject = this.resolve(ante, ctx, undefined);
          cl.subjectNp = ante;
        }
      } else if (prevSubject) {
        cl.subject = prevSubject;
        cl.subjectNp = prevNp;
      }
      if (cl.subject) {
        prevSubject = cl.subject;
        prevNp = cl.subjectNp;
      }
    }
    // A fronted phrase ("In a joint statement, X and Y said") takes the main clause's subject.
    if (clauses.length > 1 && !clauses[0]!.subject) {
      const main = clauses.find((c) => c.subject);
      if (main) clauses[0]!.subject = main.subject;
    }

    // Reported speech: the speaker owns the content.
    for (const v of speechAt) {
      const cl = clauseAt(clauses, v.at)!;
      let speaker = cl.subject;
      const before = this.subjectIn(nps, cl.from, v.at, tokens, sets);
      if (!before && !v.forward) {
        // "..., said Wang" / "according to the ministry".
        const after = nps.find(
          (p) => p.from > v.at && p.from <= v.at + 3 && !p.modifierOnly && p.actors.length > 0,
        );
        if (after) speaker = this.resolve(after, ctx, undefined);
      }
      if (!speaker || speaker.length === 0) continue;
      const forward = v.forward;
      for (const other of clauses) {
        if (forward ? other.from > v.at : other.to <= cl.from) {
          if (!other.speaker) other.speaker = speaker;
        }
      }
      if (!forward) cl.speaker = cl.speaker ?? undefined;
    }
    // "Egypt said talks had failed, blaming Ethiopia": a participle after the reported content
    // belongs to the speaker.
    for (let c = 1; c < clauses.length; c++) {
      const cl = clauses[c]!;
      const prev = clauses[c - 1]!;
      if (
        cl.opener.endsWith("ing") &&
        sets.clauseBreak.has(cl.opener) &&
        prev.speaker?.length &&
        (!cl.subjectNp || cl.subjectNp === prev.subjectNp)
      ) {
        cl.subject = prev.speaker;
        cl.subjectNp = undefined;
        cl.speaker = undefined;
      }
    }
    // Pronoun subjects inside reported speech refer to the speaker.
    for (const cl of clauses) {
      if (
        cl.speaker &&
        cl.subjectNp?.pronoun &&
        (cl.subjectNp.pronoun !== "plural" ||
          cl.speaker.length > 1 ||
          cl.speaker.some((a) => a.kind === "group" || pluralMention(a)))
      ) {
        cl.subject = this.resolve(cl.subjectNp, ctx, cl.speaker);
      }
      if (cl.speaker && !cl.subject) cl.subject = cl.speaker;
    }
    // "X said ... and urged Y": a verb right after "and" goes with the speaker, not the reported subject.
    for (let c = 1; c < clauses.length; c++) {
      const cl = clauses[c]!;
      const prev = clauses[c - 1]!;
      const first = tokens[cl.from]!;
      let k = cl.from + 1;
      while (k < cl.to && FILLER.has(tokens[k]!.lower)) k++;
      if (
        first.lower === "and" &&
        prev.speaker &&
        cueAt[k - s.from]! >= 0 &&
        !this.subjectIn(nps, cl.from, k, tokens, sets)
      ) {
        const cueRule = cues[cueAt[k - s.from]!]!.cue.rule;
        if (!cueRule.subjectTarget) {
          cl.subject = prev.speaker;
          cl.speaker = undefined;
        }
      }
    }
    // Demands in reported speech: "X said Y must ..." is X -> Y demand; Y's verbs are not deeds.
    for (const cl of clauses) {
      if (!cl.speaker || !cl.subjectNp || !cl.subject) continue;
      if (sameEntities(cl.subject, cl.speaker) || cl.subjectNp.pronoun) continue;
      let k = cl.subjectNp.to;
      while (k < cl.to && FILLER.has(tokens[k]!.lower)) k++;
      const w = tokens[k]?.lower ?? "";
      let code = this.rules.lang.demandModals[w];
      if (!code) {
        for (const ph of this.rules.lang.demandPhrases)
          if (ph.every((p, n) => tokens[k + n]?.lower === p)) code = "100";
      }
      if (!code || k >= cl.to) continue;
      cl.demanded = true;
      for (const src of cl.speaker)
        for (const tgt of cl.subject)
          out.push(
            this.candidate(
              s,
              src,
              tgt,
              code,
              { id: code === "100" ? "demand.modal-must" : "appeal.modal-should" },
              "reported",
              this.dateFor(cl, dates, published),
              0.7,
              published,
            ),
          );
    }
    // Evaluations in reported speech: "Kral said Avalon's decision was dangerous" disapproves of
    // Avalon; "... the sanctions were illegal" of the sanctions' authors; "... X is a reliable partner" praises X.
    for (const cl of clauses) {
      if (cl.demanded || cl.hypothetical || !cl.speaker?.some((a) => a.entity)) continue;
      if (cues.some((h) => h.head >= cl.from && h.head < cl.to && h.cue.rule.subjectTarget)) continue;
      // The copula: "was", "amounted to", "constitutes".
      let b = cl.from;
      while (
        b < cl.to &&
        !(flagAt(s, b, this.rules) & Word.be && tokens[b]!.lower !== "'s") &&
        !COPULAS.has(tokens[b]!.lower)
      )
        b++;
      if (b >= cl.to || b === cl.from) continue;
      let polarity: "negative" | "positive" | undefined;
      let denied = [1, 2].some((n) => b - n > cl.from && sets.negations.has(tokens[b - n]!.lower));
      for (let k = b + 1; k < Math.min(cl.to, b + 6) && !polarity; k++) {
        const w = tokens[k]!.lower;
        // "had not been satisfactory": a denied praise is a criticism; a denied criticism is nothing.
        if (sets.negations.has(w)) denied = true;
        else if (sets.negative.has(w)) polarity = denied ? undefined : "negative";
        else if (sets.positive.has(w)) polarity = denied ? "negative" : "positive";
        if (denied && sets.negative.has(w)) break;
      }
      if (!polarity) continue;
      const subject = nps.filter((p) => p.from >= cl.from && p.to <= b && !p.modifierOnly && p.actors.length);
      const noun = this.eventNounBefore(tokens, cl.from, b);
      let owners: ActorRef[] = [];
      const owner = subject.find((p) => p.possessive || (noun && p.to < b));
      if (noun && owner) owners = this.resolve(owner, ctx, cl.speaker);
      else if (noun) owners = this.perpetrators(recent, cl.speaker, noun, sentenceIdx);
      else if (subject.length === 1 && subject[0]!.to === b)
        owners = this.resolve(subject[0]!, ctx, cl.speaker);
      const speaker = cl.speaker;
      owners = owners.filter((a) => a.entity && !speaker.some((x) => x.entity === a.entity));
      const code = polarity === "negative" ? "111" : "051";
      const id = polarity === "negative" ? "disapprove.evaluation" : "cooperate.evaluation";
      for (const src of speaker)
        for (const tgt of owners)
          out.push(
            this.candidate(
              s,
              src,
              tgt,
              code,
              { id },
              "reported",
              this.dateFor(cl, dates, published),
              0.65,
              published,
            ),
          );
    }
    // Mandative subjunctive: "suggested X be removed", "proposed that X withdraw" demand it of X.
    for (let c = 1; c < clauses.length; c++) {
      const cl = clauses[c]!;
      if (cl.demanded || !cl.subjectNp || cl.subjectNp.pronoun || !cl.subject?.length) continue;
      let k = cl.from;
      if (tokens[k]!.lower === "that") k++;
      if (cl.subjectNp.from !== k || !MANDATIVE.has(tokens[cl.from - 1]?.lower ?? "")) continue;
      let v = cl.subjectNp.to;
      while (v < cl.to && (FILLER.has(tokens[v]!.lower) || tokens[v]!.lower === "not")) v++;
      const w = tokens[v]?.lower ?? "";
      const bare =
        v < cl.to &&
        tokens[v]!.kind === "word" &&
        !tokens[v]!.cap &&
        (w === "be" ||
          (!/(s|ed|ing)$/.test(w) &&
            !sets.be.has(w) &&
            !sets.intentAux.has(w) &&
            !sets.speculativeModals.has(w) &&
            !DEONTIC.has(w) &&
            !NOT_BARE.has(w) &&
            !sets.preps.has(w) &&
            !sets.determiners.has(w)));
      const by = clauses[c - 1]!.subject ?? cl.speaker;
      if (!bare || !by?.length || sameEntities(by, cl.subject)) continue;
      const removal = cues.some(
        (h) => h.head >= cl.from && h.head < cl.to && h.cue.rule.code.startsWith("1041"),
      );
      // "demanded / insisted that X ..." demands; "suggested / proposed / recommended that X ..."
      // appeals (it may be in X's favour: "recommended that Ukraine be granted status"),
      // unless what is proposed is the removal of X's leader.
      const insists = INSISTING.has(tokens[cl.from - 1]!.lower);
      const code = removal ? "1041" : insists ? "100" : "020";
      cl.demanded = true;
      for (const src of by)
        for (const tgt of cl.subject)
          out.push(
            this.candidate(
              s,
              src,
              tgt,
              code,
              {
                id: removal
                  ? "demand.subjunctive-removal"
                  : insists
                    ? "demand.subjunctive"
                    : "appeal.subjunctive",
              },
              "reported",
              this.dateFor(clauses[c - 1]!, dates, published),
              0.7,
              published,
            ),
          );
    }
    for (let c = 1; c < clauses.length; c++) {
      const cl = clauses[c]!;
      if (clauses[c - 1]!.demanded && !cl.subjectNp && tokens[cl.from]!.lower === "and") cl.demanded = true;
      if (clauses[c - 1]!.demanded && cl.subjectNp === clauses[c - 1]!.subjectNp && cl.subjectNp)
        cl.demanded = true;
    }

    // Events from cues.
    const sentenceEvents: RecentEvent[] = [];
    for (const hit of cues) {
      const cl = clauseAt(clauses, hit.head);
      if (!cl) continue;
      this.codeCue(
        s,
        sentenceIdx,
        hit,
        cl,
        clauses,
        nps,
        cues,
        ctx,
        recent,
        dates,
        published,
        out,
        sentenceEvents,
      );
    }

    // Neutrality claims ("presents itself as a neutral party") toward the other actors of the sentence.
    // The neutrality cues, if any word of the sentence can start one (few sentences have one).
    let neutralityCues: string[][] = NO_PHRASES;
    for (let i = s.from; i < s.to; i++)
      if (flagAt(s, i, this.rules) & Word.neutralityStart) {
        neutralityCues = this.rules.lang.neutralityCues;
        break;
      }
    for (const cue of neutralityCues) {
      for (let i = s.from; i < s.to; i++) {
        // First word before the closure: almost no token starts a neutrality cue.
        if (
          (cue.length > 0 && tokens[i]!.lower !== cue[0]) ||
          !cue.every((w, n) => tokens[i + n]?.lower === w)
        )
          continue;
        const cl = clauseAt(clauses, i);
        const holder = cl?.subject?.find((a) => a.entity);
        if (!holder) continue;
        let stop = s.to;
        for (let k = s.from; k < s.to; k++) if (tokens[k]!.lower === "unlike") stop = Math.min(stop, k);
        const targets = nps
          .filter(
            (p) => p.from < stop && !p.modifierOnly && !p.described && !p.pronoun && p !== cl?.subjectNp,
          )
          .flatMap((p) => this.resolve(p, ctx, cl?.speaker))
          .filter((a) => a.entity && a.entity !== holder.entity);
        if (targets.length > 0) neutral.push({ holder, targets, sentence: s });
      }
    }

    // Remember who did what for pronouns, descriptions and event nouns in later sentences.
    // A passive subject ("Casey was summoned") is a patient; "it" next refers to the actor or reporter.
    const reporter = clauses.find((c) => c.speaker?.some((a) => a.entity))?.speaker;
    const main =
      clauses.find(
        (c) =>
          c.subjectNp &&
          !c.subjectNp.pronoun &&
          c.subject?.some((a) => a.entity) &&
          !isPatient(c, tokens, sets.be),
      ) ?? (reporter ? { subject: reporter } : undefined);
    const mainSubject = main?.subject ?? clauses.find((c) => c.subject?.some((a) => a.entity))?.subject;
    if (mainSubject?.some((a) => a.entity)) {
      ctx.lastSubject = mainSubject.filter((a) => a.entity);
      if (distinctEntities(ctx.lastSubject) >= 3) ctx.lastGroup = ctx.lastSubject;
      const persons = mainSubject.filter((a) => a.person);
      if (persons.length) ctx.lastPerson = persons;
    }
    for (const ev of sentenceEvents) {
      recent.push(ev);
      // "condemned by South Korea, Japan and the United States ... The three allies said";
      // "Macron hosted Scholz and Tusk ... The three leaders pledged".
      if (distinctEntities(ev.sources) >= 3) ctx.lastGroup = ev.sources;
      else if (ev.baseRoot === "04" && distinctEntities(ev.sources) + distinctEntities(ev.targets) >= 3) {
        const members = [...ev.sources, ...ev.targets].filter((a) => a.entity);
        if (distinctEntities(members) >= 3)
          ctx.lastGroup = members.filter((a, i) => members.findIndex((b) => b.entity === a.entity) === i);
      }
      if (ev.targets.length >= 2) ctx.lastPair = ev.targets;
      else if (ev.targets.length === 1 && ev.sources.length >= 1)
        ctx.lastPair = [...ev.sources, ...ev.targets];
      else if (ev.sources.length >= 2) ctx.lastPair = ev.sources;
    }
    while (recent.length > 200) recent.shift();
  }

  splitClauses(
    s: Sentence,
    npAt: Int32Array,
    cueAt: Int32Array,
    speech: Array<{ at: number; forward: boolean }>,
    cues: CueHit[] = [],
  ): Clause[] {
    const sets = this.rules.sets;
    const { tokens } = s;
    const starts: number[] = [s.from];
    // What a speaker says is a clause of its own: "Kral said | Avalon must ...".
    for (const v of speech) {
      if (!v.forward) continue;
      let k = v.at + 1;
      // "told Blinken that ...": the listener stays with the speech verb.
      while (k < s.to && npAt[k - s.from]! >= 0 && tokens[v.at]!.lower.startsWith("t")) k++;
      starts.push(k);
    }
    for (let i = s.from + 1; i < s.to; i++) {
      if (npAt[i - s.from]! >= 0 && npAt[i - s.from] === npAt[i - 1 - s.from]) continue;
      const t = tokens[i]!;
      const prev = tokens[i - 1]!;
      const flags = s.flags[i]!;
      if (flags & Word.clausePunct || t.text === ",") {
        if (t.text === "-" && (prev.end === t.start || tokens[i + 1]?.start === t.end)) continue;
        if (cueAt[i - s.from]! >= 0) continue;
        starts.push(i + 1);
        continue;
      }
      if (flags & Word.clauseBreak && cueAt[i - s.from]! < 0) {
        // "between X and Y", "both X and Y" keep their "and".
        if (t.lower === "and" && npAt[i - 1 - s.from]! >= 0 && npAt[i + 1 - s.from]! >= 0) {
          const back = tokens.slice(Math.max(s.from, i - 6), i).map((x) => x.lower);
          if (back.includes("between") || back.includes("both")) continue;
        }
        if (t.lower === "as" && !/^(as)$/.test(t.lower)) continue;
        if (
          (t.lower === "after" || t.lower === "before" || t.lower === "since" || t.lower === "until") &&
          DATE_WORDS.has(tokens[i + 1]?.lower ?? "")
        )
          continue;
        if (t.lower === "that" && (prev.lower === "so" || prev.lower === "such")) continue;
        starts.push(i);
      }
    }
    // Sorted, without duplicates, inside the sentence. The starts come almost in order (only
    // speech starts precede the scan), so an insertion sort beats a sort with a comparator.
    for (let a = 1; a < starts.length; a++) {
      const x = starts[a]!;
      let b = a - 1;
      while (b >= 0 && starts[b]! > x) {
        starts[b + 1] = starts[b]!;
        b--;
      }
      starts[b + 1] = x;
    }
    const uniq: number[] = [];
    for (const x of starts) if (x < s.to && x !== uniq[uniq.length - 1]) uniq.push(x);
    const clauses: Clause[] = [];
    let hypotheticalCarry = false;
    for (let k = 0; k < uniq.length; k++) {
      const from = uniq[k]!;
      const to = uniq[k + 1] ?? s.to;
      let first = from;
      while (first < to && (tokens[first]!.text === "," || tokens[first]!.text === '"')) first++;
      const opener = tokens[first]?.lower ?? "";
      const inverted = opener === "should" && first === s.from ? true : opener === "were" && first === s.from;
      // "less likely that X would ...": the that-clause is speculation.
      const hypothetical: boolean =
        (opener === "that" && SPECULATIVE_BEFORE_THAT.has(tokens[first - 1]?.lower ?? "")) ||
        sets.hypothetical.has(opener) ||
        inverted ||
        (hypotheticalCarry && opener === "and");
      hypotheticalCarry = hypothetical;
      // "countries that support Russia": a "that" followed straight by a verb is relative.
      const thatRelative =
        opener === "that" &&
        first + 1 < to &&
        cueAt[first + 1 - s.from]! >= 0 &&
        !nounCueAt(cues, cueAt, s.from, first + 1);
      clauses.push({
        from: first,
        to,
        opener,
        relative: sets.relative.has(opener) || thatRelative,
        hypothetical,
        // Every field present from the start, so all clauses share one object shape.
        subject: undefined,
        subjectNp: undefined,
        speaker: undefined,
        demanded: false,
        carriedIntent: undefined,
        longAgo: undefined,
      });
    }
    return clauses.filter((c) => c.to > c.from);
  }

  findSpeech(s: Sentence, npAt: Int32Array, cueAt: Int32Array): Array<{ at: number; forward: boolean }> {
    const { tokens } = s;
    const out: Array<{ at: number; forward: boolean }> = [];
    for (let i = s.from; i < s.to; i++) {
      const flags = s.flags[i]!;
      // Most words neither start a speech phrase nor are speech verbs: one read tells.
      if ((flags & (Word.speech | Word.speechPhraseStart)) === 0) continue;
      const t = tokens[i]!;
      const phrase =
        flags & Word.speechPhraseStart
          ? this.rules.lang.speechPhrases.find((p) => p.every((w, n) => tokens[i + n]?.lower === w))
          : undefined;
      if (!phrase && ((flags & Word.speech) === 0 || npAt[i - s.from]! >= 0 || cueAt[i - s.from]! >= 0))
        continue;
      // "Borduria's repeated obstruction", "the stated aim": a participle used as an adjective.
      const prevWord = tokens[i - 1]?.lower ?? "";
      if (!phrase && (prevWord === "'s" || flagAt(s, i - 1, this.rules) & Word.determiner)) continue;
      // "said" at the end of the sentence, after a comma, reports what came before it.
      let k = i - 1;
      while (
        k >= s.from &&
        (npAt[k - s.from]! >= 0 ||
          FILLER.has(tokens[k]!.lower) ||
          ["has", "have", "had", "also"].includes(tokens[k]!.lower))
      )
        k--;
      const afterComma = k >= s.from && (tokens[k]!.text === "," || tokens[k]!.text === '"');
      const next = tokens[i + 1];
      const forwardMarker = next && (next.lower === "that" || next.text === ":" || next.text === '"');
      // After a comma the verb usually closes a quote ("..., Wang said on Tuesday."); but a
      // fronted phrase ("In a statement, X said Y had ...") leaves content after the verb.
      let after = i + 1;
      const npAfter = after < s.to ? npAt[after - s.from]! : -1;
      if (npAfter >= 0) while (after < s.to && npAt[after - s.from] === npAfter) after++;
      const tail = tokens[after];
      const closes =
        !tail ||
        after >= s.to ||
        tail.kind !== "word" ||
        this.rules.sets.preps.has(tail.lower) ||
        DATE_WORDS.has(tail.lower) ||
        (npAfter >= 0 && t.lower.startsWith("t"));
      const forward = phrase ? false : forwardMarker ? true : !(afterComma && closes);
      out.push({ at: i, forward });
      if (phrase) i += phrase.length - 1;
    }
    return out;
  }

  subjectIn(
    nps: NounPhrase[],
    from: number,
    before: number,
    tokens: Token[],
    sets: CompiledRules["sets"],
  ): NounPhrase | undefined {
    let best: NounPhrase | undefined;
    for (const np of nps) {
      if (np.from < from || np.to > before) continue;
      if (np.modifierOnly) continue;
      if (np.actors.length === 0 && !np.pronoun) continue;
      if (
        np.pronoun &&
        OBJECT_PRONOUNS.has(tokens[np.from]!.lower) &&
        tokens[np.from]!.lower !== "it" &&
        tokens[np.from]!.lower !== "us"
      )
        continue;
      const prep = immediatePrep(np, tokens, from, sets);
      if (prep) continue;
      best = np;
    }
    return best;
  }

  resolve(np: NounPhrase, ctx: ArticleContext, speaker: ActorRef[] | undefined): ActorRef[] {
    if (np.pronoun && np.pronoun !== "mixed") return resolvePronoun(np.pronoun, ctx, speaker);
    if (np.pronoun === "mixed") {
      const person = resolvePronoun("person", ctx, speaker);
      return [...person, ...np.actors];
    }
    return np.actors;
  }

  // --- events -------------------------------------------------------------------

  codeCue(
    s: Sentence,
    sentenceIdx: number,
    hit: CueHit,
    cl: Clause,
    clauses: Clause[],
    nps: NounPhrase[],
    cues: CueHit[],
    ctx: ArticleContext,
    recent: RecentEvent[],
    dates: SentenceDates,
    published: DayDate,
    out: Candidate[],
    sentenceEvents: RecentEvent[],
  ): void {
    const rule = hit.cue.rule;
    const { tokens } = s;
    const sets = this.rules.sets;
    if (cl.hypothetical || cl.demanded) return;
    if (rule.speechOnly && !cl.speaker) return;
    // "..., a charge Moscow rejected": a fronted act noun is the object of the verb after it.
    if (
      rule.pos === "noun" &&
      cl.subjectNp &&
      cl.subjectNp.from > hit.head &&
      cues.some(
        (c) =>
          c.head > cl.subjectNp!.from &&
          c.head < cl.to &&
          c.cue.rule.eventObject &&
          ABSORBING_ROOTS.has(c.cue.rule.code.slice(0, 2)),
      )
    )
      return;
    // A verb cue used as a noun ("waging a hybrid attack") is governed like a noun cue.
    let asNoun = rule.pos === "noun";
    for (let k = hit.head - 1; !asNoun && k >= Math.max(cl.from, hit.head - 3); k--) {
      const flags = flagAt(s, k, this.rules);
      if (flags & Word.determiner || tokens[k]!.lower === "'s") asNoun = true;
      else if (tokens[k]!.kind !== "word" || flags & Word.prep) break;
    }
    // "A Bordurian attack on Syldavia would be a disaster": an act named as the subject of a
    // conditional has not happened.
    const nominal = asNoun || npAt(nps, hit.head - 1);
    if (nominal && (!cl.subjectNp || cl.subjectNp.to <= hit.head || cl.subjectNp.from > hit.head)) {
      for (let k = hit.to; k < Math.min(cl.to, hit.to + 8); k++) {
        const w = tokens[k]!.lower;
        const flags = flagAt(s, k, this.rules);
        if (w === "would" || flags & Word.speculativeModal) return;
        if ((flags & Word.be && w !== "'s") || cues.some((c) => c.head === k) || flags & Word.intentAux)
          break;
      }
    }
    if (asNoun) {
      const governor = cues.find(
        (c) =>
          c !== hit &&
          (c.cue.isVerb || c.cue.rule.subjectTarget) &&
          c.head < hit.head &&
          hit.head - c.to <= 5 &&
          c.head >= cl.from &&
          (ABSORBING_ROOTS.has(c.cue.rule.code.slice(0, 2)) || c.cue.rule.subjectTarget) &&
          !c.cue.rule.carriesOut &&
          // "thanked Scholz in a phone call": a circumstance, not the thing judged.
          !tokens.slice(c.to, hit.head).some((t) => CIRCUMSTANCE_PREPS.has(t.lower)),
      );
      if (governor && governor.cue.rule.code.slice(0, 2) !== rule.code.slice(0, 2)) return;
    }
    // "accused China of supplying Russia": the alleged act is not coded, only the accusation.
    // "warned Manila against inviting outside powers": likewise the act warned against.
    if (isGerundComplement(hit, tokens)) return;
    if (
      rule.yieldsToLaterCue &&
      cues.some(
        (c) =>
          c !== hit &&
          c.head > hit.head &&
          c.head < cl.to + 12 &&
          !c.cue.rule.yieldsToLaterCue &&
          !isGerundComplement(c, tokens),
      )
    )
      return;
    const subjectEnd =
      cl.subjectNp && cl.subjectNp.from >= cl.from && cl.subjectNp.to <= hit.head ? cl.subjectNp.to : cl.from;

    // Modality from the words between the subject and the cue.
    let intent: string | undefined = cl.carriedIntent;
    let speculative = false;
    let negated = false;
    let refusedInside = false;
    let threatenedInside = false;
    for (let k = hit.head - 1; k >= subjectEnd; k--) {
      const w = tokens[k]!.lower;
      if (hit.indices.includes(k)) continue;
      const flags = flagAt(s, k, this.rules);
      if (flags & Word.intentAux) intent = intent ?? w;
      if (w === "to" && k > subjectEnd) {
        // "agreed on Thursday to", "refused for weeks to": skip the date or duration.
        let b = k - 1;
        while (
          b > subjectEnd &&
          b >= k - 4 &&
          (SKIP_BEFORE_TO.has(tokens[b]!.lower) ||
            DATE_WORDS.has(tokens[b]!.lower) ||
            tokens[b]!.kind === "number")
        )
          b--;
        const pv = tokens[b]!.lower;
        if (sets.intentVerbs.has(pv)) intent = intent ?? (sets.agree.has(pv) ? "agree" : pv);
        if (sets.refusal.has(pv)) refusedInside = true;
        // "threatened to shoot down X": the threat is the event, not the act threatened.
        if (THREATENING.has(pv) && !rule.code.startsWith("13")) threatenedInside = true;
        if (sets.be.has(pv)) intent = intent ?? "be-to";
      }
      if (flags & (Word.speculativeModal | Word.speculativeAdverb)) speculative = true;
      // "a state should be achieved through negotiations": a prescription, not an act.
      if (DEONTIC.has(w) && !hit.cue.rule.allowNegation) return;
      if (flags & (Word.negation | Word.negationVerb)) {
        // "not only" and "no longer" are not negations of the act.
        if (!(w === "not" && tokens[k + 1]?.lower === "only")) negated = true;
      }
    }
    if (rule.pos === "noun") {
      for (let k = hit.head - 1; k >= Math.max(cl.from, hit.head - 3); k--)
        if (flagAt(s, k, this.rules) & Word.negation) negated = true;
    }
    // The refusal verb codes the event; the refused act is not an event.
    if (refusedInside && rule.id !== "reject.refuse") return;
    if (threatenedInside) return;
    if (rule.allowNegation) negated = false;
    // Speculation is nothing in the author's voice or from speakers who act for no one ("analysts").
    if (speculative && !cl.speaker?.some((a) => a.entity)) return;
    if (speculative) intent = intent ?? "could";
    if (rule.needsIntent && !intent) return;
    // Author's-voice conditionals: "would" in a sentence that opens a hypothetical.
    if (!cl.speaker && intent === "would" && clauses.some((c) => c.hypothetical)) return;

    let code = rule.code;
    if (negated) {
      const wantsNot =
        intent !== undefined ||
        tokens.slice(subjectEnd, hit.head).some((t) => t.lower === "want" || t.lower === "wants");
      if (rule.negatedCode && wantsNot) code = rule.negatedCode;
      else return;
    }
    if (intent && code === rule.code) code = this.intentCode(rule, intent);

    // Source and target.
    const passive = hit.cue.isVerb && this.isPassive(tokens, hit, cl);
    const byAgent = this.byAgent(nps, hit, s, cl);
    let sources: ActorRef[] = [];
    let targets: ActorRef[] = [];
    // Set when the target comes from an act the cue refers to ("welcomed the agreement").
    const referred = { joint: false };
    let confidence = 0.8;
    if (
      passive ||
      (hit.cue.isVerb && byAgent && tokens[hit.head]!.lower.endsWith("ed") && tokens[hit.to]?.lower === "by")
    ) {
      if (!byAgent) return;
      sources = this.resolve(byAgent, ctx, cl.speaker);
      if (passive) {
        const subjNp = cl.subjectNp && cl.subjectNp.to <= hit.head ? cl.subjectNp : undefined;
        if (subjNp) targets = this.resolve(subjNp, ctx, cl.speaker);
        else {
          const noun = this.eventNounBefore(tokens, cl.from, hit.head);
          if (noun) targets = this.perpetrators(recent, sources, noun, sentenceIdx, referred);
        }
      } else {
        // "talks hosted by China": the parties are the subjects of the sentence.
        targets = clauses
          .flatMap((c) => (c.subject && c !== cl ? c.subject : []))
          .filter((a) => !sources.some((x) => x.entity === a.entity));
        // "followed talks mediated by X": the parties are the pair the article is about.
        if (targets.length === 0 && rule.mediation)
          targets = ctx.lastPair.filter((a) => a.entity && !sources.some((x) => x.entity === a.entity));
      }
    } else if (rule.sourceAfterFrom) {
      // "The decision drew criticism from X": X disapproves of the decision's author.
      const from = tokens[hit.to - 1]?.lower === "from" ? hit.to - 1 : -1;
      const np =
        from >= 0 ? nps.find((p) => p.from > from && p.from <= from + 2 && p.actors.length) : undefined;
      if (!np) return;
      sources = this.resolve(np, ctx, cl.speaker).filter((a) => a.entity);
      const owner = nps.find((p) => p.from >= cl.from && p.to <= hit.head && p.possessive && p.actors.length);
      if (owner) targets = this.resolve(owner, ctx, cl.speaker);
      else {
        const noun = this.eventNounBefore(tokens, cl.from, hit.head);
        if (noun) targets = this.perpetrators(recent, sources, noun, sentenceIdx, referred);
      }
      targets = targets.filter((a) => a.entity && !sources.some((x) => x.entity === a.entity));
    } else {
      sources = this.sourceFor(hit, cl, nps, tokens, ctx);
      // "warned that the strikes would not go unanswered": the that-clause speaks for the warner.
      const reporter =
        cl.speaker ?? (cl.opener === "that" ? clauses[clauses.indexOf(cl) - 1]?.subject : undefined);
      if (rule.subjectTarget && reporter && !cl.speaker) cl = { ...cl, speaker: reporter };
      if (rule.subjectTarget) {
        if (!cl.speaker) return;
        const subj = cl.subjectNp && !sameEntities(cl.subject ?? [], cl.speaker) ? (cl.subject ?? []) : [];
        targets = subj;
        sources = cl.speaker;
        if (targets.length === 0) {
          const agent = byAgent ? this.resolve(byAgent, ctx, cl.speaker) : [];
          targets = agent;
        }
        // "said any intervention by X would be ...": the agent named before the cue.
        if (targets.length === 0) {
          const agent = nps.find(
            (p) =>
              p.from > cl.from &&
              p.from < hit.head &&
              tokens[p.from - 1]?.lower === "by" &&
              !p.modifierOnly &&
              p.actors.length > 0,
          );
          if (agent)
            targets = this.resolve(agent, ctx, cl.speaker).filter(
              (a) => !sources.some((x) => x.entity === a.entity),
            );
        }
        // "said the sale violated ...", "said the strikes would not go unanswered": the act's authors.
        if (targets.length === 0) {
          const noun = this.eventNounBefore(tokens, cl.from, hit.head);
          if (noun) targets = this.perpetrators(recent, sources, noun, sentenceIdx, referred);
        }
        if (targets.length === 0 && rule.targetFromContext)
          targets = this.contextTarget(clauses, cl, recent, sources, rule.code.slice(0, 2));
      } else {
        targets = this.targetsFor(hit, cl, nps, s, ctx, sources);
        // Hard case 12: a rejected or vetoed text targets its authors ("a resolution drafted by X").
        if (rule.code.startsWith("12")) {
          const authors = this.authorsAfter(hit, nps, s, cl, ctx);
          if (authors.length) targets = authors;
        }
        if (targets.length === 0 && rule.eventObject) {
          // "..., a charge Moscow rejected as baseless": the act noun fronted before the subject.
          const subjectFrom = cl.subjectNp && cl.subjectNp.from >= cl.from ? cl.subjectNp.from : -1;
          const noun = this.eventNounAfter(tokens, hit.to, cl.to);
          const fronted =
            !noun && subjectFrom > cl.from ? this.eventNounBefore(tokens, cl.from, subjectFrom) : undefined;
          if (fronted) {
            // It names the act just reported in this sentence.
            for (let k = sentenceEvents.length - 1; k >= 0 && targets.length === 0; k--)
              targets = sentenceEvents[k]!.sources.filter(
                (a) => a.entity && !sources.some((x) => x.entity === a.entity),
              );
          } else if (noun) {
            targets = this.perpetrators(recent, sources, noun, sentenceIdx, referred);
            confidence -= 0.15;
          }
        }
        if (rule.code.startsWith("07") && !hit.cue.isVerb) {
          const moved = this.aidMovement(hit, nps, s, ctx, cl);
          // An explicit sender ("sent by X") outranks whatever stands before the verb.
          if (moved.sender.length) sources = moved.sender;
          if (targets.length === 0)
            targets = moved.recipient.filter((a) => !sources.some((x) => x.entity === a.entity));
        }
        if (rule.evaluative) {
          const polarity = this.evaluate(tokens, hit.to, cl.to, s.to);
          if (!polarity) return;
          if (polarity === "positive") code = "051";
        }
        // "thanked Scholz in a phone call": the call is with the same person.
        if (targets.length === 0 && rule.symmetric && rule.pos === "noun") {
          const sameClause = sentenceEvents[sentenceEvents.length - 1];
          if (sameClause?.targets.length && sameEntities(sameClause.sources, sources))
            targets = sameClause.targets;
        }
        // "pressed her hosts to reopen ...": the hosts are whoever the source is visiting.
        if (
          targets.length === 0 &&
          HOSTS.has(tokens[hit.to + 1]?.lower ?? "") &&
          sets.determiners.has(tokens[hit.to]?.lower ?? "")
        )
          targets = this.hostsOf(sources, recent, sentenceEvents);
        if (targets.length === 0 && rule.conditionTarget) {
          targets = this.conditionSubject(clauses, cl, sources);
        }
        if (targets.length === 0 && rule.targetFromContext) {
          targets = this.contextTarget(clauses, cl, recent, sources, rule.code.slice(0, 2));
          confidence -= 0.2;
        }
      }
    }
    if (sources.length === 0) {
      return;
    }
    const modality: Modality = intent ? "intended" : cl.speaker ? "reported" : "asserted";
    const date = this.dateFor(cl, dates, published);
    const pairs: Array<[ActorRef, ActorRef | null]> = [];
    const inside = targets.length > 0 && targets.every((t) => sources.some((x) => x.entity === t.entity));
    if ((targets.length === 0 || inside) && rule.symmetric && sources.length >= 2) {
      for (let a = 0; a < sources.length; a++)
        for (let b = 0; b < sources.length; b++) if (a !== b) pairs.push([sources[a]!, sources[b]!]);
    } else if (targets.length === 0) {
      for (const src of sources) pairs.push([src, null]);
    } else {
      for (const src of sources) for (const tgt of targets) pairs.push([src, tgt]);
    }
    // Hard case 14: welcoming a joint agreement takes no side between its parties.
    const stanceRule: Candidate["rule"] =
      referred.joint && code.startsWith("05") ? { id: rule.id, stance: "none" } : rule;
    // "which has mediated between them in the past": long-running or former acts are background.
    // Read once per clause, not once per cue in it.
    cl.longAgo ??= mentionsLongAgo(tokens, cl.from, cl.to);
    const longAgo = cl.longAgo;
    for (const [src, tgt] of pairs) {
      const c = this.candidate(s, src, tgt, code, stanceRule, modality, date, confidence, published);
      if (longAgo) c.background = true;
      out.push(c);
    }
    sentenceEvents.push({
      joint: !!rule.symmetric && (targets.length === 0 || inside) && sources.length >= 2,
      sources,
      targets,
      sentence: sentenceIdx,
      root: code.slice(0, 2),
      baseRoot: rule.code.slice(0, 2),
    });
    void cues;
  }

  intentCode(rule: CueRule, intent: string): string {
    const root = rule.code.slice(0, 2);
    // "agreed to impose sanctions": a decided measure, not a threat.
    if (DECIDED.has(intent) && THREAT_BY_ROOT[root] && root === "16") return rule.code;
    if (intent === "agree" && root === "08") return rule.code;
    if (INTENT_BY_ROOT[root]) return rule.intentCode ?? INTENT_BY_ROOT[root]!;
    if (THREAT_BY_ROOT[root]) return THREAT_BY_ROOT[root]!;
    return rule.code;
  }

  isPassive(tokens: Token[], hit: CueHit, cl: Clause): boolean {
    let k = hit.head - 1;
    while (k >= cl.from && (FILLER.has(tokens[k]!.lower) || tokens[k]!.lower.endsWith("ly"))) k--;
    if (k < cl.from) {
      // "X was blocked and then hit by": the auxiliary sits in the previous clause.
      return tokens[hit.to]?.lower === "by" && tokens[cl.from]!.lower === "and";
    }
    return this.rules.sets.be.has(tokens[k]!.lower) && tokens[k]!.lower !== "'s";
  }

  byAgent(nps: NounPhrase[], hit: CueHit, s: Sentence, cl: Clause): NounPhrase | undefined {
    const { tokens } = s;
    for (let k = hit.to; k < Math.min(cl.to + 8, s.to, hit.to + 10); k++) {
      if (tokens[k]!.lower !== "by") continue;
      const np = nps.find((p) => p.from > k && p.from <= k + 3 && !p.modifierOnly);
      if (np) return np;
    }
    return undefined;
  }

  sourceFor(hit: CueHit, cl: Clause, nps: NounPhrase[], tokens: Token[], ctx: ArticleContext): ActorRef[] {
    if (hit.cue.rule.pos === "noun") {
      // "U.S. sanctions", "London's expulsion", "Israeli air strikes".
      for (const np of nps) {
        // "military aid": a role word without an entity is not the source.
        if (np.modifierOnly || !np.actors.some((a) => a.entity)) continue;
        const gapFrom = np.possessive ? np.to + 1 : np.to;
        if (gapFrom > hit.head || hit.head - gapFrom > 2) continue;
        let ok = true;
        for (let k = gapFrom; k < hit.head; k++) {
          const w = tokens[k]!;
          if (w.kind !== "word" || this.rules.sets.preps.has(w.lower) || this.rules.sets.speech.has(w.lower))
            ok = false;
        }
        if (ok && (np.possessive || np.to === hit.head || hit.head - np.to <= 2))
          return this.resolve(np, ctx, cl.speaker);
      }
    }
    return cl.subject ?? [];
  }

  targetsFor(
    hit: CueHit,
    cl: Clause,
    nps: NounPhrase[],
    s: Sentence,
    ctx: ArticleContext,
    sources: ActorRef[],
  ): ActorRef[] {
    const rule = hit.cue.rule;
    const { tokens } = s;
    // The frame is a handful of words: a scan, not a Set built per cue.
    const frame = rule.frame;
    const sets = this.rules.sets;
    let limit = rule.pos === "noun" ? Math.min(cl.to, hit.to + 8) : cl.to;
    // "carrying food and medicine docked in X": an "and" joining two nouns does not end the phrase.
    const after = tokens[cl.to + 1];
    if (
      rule.pos !== "verb" &&
      tokens[cl.to]?.lower === "and" &&
      after?.kind === "word" &&
      !after.cap &&
      !sets.determiners.has(after.lower)
    )
      limit = Math.min(s.to, hit.to + 12);
    // "demanded that Ukraine remove ...": the that-clause's subject is the target.
    if (frame.includes("that") && tokens[hit.to]?.lower === "that") limit = Math.min(s.to, hit.to + 8);
    for (const np of nps) {
      if (np.from <= hit.head || np.from >= limit) continue;
      // A phrase that starts on a cue word is part of the cue ("host forces"), not its object.
      if (hit.indices.includes(np.from)) continue;
      if (np.modifierOnly) continue;
      if (np.actors.length === 0 && !np.pronoun) continue;
      // Source phrase of a noun cue ("U.S. sanctions") is not its target.
      if (np.pronoun && !(OBJECT_PRONOUNS.has(tokens[np.from]!.lower) && np.from <= hit.to + 1)) continue;
      // "condemned it", "called it a provocation": "it" is the act; its actors come from the event.
      if (np.pronoun && rule.eventObject && tokens[np.from]!.lower === "it") continue;
      // "pressed her hosts": a possessive determiner, not an object pronoun.
      const nextWord = tokens[np.to];
      if (
        np.pronoun &&
        tokens[np.from]!.lower === "her" &&
        nextWord?.kind === "word" &&
        !nextWord.cap &&
        !sets.preps.has(nextWord.lower) &&
        !sets.clauseBreak.has(nextWord.lower)
      )
        continue;
      // "struck what it called ...": the pronoun is the subject of a relative, not the object.
      if (np.pronoun && tokens[np.from - 1]?.lower === "what") continue;
      const prep = governingPrep(np, hit, tokens, sets);
      // "violations by Pakistan" names its target with "by"; elsewhere "by" marks an agent.
      if (prep === "by" && !frame.includes("by")) continue;
      let ok = prep === null ? frame.includes("obj") : frame.includes(prep);
      if (rule.objectActorOnly && prep === null) {
        let k = hit.to;
        while (k < np.from && sets.determiners.has(tokens[k]!.lower)) k++;
        if (k !== np.from) ok = false;
      }
      if (!ok) {
        if (prep === null && rule.objectActorOnly) return [];
        continue;
      }
      let resolved = this.resolve(np, ctx, cl.speaker).filter((a) => a.entity);
      // "rejected Manila's protest and urged it to stop", "criticised the EU's plan and said Budapest
      // would not support it": an object pronoun takes the nearest other actor of the sentence.
      if (np.pronoun && np.pronoun !== "mixed" && OBJECT_PRONOUNS.has(tokens[np.from]!.lower)) {
        const near = [...nps]
          .reverse()
          .find(
            (p) =>
              p.to <= hit.head &&
              !p.pronoun &&
              !p.modifierOnly &&
              p.actors.some((a) => a.entity && !sources.some((x) => x.entity === a.entity)),
          );
        if (near)
          resolved = near.actors.filter((a) => a.entity && !sources.some((x) => x.entity === a.entity));
      }
      if (resolved.length === 0) continue;
      // The source again is not its own target; another actor of the same state (army vs RSF) is,
      // for coreference, though the event itself is dropped as self-reference.
      if (
        resolved.every((a) => sources.some((x) => x.entity === a.entity && !internalRivals(x, a))) &&
        !np.described
      )
        continue;
      return resolved;
    }
    return [];
  }

  eventNounAfter(tokens: Token[], from: number, to: number): string | undefined {
    for (let k = from; k < Math.min(to, from + 5); k++) {
      const w = tokens[k]!.lower;
      // "calling the loan a vital step": the object ends where the complement begins.
      if (k > from && this.rules.sets.determiners.has(w)) return undefined;
      if (this.rules.sets.eventNouns.has(w)) return w;
      if (w === "it" || w === "them") return k === from ? w : undefined;
      if (this.rules.sets.preps.has(w)) return undefined;
    }
    return undefined;
  }

  eventNounBefore(tokens: Token[], from: number, to: number): string | undefined {
    for (let k = from; k < to; k++)
      if (this.rules.sets.eventNouns.has(tokens[k]!.lower)) return tokens[k]!.lower;
    return undefined;
  }

  /**
   * The actors behind "the launch", "the package", "the decision": the source of the
   * latest event of that kind (any kind, if recent enough), other than the speaker.
   */
  perpetrators(
    recent: RecentEvent[],
    sources: ActorRef[],
    noun: string,
    sentenceIdx: number,
    found: { joint: boolean } = { joint: false },
  ): ActorRef[] {
    const family = this.rules.lang.eventNounFamilies[noun];
    const others = (ev: RecentEvent) => {
      const o = ev.sources.filter((a) => a.entity && !sources.some((x) => x.entity === a.entity));
      found.joint = ev.joint;
      return o;
    };
    const mine = (ev: RecentEvent) => ev.sources.some((a) => sources.some((x) => x.entity === a.entity));
    if (noun === "it") {
      // "it" is the latest act: by someone else, it points at them; by the speaker, at the
      // speaker's own target ("Seoul condemned the launch ... called it a provocation").
      for (let k = recent.length - 1; k >= 0; k--) {
        const ev = recent[k]!;
        if (ev.sentence < sentenceIdx - 2) break;
        if (mine(ev))
          return ev.targets.filter((a) => a.entity && !sources.some((x) => x.entity === a.entity));
        // Others' reactions ("Syldavia condemned the launch") are not the act "it" names.
        if (VERBAL_REACTIONS.has(ev.baseRoot)) continue;
        if (others(ev).length) return others(ev);
      }
      return [];
    }
    if (family) {
      // The article's lead act of that kind: "the launch", "the package" usually name the news itself.
      for (const ev of recent) if (family.includes(ev.baseRoot) && others(ev).length) return others(ev);
    }
    for (let k = recent.length - 1; k >= 0; k--) {
      const ev = recent[k]!;
      if (ev.sentence < sentenceIdx - 3) break;
      if (others(ev).length) return others(ev);
    }
    return [];
  }

  hostsOf(sources: ActorRef[], recent: RecentEvent[], current: RecentEvent[]): ActorRef[] {
    const all = [...recent, ...current];
    for (let k = all.length - 1; k >= 0; k--) {
      const ev = all[k]!;
      if (ev.baseRoot !== "04" || !sameEntities(ev.sources, sources)) continue;
      const hosts = ev.targets.filter((a) => a.entity && !sources.some((x) => x.entity === a.entity));
      if (hosts.length) return hosts;
    }
    return [];
  }

  /** "Aid convoys sent by X crossed into Y", "a ship carrying food docked in Y". */
  aidMovement(
    hit: CueHit,
    nps: NounPhrase[],
    s: Sentence,
    ctx: ArticleContext,
    cl: Clause,
  ): { sender: ActorRef[]; recipient: ActorRef[] } {
    const { tokens } = s;
    let sender: ActorRef[] = [];
    let recipient: ActorRef[] = [];
    const end = Math.min(s.to, hit.to + 16);
    for (let k = hit.to; k < end; k++) {
      const w = tokens[k]!.lower;
      if (sender.length === 0 && (w === "by" || w === "from") && SENDING.has(tokens[k - 1]?.lower ?? "")) {
        const np = nps.find((p) => p.from > k && p.from <= k + 3 && !p.modifierOnly && p.actors.length);
        if (np) sender = this.resolve(np, ctx, cl.speaker).filter((a) => a.entity);
      }
      if (MOVEMENT.has(w)) {
        const np = nps.find((p) => p.from > k && p.from <= k + 4 && !p.modifierOnly && p.actors.length);
        if (np) recipient = this.resolve(np, ctx, cl.speaker).filter((a) => a.entity);
        break;
      }
    }
    return { sender, recipient };
  }

  authorsAfter(hit: CueHit, nps: NounPhrase[], s: Sentence, cl: Clause, ctx: ArticleContext): ActorRef[] {
    const { tokens } = s;
    for (let k = hit.to; k < Math.min(s.to - 1, hit.to + 10); k++) {
      const w = tokens[k]!.lower;
      const next = tokens[k + 1]?.lower;
      // "a resolution drafted by X", "calls by X for ...", "a proposal from X".
      const authored = AUTHORING.has(w) && next === "by";
      const owned = REQUEST_NOUNS.has(w) && (next === "by" || next === "from");
      if (!authored && !owned) continue;
      const np = nps.find((p) => p.from > k + 1 && p.from <= k + 3 && !p.modifierOnly && p.actors.length);
      if (np) return this.resolve(np, ctx, cl.speaker).filter((a) => a.entity);
    }
    return [];
  }

  /** Hard case 1: "X warned that if Y does Z, X will ..." targets Y. */
  conditionSubject(clauses: Clause[], cl: Clause, sources: ActorRef[]): ActorRef[] {
    const cond = clauses.find((c) => c !== cl && c.hypothetical && c.subject?.some((a) => a.entity));
    return (cond?.subject ?? []).filter((a) => a.entity && !sources.some((x) => x.entity === a.entity));
  }

  contextTarget(
    clauses: Clause[],
    cl: Clause,
    recent: RecentEvent[],
    sources: ActorRef[],
    baseRoot: string,
  ): ActorRef[] {
    const cond = this.conditionSubject(clauses, cl, sources);
    if (cond.length) return cond;
    // Material help goes to whoever the article's other help goes to ("would provide 31 tanks").
    if (baseRoot === "07") {
      for (let k = recent.length - 1; k >= 0; k--) {
        const ev = recent[k]!;
        if (ev.baseRoot !== "07") continue;
        const others = ev.targets.filter((a) => a.entity && !sources.some((x) => x.entity === a.entity));
        if (others.length) return others;
      }
    }
    // A threat or a demand is aimed at an adversary: only conflictual acts say who that is.
    const conflictOnly = Number(baseRoot) >= 10;
    for (let k = recent.length - 1; k >= 0; k--) {
      const ev = recent[k]!;
      if (conflictOnly && Number(ev.root) < 10) continue;
      if (ev.targets.some((t) => sources.some((x) => x.entity === t.entity))) {
        const others = ev.sources.filter((a) => a.entity && !sources.some((x) => x.entity === a.entity));
        if (others.length) return others;
      }
      if (ev.sources.some((t) => sources.some((x) => x.entity === t.entity))) {
        const others = ev.targets.filter((a) => a.entity && !sources.some((x) => x.entity === a.entity));
        if (others.length) return others;
      }
    }
    return [];
  }

  evaluate(
    tokens: Token[],
    from: number,
    clauseEnd: number,
    sentenceEnd: number,
  ): "positive" | "negative" | undefined {
    const end = Math.min(sentenceEnd, Math.max(clauseEnd, from + 8));
    for (let k = from; k < end; k++) {
      const w = tokens[k]!.lower;
      if (this.rules.sets.negative.has(w)) return "negative";
      if (this.rules.sets.positive.has(w)) return "positive";
    }
    return undefined;
  }

  dateFor(cl: Clause, dates: SentenceDates, published: DayDate): DayDate {
    const inClause = dates.list().find((d) => d.from >= cl.from && d.from < cl.to);
    return inClause?.date ?? published;
  }

  candidate(
    s: Sentence,
    source: ActorRef,
    target: ActorRef | null,
    code: string,
    rule: Candidate["rule"],
    modality: Modality,
    date: DayDate,
    confidence: number,
    published: DayDate,
  ): Candidate {
    // Most events carry the publication date itself (no date in their clause): no day arithmetic.
    const age = date === published ? 0 : daysBetween(published, date);
    return {
      source,
      target,
      code,
      rule,
      modality,
      sentence: s,
      date,
      confidence: Math.max(0.05, Math.min(1, confidence - (modality === "reported" ? 0.05 : 0))),
      background: age > this.rules.lang.backgroundDays,
    };
  }

  // --- assembly -------------------------------------------------------------------

  assemble(
    article: Article,
    candidates: Candidate[],
    neutral: Array<{ holder: ActorRef; targets: ActorRef[]; sentence: Sentence }>,
    options: CodeOptions,
  ): CodedArticle {
    const articleId = String(article.id);
    const events = new Map<string, { ev: CodedEvent; rank: number }>();
    const stanceMap = new Map<string, Stance>();
    for (const c of candidates) {
      if (!c.source.entity) continue;
      if (c.target && !c.target.entity) continue;
      if (!c.target && !options.includeUntargeted) continue;
      if (c.background && !options.includeBackground) continue;
      // Self-reference is dropped unless it pits government against opposition.
      if (c.target && c.target.entity === c.source.entity) {
        const { role: a } = c.source;
        const { role: b } = c.target;
        if (!((a === "GOV" || b === "GOV") && (a === "OPP" || b === "OPP"))) continue;
      }
      const cameo =
        this.lex.cameo.get(c.code) ??
        this.lex.cameo.get(c.code.slice(0, 3)) ??
        this.lex.cameo.get(c.code.slice(0, 2));
      if (!cameo) continue;
      const key = `${c.source.entity}>${c.target?.entity ?? "-"}:${cameo.code}`;
      // The evidence is cut from the text only for a candidate that is kept or takes a stance.
      let evidence: Evidence | undefined;
      const rank = (c.sentence.field === "body" ? 2 : 0) + c.confidence;
      const prev = events.get(key);
      // Most candidates repeat a (source, target, code) already kept with better evidence:
      // only a candidate that wins is built, and the id of its key is hashed once.
      if (!prev || prev.rank < rank) {
        evidence = sentenceEvidence(c.sentence);
        const ev: CodedEvent = {
          id: prev ? prev.ev.id : hashText(`${articleId}|${key}`),
          source: toActor(c.source),
          target: c.target ? toActor(c.target) : null,
          cameo: {
            code: cameo.code,
            root: cameo.root,
            name: cameo.name,
            goldstein: cameo.goldstein,
            quadClass: cameo.quadClass,
          },
          plover: ploverOf(cameo),
          modality: c.modality,
          date: formatDate(c.date),
          evidence,
          ruleId: c.rule.id,
          confidence: round(c.confidence),
        };
        events.set(key, { ev, rank });
      }
      if (c.target) {
        const polarity = stancePolarity(cameo.code, c.rule.stance);
        if (polarity)
          addStance(
            stanceMap,
            articleId,
            c.source,
            c.target,
            polarity,
            c.confidence,
            evidence ?? sentenceEvidence(c.sentence),
          );
      }
    }
    for (const n of neutral) {
      for (const t of n.targets)
        addStance(stanceMap, articleId, n.holder, t, "neutral", 0.6, sentenceEvidence(n.sentence));
    }
    const ordered = [...events.values()]
      .map((e) => e.ev)
      .sort((a, b) =>
        a.evidence.field === b.evidence.field
          ? a.evidence.start - b.evidence.start
          : a.evidence.field === "body"
            ? -1
            : 1,
      );
    return { articleId, events: ordered, stances: [...stanceMap.values()] };
  }
}

function immediatePrep(
  np: NounPhrase,
  tokens: Token[],
  floor: number,
  sets: CompiledRules["sets"],
): string | null {
  let k = np.from - 1;
  while (
    k >= floor &&
    (sets.determiners.has(tokens[k]!.lower) ||
      sets.modifiers.has(tokens[k]!.lower) ||
      tokens[k]!.kind === "number" ||
      // "over the Grand Ethiopian Renaissance Dam": capitalised words of a longer name.
      (tokens[k]!.cap &&
        k > floor &&
        np.from - k === 1 &&
        !DATE_WORDS.has(tokens[k]!.lower) &&
        !sets.clauseBreak.has(tokens[k]!.lower)))
  )
    k--;
  if (k < floor) return null;
  const w = tokens[k]!.lower;
  // The clause's own opener ("as Spain and Norway move to ...") is a conjunction here.
  if (k === floor && sets.clauseBreak.has(w)) return null;
  // "Thousands of Nigeriens rallied": a quantity does not govern its people.
  // The quantity first: it is one lookup and rarely true, the phrase needs a new string.
  if (QUANTITIES.has(tokens[k - 1]?.lower ?? "") && TRANSPARENT.has(`${tokens[k - 1]?.lower ?? ""} ${w}`))
    return null;
  return sets.preps.has(w) ? w : null;
}

function governingPrep(
  np: NounPhrase,
  hit: CueHit,
  tokens: Token[],
  sets: CompiledRules["sets"],
): string | null {
  let k = np.from - 1;
  const floor = hit.to;
  while (k >= floor - 1) {
    const w = tokens[k]!.lower;
    if (hit.indices.includes(k)) {
      // The cue's own preposition ("called on X", "appealed to X") introduces its object
      // unless the frame names that preposition ("spoke with X").
      if (!sets.preps.has(w)) return null;
      // Particles ("called off the summit with X") do not introduce the object.
      if (PARTICLES.has(w)) return w;
      return hit.cue.rule.frame.includes(w) ? w : null;
    }
    if (sets.preps.has(w)) {
      const prev = tokens[k - 1]?.lower ?? "";
      const transparent = TRANSPARENT.has(`${prev} ${w}`);
      const dateLike = DATE_WORDS.has(tokens[k + 1]?.lower ?? "") && k + 1 < np.from;
      if (!transparent && !dateLike) return w;
    }
    k--;
  }
  return null;
}

const CIRCUMSTANCE_PREPS = new Set(["in", "during", "at", "through", "via", "by", "after", "before"]);
const QUANTITIES = new Set([
  "dozens",
  "hundreds",
  "thousands",
  "scores",
  "millions",
  "tens",
  "group",
  "number",
]);
const PARTICLES = new Set(["off", "out", "down", "up", "back", "over", "away"]);

const TRANSPARENT = new Set([
  "linked to",
  "tied to",
  "owned by",
  "belonging to",
  "close to",
  "loyal to",
  "registered in",
  "based in",
  "part of",
  "some of",
  "all of",
  "each of",
  "both of",
  "members of",
  "leaders of",
  "entities in",
  "companies in",
  "firms in",
  "officials from",
  "governments of",
  "envoys of",
  "ambassadors of",
  "citizens of",
  "listing of",
  // "the soldiers who seized power in Niger": the place names whose rulers they are.
  "power in",
  "border with",
  "borders with",
  "frontier with",
  "boundary with",
  "removal of",
  "sovereignty of",
  "closure of",
  "assets of",
  "dozens of",
  "hundreds of",
  "thousands of",
  "scores of",
  "group of",
  "number of",
]);

function firstVerbish(
  s: Sentence,
  cl: Clause,
  cueAt: Int32Array,
  speech: Array<{ at: number }>,
  rules: CompiledRules,
  cues: CueHit[],
): number {
  for (let k = cl.from; k < cl.to; k++) {
    // A noun cue ("On the sidelines of the summit, X and Y signed") is not the clause's verb.
    const cue = cueAt[k - s.from]!;
    if (cue >= 0 && cues[cue]!.cue.rule.pos !== "noun") return k;
    if (isSpeechAt(speech, k)) return k;
    const w = s.tokens[k]!.lower;
    const flags = flagAt(s, k, rules);
    // "'s" is far more often a possessive ("Avalon's army") than "is".
    // "The three leaders pledged to increase military aid": the intent verb ends the subject.
    if (k > cl.from && flags & Word.intentVerb && s.tokens[k + 1]?.lower === "to") return k;
    if (
      flags & Word.intentAux ||
      (flags & Word.be && w !== "'s") ||
      w === "has" ||
      w === "have" ||
      w === "had"
    ) {
      if (k > cl.from) return k;
    }
  }
  return cl.to;
}

/** The flags of token `k` of the sentence's paragraph; past either end, those of the empty word. */
function flagAt(s: Sentence, k: number, rules: CompiledRules): number {
  const f = s.flags[k];
  return f === undefined ? rules.emptyWordFlags : f;
}

/** Whether a speech verb stands at token `k` (a sentence has few: a loop, no closure per token). */
function isSpeechAt(speech: Array<{ at: number }>, k: number): boolean {
  for (const v of speech) if (v.at === k) return true;
  return false;
}

/** "Syldavian firms that ...": at most two plain words between the antecedent and the relative. */
function adjacentAntecedent(np: NounPhrase, cl: Clause, tokens: Token[]): boolean {
  const between = tokens.slice(np.to, cl.from).filter((t) => t.text !== ",");
  return between.length <= 2 && between.every((t) => t.kind === "word" && !ANTECEDENT_BREAKS.has(t.lower));
}

const ANTECEDENT_BREAKS = new Set([
  "and",
  "or",
  "other",
  "the",
  "a",
  "an",
  "of",
  "in",
  "to",
  "with",
  "on",
  "for",
]);

/** A state's forces against rebels or opposition of the same state ("the army and the RSF"). */
function internalRivals(a: ActorRef, b: ActorRef): boolean {
  if (!a.role || !b.role || a.role === b.role) return false;
  return ["REB", "OPP"].includes(a.role) || ["REB", "OPP"].includes(b.role);
}

/** "U.S. officials", "the leaders": a plural common noun, which "they" can refer to. */
function pluralMention(a: ActorRef): boolean {
  const last = a.mention.split(/\s+/).pop() ?? "";
  return !a.person && /^[a-z]+s$/.test(last);
}

function npAt(nps: NounPhrase[], k: number): boolean {
  return nps.some((p) => p.from <= k && k < p.to && p.actors.length > 0);
}

function sameEntities(a: ActorRef[], b: ActorRef[]): boolean {
  // A few actors a side: nested loops, no Set or arrays built per call.
  for (const x of b) {
    if (!x.entity) continue;
    for (const y of a) if (y.entity === x.entity) return true;
  }
  return false;
}

/** The PLOVER code of an event: keys in the published order (type, mode, context), set one by one. */
function ploverOf(cameo: CameoCodeEntry): PloverCode {
  const plover = { type: cameo.plover.type } as PloverCode;
  if (cameo.plover.mode) plover.mode = cameo.plover.mode;
  if (cameo.plover.context) plover.context = cameo.plover.context;
  return plover;
}

function toActor(a: ActorRef): Actor {
  // Keys in the published order (entity, role, name, mention), set one by one instead of spread.
  const actor = { entity: a.entity! } as Actor;
  if (a.role) actor.role = a.role;
  if (a.name) actor.name = a.name;
  actor.mention = a.mention;
  return actor;
}

function sentenceEvidence(s: Sentence): Evidence {
  const start = s.tokens[s.from]!.start;
  const end = s.tokens[s.to - 1]!.end;
  return { field: s.field, start, end, text: s.text.slice(start, end) };
}

function round(x: number): number {
  return Math.round(x * 100) / 100;
}

const SUPPORT_ROOTS = new Set(["03", "05", "06", "07"]);
const OPPOSE_ROOTS = new Set(["10", "11", "12", "13", "14", "15", "16", "17", "18", "19", "20"]);
// Intent to meet or mediate, signing, and unspecified material cooperation ("hosts French troops",
// "together with") describe dealings, not a position.
const NO_STANCE_CODES = new Set(["036", "038", "039", "057", "060"]);

function stancePolarity(code: string, override: CueRule["stance"]): Polarity | undefined {
  if (override === "none") return undefined;
  if (override) return override;
  if (NO_STANCE_CODES.has(code)) return undefined;
  const root = code.slice(0, 2);
  if (SUPPORT_ROOTS.has(root)) return "support";
  if (OPPOSE_ROOTS.has(root)) return "oppose";
  return undefined;
}

function addStance(
  map: Map<string, Stance>,
  articleId: string,
  holder: ActorRef,
  target: ActorRef,
  polarity: Polarity,
  confidence: number,
  evidence: Evidence,
): void {
  if (!holder.entity || !target.entity || holder.entity === target.entity) return;
  const key = `${holder.entity}>${target.entity}:${polarity}`;
  const existing = map.get(key);
  if (existing) {
    if (!existing.evidence.some((e) => e.field === evidence.field && e.start === evidence.start))
      existing.evidence.push(evidence);
    existing.confidence = round(Math.max(existing.confidence, confidence));
    return;
  }
  map.set(key, {
    id: hashText(`${articleId}|stance|${key}`),
    holder: toActor(holder),
    target: toActor(target),
    polarity,
    confidence: round(confidence),
    evidence: [evidence],
  });
}
