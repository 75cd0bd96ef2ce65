// Compiles the cue rules into a Map keyed on the first word form, so finding
// cues in a sentence is one lookup per token (no regex per pattern).
import type { Interned } from "../tokens.js";

export type Pos = "verb" | "noun" | "phrase";

export interface CueRule {
  id: string;
  pattern: string;
  pos: Pos;
  code: string;
  frame: string[];
  irregular?: string[];
  gap?: number;
  symmetric?: boolean;
  mediation?: boolean;
  intentCode?: string;
  negatedCode?: string;
  eventObject?: boolean;
  subjectTarget?: boolean;
  speechOnly?: boolean;
  objectActorOnly?: boolean;
  needsIntent?: boolean;
  targetFromContext?: boolean;
  /** Target is the subject of a conditional clause in the sentence ("threatened ... if the bloc ..."). */
  conditionTarget?: boolean;
  evaluative?: boolean;
  allowNegation?: boolean;
  capitalTarget?: boolean;
  /** A general cue ("agreed to") that gives way to a specific cue later in its clause. */
  yieldsToLaterCue?: boolean;
  stance?: "support" | "oppose" | "neutral" | "none";
  /** The source follows "from" and the target owns the clause's subject ("drew criticism from X"). */
  sourceAfterFrom?: boolean;
  /** The act noun it governs is carried out, not absorbed ("ordered the closure of borders"). */
  carriesOut?: boolean;
}

export interface EventRules {
  version: string;
  cues: CueRule[];
}

export interface LanguageRules {
  version: string;
  speechVerbs: string[];
  speechPhrases: string[][];
  intentAuxiliaries: string[];
  intentVerbs: string[];
  beForms: string[];
  agreeVerbs: string[];
  demandModals: Record<string, string>;
  demandPhrases: string[][];
  speculativeModals: string[];
  speculativeAdverbs: string[];
  negations: string[];
  negationVerbs: string[];
  hypotheticalOpeners: string[];
  refusalVerbs: string[];
  clauseBreakWords: string[];
  relativePronouns: string[];
  clauseBreakPunct: string[];
  prepositions: string[];
  transparentPhrases: string[][];
  determiners: string[];
  modifiers: string[];
  pronouns: Record<string, string>;
  pairDescriptions: string[][];
  bodyDescriptions: Record<string, string>;
  eventNouns: string[];
  negativeEvaluations: string[];
  positiveEvaluations: string[];
  neutralityCues: string[][];
  eventNounFamilies: Record<string, string[]>;
  backgroundDays: number;
}

export interface RuleFiles {
  events: EventRules;
  language: LanguageRules;
}

export interface CompiledCue {
  rule: CueRule;
  /** Alternatives for each word of the pattern. */
  words: Array<Set<string>>;
  /** The first word is the head (verb or noun) of the cue. */
  isVerb: boolean;
}

export interface CompiledRules {
  version: string;
  byFirst: Map<string, CompiledCue[]>;
  lang: LanguageRules;
  /** Whether a speech phrase ("according to") can start at this word: checked before matching any phrase. */
  startsSpeechPhrase(word: string): boolean;
  /** The neutrality cues, or none when no word of the sentence can start one (most sentences). */
  neutralityCuesIn(tokens: readonly { lower: string }[], from: number, to: number): string[][];
  /** Descriptions of a pair or group ("the two sides") by first word. */
  pairsByFirst: Map<string, string[][]>;
  /** The same as word tries, by first word. */
  pairTries: Map<string, PairNode>;
  /** `Word` classes of the empty word, for reads past the last token. */
  emptyWordFlags: number;
  sets: {
    speech: Set<string>;
    intentAux: Set<string>;
    intentVerbs: Set<string>;
    be: Set<string>;
    agree: Set<string>;
    speculativeModals: Set<string>;
    speculativeAdverbs: Set<string>;
    negations: Set<string>;
    negationVerbs: Set<string>;
    hypothetical: Set<string>;
    refusal: Set<string>;
    clauseBreak: Set<string>;
    relative: Set<string>;
    clausePunct: Set<string>;
    preps: Set<string>;
    determiners: Set<string>;
    modifiers: Set<string>;
    eventNouns: Set<string>;
    negative: Set<string>;
    positive: Set<string>;
  };
}

/** What the rules say about one word, looked up once per word instead of once per token. */
export interface WordRules {
  /** Cues whose first word this is (longest first), as `byFirst` has them. */
  cues: CompiledCue[] | undefined;
  /** `lang.pronouns[word]`, exactly as that lookup reads it. */
  pronoun: string | undefined;
  /** Pair descriptions starting with this word, as a word trie (see `longestPair`). */
  pairs: PairNode | undefined;
  /** `lang.bodyDescriptions[word]`, exactly as that lookup reads it ("bloc" → "org"). */
  body: string | undefined;
  /** The word classes (`Word.*` bits) the language rules put this word in. */
  flags: number;
}

/**
 * Word classes of the language rules, one bit each, so the clause analysis tests a
 * token's class with one read of its word instead of a Set lookup per class and token.
 * Each bit answers exactly what the named set's `has` answers for the word.
 */
export const Word = {
  speech: 1 << 0,
  /** `startsSpeechPhrase(word)`. */
  speechPhraseStart: 1 << 1,
  /** A neutrality cue can start here (every word, if a cue is empty). */
  neutralityStart: 1 << 2,
  /** `clausePunct.has(text)`: read on the token's text, not its lower-case form. */
  clausePunct: 1 << 3,
  clauseBreak: 1 << 4,
  be: 1 << 5,
  intentAux: 1 << 6,
  intentVerb: 1 << 7,
  prep: 1 << 8,
  determiner: 1 << 9,
  modifier: 1 << 10,
  negation: 1 << 11,
  negationVerb: 1 << 12,
  speculativeModal: 1 << 13,
  speculativeAdverb: 1 << 14,
  eventNoun: 1 << 15,
  negative: 1 << 16,
  positive: 1 << 17,
  /** Some cue starts with this word. */
  cueStart: 1 << 18,
  /** Some pair description ("the two sides") starts with this word. */
  pairStart: 1 << 19,
  /** A pronoun of the rules. */
  pronoun: 1 << 20,
  /** A body description ("bloc", "ministry"): `body` says which kind. */
  body: 1 << 21,
} as const;

function classify(rules: CompiledRules, lower: string, text: string): number {
  const s = rules.sets;
  let f = 0;
  if (s.speech.has(lower)) f |= Word.speech;
  if (rules.startsSpeechPhrase(lower)) f |= Word.speechPhraseStart;
  if (rules.neutralityCuesIn([{ lower }], 0, 1).length > 0) f |= Word.neutralityStart;
  if (s.clausePunct.has(text)) f |= Word.clausePunct;
  if (s.clauseBreak.has(lower)) f |= Word.clauseBreak;
  if (s.be.has(lower)) f |= Word.be;
  if (s.intentAux.has(lower)) f |= Word.intentAux;
  if (s.intentVerbs.has(lower)) f |= Word.intentVerb;
  if (s.preps.has(lower)) f |= Word.prep;
  if (s.determiners.has(lower)) f |= Word.determiner;
  if (s.modifiers.has(lower)) f |= Word.modifier;
  if (s.negations.has(lower)) f |= Word.negation;
  if (s.negationVerbs.has(lower)) f |= Word.negationVerb;
  if (s.speculativeModals.has(lower)) f |= Word.speculativeModal;
  if (s.speculativeAdverbs.has(lower)) f |= Word.speculativeAdverb;
  if (s.eventNouns.has(lower)) f |= Word.eventNoun;
  if (s.negative.has(lower)) f |= Word.negative;
  if (s.positive.has(lower)) f |= Word.positive;
  return f;
}

/**
 * The word classes of a token, or of the empty word when there is no token (as
 * `set.has(tokens[k]?.lower ?? "")` reads past the end of a paragraph).
 */
export function wordFlags(
  rules: CompiledRules,
  token: { lower: string; text: string; word?: Interned } | undefined,
): number {
  if (token === undefined) return rules.emptyWordFlags;
  const word = token.word;
  if (word !== undefined && word.rulesOwner === rules) return word.flags;
  return wordRules(rules, token).flags;
}

/** One word of the pair descriptions ("the two sides"); `ends` when a description ends here. */
export interface PairNode {
  next: Map<string, PairNode>;
  ends: boolean;
}

/**
 * Length of the longest pair description at token `i` (not past `end`), or 0: the
 * description `pairsByFirst` lists first among those that match (it sorts longest
 * first), found by walking the words the text has instead of comparing every description.
 */
export function longestPair(
  root: PairNode,
  tokens: readonly { lower: string }[],
  i: number,
  end: number,
): number {
  let best = root.ends ? 1 : 0;
  let node = root;
  for (let k = i + 1; k < end; k++) {
    const child = node.next.get(tokens[k]!.lower);
    if (child === undefined) break;
    node = child;
    if (node.ends) best = k - i + 1;
  }
  return best;
}

function pairTries(pairsByFirst: Map<string, string[][]>): Map<string, PairNode> {
  const tries = new Map<string, PairNode>();
  for (const [first, list] of pairsByFirst) {
    const root: PairNode = { next: new Map(), ends: false };
    for (const seq of list) {
      let node = root;
      for (let w = 1; w < seq.length; w++) {
        let child = node.next.get(seq[w]!);
        if (child === undefined) {
          child = { next: new Map(), ends: false };
          node.next.set(seq[w]!, child);
        }
        node = child;
      }
      node.ends = true;
    }
    tries.set(first, root);
  }
  return tries;
}

/**
 * The rules' view of a token's word, remembered on the interned word for the
 * rules that last asked (one set per coder in practice), so a token needs one
 * field read instead of three map lookups.
 */
export function wordRules(
  rules: CompiledRules,
  token: { lower: string; text: string; word?: Interned },
): WordRules {
  const word = token.word;
  // The interned word carries the fields of WordRules itself.
  if (word !== undefined && word.rulesOwner === rules) return word as unknown as WordRules;
  const cues = rules.byFirst.get(token.lower);
  const pronoun = rules.lang.pronouns[token.lower];
  const pairs = rules.pairTries.get(token.lower);
  const body = rules.lang.bodyDescriptions[token.lower];
  let flags = classify(rules, token.lower, token.text);
  if (cues !== undefined) flags |= Word.cueStart;
  if (pairs !== undefined) flags |= Word.pairStart;
  if (pronoun) flags |= Word.pronoun;
  if (body) flags |= Word.body;
  if (word === undefined) return { cues, pronoun, pairs, body, flags };
  word.rulesOwner = rules;
  word.cues = cues;
  word.pronoun = pronoun;
  word.pairs = pairs;
  word.body = body;
  word.flags = flags;
  return word as unknown as WordRules;
}

const VOWELS = new Set(["a", "e", "i", "o", "u"]);

/** Regular inflections of an English verb; over-generation is harmless here. */
export function inflectVerb(lemma: string): string[] {
  const forms = new Set([lemma]);
  const last = lemma[lemma.length - 1] ?? "";
  const prev = lemma[lemma.length - 2] ?? "";
  if (last === "e") {
    forms
      .add(`${lemma}s`)
      .add(`${lemma}d`)
      .add(`${lemma.slice(0, -1)}ing`);
  } else if (last === "y" && !VOWELS.has(prev)) {
    forms
      .add(`${lemma.slice(0, -1)}ies`)
      .add(`${lemma.slice(0, -1)}ied`)
      .add(`${lemma}ing`);
  } else if (/(s|x|z|ch|sh)$/.test(lemma)) {
    forms.add(`${lemma}es`).add(`${lemma}ed`).add(`${lemma}ing`);
  } else {
    forms.add(`${lemma}s`).add(`${lemma}ed`).add(`${lemma}ing`);
    // Consonant-vowel-consonant endings double ("stop" -> "stopped", "regret" -> "regretted").
    if (!VOWELS.has(last) && VOWELS.has(prev) && !"wxy".includes(last)) {
      forms.add(`${lemma}${last}ed`).add(`${lemma}${last}ing`);
    }
  }
  // British and American spellings of -ise/-ize verbs behave the same.
  return [...forms];
}

function nounForms(word: string): string[] {
  if (word.endsWith("s")) return [word];
  if (word.endsWith("y")) return [word, `${word.slice(0, -1)}ies`];
  if (/(x|ch|sh)$/.test(word)) return [word, `${word}es`];
  return [word, `${word}s`];
}

export function compileRules(files: RuleFiles): CompiledRules {
  const byFirst = new Map<string, CompiledCue[]>();
  for (const rule of files.events.cues) {
    const parts = rule.pattern.toLowerCase().split(/\s+/).filter(Boolean);
    const words: Array<Set<string>> = parts.map((p, i) => {
      const alts = p.split("|");
      const set = new Set<string>();
      for (const a of alts) {
        if (i === 0 && rule.pos === "verb") for (const f of inflectVerb(a)) set.add(f);
        else if (i === parts.length - 1 && rule.pos === "noun") for (const f of nounForms(a)) set.add(f);
        else set.add(a);
      }
      if (i === 0) for (const irr of rule.irregular ?? []) set.add(irr.toLowerCase());
      return set;
    });
    const compiled: CompiledCue = { rule, words, isVerb: rule.pos === "verb" };
    for (const first of words[0] ?? []) {
      const list = byFirst.get(first) ?? [];
      list.push(compiled);
      byFirst.set(first, list);
    }
  }
  // Longer patterns first: "hold talks" beats "talks"; an evaluative reading ("called it a
  // provocation") is tried before a plain one ("called Kral"), and only holds with an evaluation.
  for (const list of byFirst.values())
    list.sort(
      (a, b) => b.words.length - a.words.length || Number(!!b.rule.evaluative) - Number(!!a.rule.evaluative),
    );
  const l = files.language;
  const s = (xs: string[]) => new Set(xs.map((x) => x.toLowerCase()));
  const pairsByFirst = new Map<string, string[][]>();
  for (const seq of l.pairDescriptions) {
    const list = pairsByFirst.get(seq[0]!) ?? [];
    list.push(seq);
    list.sort((a, b) => b.length - a.length);
    pairsByFirst.set(seq[0]!, list);
  }
  const speechStarts = new Set(l.speechPhrases.map((p) => p[0]!));
  const neutralityStarts = new Set(l.neutralityCues.map((c) => c[0]!));
  const anyEmptyNeutrality = l.neutralityCues.some((c) => c.length === 0);
  const noCues: string[][] = [];
  const compiled: CompiledRules = {
    version: `${files.events.version}+${l.version}`,
    byFirst,
    pairsByFirst,
    pairTries: pairTries(pairsByFirst),
    emptyWordFlags: 0,
    lang: l,
    startsSpeechPhrase: l.speechPhrases.some((p) => p.length === 0)
      ? () => true
      : (word) => speechStarts.has(word),
    neutralityCuesIn: (tokens, from, to) => {
      if (anyEmptyNeutrality) return l.neutralityCues;
      for (let i = from; i < to; i++) if (neutralityStarts.has(tokens[i]!.lower)) return l.neutralityCues;
      return noCues;
    },
    sets: {
      speech: s(l.speechVerbs),
      intentAux: s(l.intentAuxiliaries),
      intentVerbs: s(l.intentVerbs),
      be: s(l.beForms),
      agree: s(l.agreeVerbs),
      speculativeModals: s(l.speculativeModals),
      speculativeAdverbs: s(l.speculativeAdverbs),
      negations: s(l.negations),
      negationVerbs: s(l.negationVerbs),
      hypothetical: s(l.hypotheticalOpeners),
      refusal: s(l.refusalVerbs),
      clauseBreak: s(l.clauseBreakWords),
      relative: s(l.relativePronouns),
      clausePunct: s(l.clauseBreakPunct),
      preps: s(l.prepositions),
      determiners: s(l.determiners),
      modifiers: s(l.modifiers),
      eventNouns: s(l.eventNouns),
      negative: s(l.negativeEvaluations),
      positive: s(l.positiveEvaluations),
    },
  };
  compiled.emptyWordFlags = classify(compiled, "", "");
  return compiled;
}
