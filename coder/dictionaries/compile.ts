// Turns the gazetteer files into one lookup keyed on the first token of each
// form, longest forms first, so matching an article is one Map lookup per token.
import { formTokens, type Interned, internLower, tokenize } from "../tokens.js";
import type { CameoCodeEntry, DictionaryFiles } from "./types.js";

export type MentionKind =
  | "state"
  | "demonym"
  | "capital"
  | "metonym"
  | "institution"
  | "org"
  | "orgMember"
  | "orgSeat"
  | "person"
  | "group"
  | "title"
  | "vague";

export type CaseMode = "exact" | "cap" | "any";

export interface LexEntry {
  id: string;
  kind: MentionKind;
  tokens: string[];
  /** Original form tokens (for exact-case matching). */
  raw: string[];
  caseMode: CaseMode;
  /** Positions in `raw` of the words that start with a capital ("cap" matching checks only these). */
  capAt: number[];
  entity?: string;
  role?: string;
  name?: string;
  office?: string;
  from?: string | null;
  to?: string | null;
  /** `Date.parse(from)` and `Date.parse(to)`, parsed once (NaN when absent). */
  fromTime: number;
  toTime: number;
  /** A one-word surname: usable alone only if not ambiguous, or after the full name. */
  surnameOnly?: boolean;
  surnameAmbiguous?: boolean;
}

/** One word of a form; `entries` are the forms that end here, in dictionary order. */
export interface FormNode {
  next: Map<string, FormNode> | undefined;
  entries: LexEntry[] | undefined;
}

export interface Lexicon {
  version: string;
  /**
   * The word trie of the forms starting with `word`, so a lookup walks only the
   * words the text actually has. Built on first use per first word.
   */
  formsFrom(word: string): FormNode | undefined;
  /** Every form by its first token (longest first); lists are built on first use. */
  byFirst: Map<string, LexEntry[]>;
  /** Forms of two or more tokens by their first two tokens, so common first words stay cheap. */
  byFirstTwo: Map<string, LexEntry[]>;
  /** One-token forms by that token. */
  single: Map<string, LexEntry[]>;
  cameo: Map<string, CameoCodeEntry>;
  /** Titles by office, to resolve "the foreign minister" to a known holder. */
  maxFormLength: number;
}

function caseModeOf(form: string, forceCap: boolean): CaseMode {
  const letters = form.replace(/[^\p{L}]/gu, "");
  if (letters.length >= 2 && letters === letters.toUpperCase() && letters !== letters.toLowerCase())
    return "exact";
  const first = form.replace(/^the\s+/i, "")[0] ?? "";
  if (forceCap || (first !== first.toLowerCase() && first === first.toUpperCase())) return "cap";
  return "any";
}

/**
 * ASCII letters and digits in words separated by single spaces: nine forms in ten.
 * These tokenise exactly as `split(" ")` does, which matters at cold start, when the
 * tokenizer still runs unoptimised for every one of some ten thousand forms.
 */
const PLAIN_FORM = /^[A-Za-z0-9]+(?: [A-Za-z0-9]+)*$/;
const ALNUM_WORD = /^[A-Za-z0-9]+$/;
// A regex, not a loop over characters: at cold start this code is still interpreted,
// and the regex engine runs compiled.
function isPlainForm(form: string): boolean {
  return PLAIN_FORM.test(form);
}

/** `caseModeOf` for a plain form, without the Unicode regexes. */
function plainCaseMode(form: string, forceCap: boolean): CaseMode {
  let letters = 0;
  let lower = false;
  for (let k = 0; k < form.length; k++) {
    const c = form.charCodeAt(k);
    if (c >= 97 && c <= 122) lower = true;
    if ((c >= 65 && c <= 90) || (c >= 97 && c <= 122)) letters++;
  }
  if (letters >= 2 && !lower) return "exact";
  const skip = form.length > 4 && /^the /i.test(form) ? 4 : 0;
  const first = form.charCodeAt(skip);
  if (forceCap || (first >= 65 && first <= 90)) return "cap";
  return "any";
}

type EntryBase = Omit<LexEntry, "tokens" | "raw" | "caseMode" | "capAt" | "fromTime" | "toTime">;

/** Positions of the words whose first character changes when lower-cased, found once per form. */
function capitalised(raw: string[]): number[] {
  const at: number[] = [];
  for (let k = 0; k < raw.length; k++) {
    const first = raw[k]![0] ?? "";
    if (first !== first.toLowerCase()) at.push(k);
  }
  return at;
}

/** A form read at load time and compiled when its first word is first looked up. */
interface PendingForm {
  stripped: string;
  entry: EntryBase;
  forceCap: boolean;
  /** Words split by single spaces (see `isPlainForm`); others go through the tokenizer. */
  plain: boolean;
  /** Lower-case tokens, when load time already needed them to find the first word. */
  tokens: string[] | undefined;
}

/**
 * Compiles the forms of one first word, in dictionary order, exactly as an
 * eager pass over every form would: same dedup, same entries, same order.
 */
function compileBucket(pending: PendingForm[]): LexEntry[] {
  const list: LexEntry[] = [];
  const seen = new Set<string>();
  for (const p of pending) {
    const { stripped, entry, forceCap } = p;
    const { plain } = p;
    const rawCase = plain ? stripped.split(" ") : tokensRaw(stripped);
    const raw = plain
      ? rawCase.map((w) => internLower(w.toLowerCase()))
      : (p.tokens ?? formTokens(stripped.replace(/’/g, "'")));
    // Two forms with the same words share their first word, so dedup per first word is dedup overall.
    const key = `${entry.kind}|${entry.id}|${raw.join(" ")}`;
    if (seen.has(key)) continue;
    seen.add(key);
    const caseMode = plain ? plainCaseMode(stripped, forceCap) : caseModeOf(stripped, forceCap);
    // Every field in one order, so all entries share one hidden class and the matcher stays monomorphic.
    list.push({
      id: entry.id,
      kind: entry.kind,
      tokens: raw,
      raw: rawCase,
      caseMode,
      capAt: capitalised(rawCase),
      entity: entry.entity,
      role: entry.role,
      name: entry.name,
      office: entry.office,
      from: entry.from,
      to: entry.to,
      fromTime: entry.from ? Date.parse(entry.from) : Number.NaN,
      toTime: entry.to ? Date.parse(entry.to) : Number.NaN,
      surnameOnly: entry.surnameOnly,
      surnameAmbiguous: entry.surnameAmbiguous,
    });
  }
  list.sort((a, b) => b.tokens.length - a.tokens.length);
  return list;
}

/**
 * `byFirst` as a Map whose lists are compiled on first use: at cold start only the
 * first word of each of some ten thousand forms is read, and an article compiles
 * only the few hundred first words it contains.
 */
class LazyFormIndex extends Map<string, LexEntry[]> {
  private complete = false;
  constructor(private readonly pending: Map<string, PendingForm[]>) {
    super();
  }
  override get(word: string): LexEntry[] | undefined {
    const list = super.get(word);
    if (list !== undefined || this.complete) return list;
    const forms = this.pending.get(word);
    if (forms === undefined) return undefined;
    const compiled = compileBucket(forms);
    super.set(word, compiled);
    return compiled;
  }
  override has(word: string): boolean {
    return this.pending.has(word);
  }
  override get size(): number {
    return this.pending.size;
  }
  /** Iteration (rare: tools and tests) compiles everything, in first-seen order. */
  private compileAll(): void {
    if (this.complete) return;
    const done = new Map(super.entries());
    super.clear();
    for (const word of this.pending.keys())
      super.set(word, done.get(word) ?? compileBucket(this.pending.get(word)!));
    this.complete = true;
  }
  override entries(): MapIterator<[string, LexEntry[]]> {
    this.compileAll();
    return super.entries();
  }
  override keys(): MapIterator<string> {
    this.compileAll();
    return super.keys();
  }
  override values(): MapIterator<LexEntry[]> {
    this.compileAll();
    return super.values();
  }
  override [Symbol.iterator](): MapIterator<[string, LexEntry[]]> {
    return this.entries();
  }
  override forEach(callback: (value: LexEntry[], key: string, map: Map<string, LexEntry[]>) => void): void {
    this.compileAll();
    super.forEach(callback);
  }
}

export function compileLexicon(files: DictionaryFiles): Lexicon {
  const pending = new Map<string, PendingForm[]>();
  const add = (form: string, entry: EntryBase, forceCap = false) => {
    if (typeof form !== "string") return;
    // Forms may come with or without "the"; the engine skips articles itself.
    const trimmed = form.trim();
    // Only a form starting with "t"/"T" can start with "the": the regex runs for those alone.
    const stripped = (trimmed.charCodeAt(0) | 0x20) === 116 ? trimmed.replace(/^the\s+/i, "") : trimmed;
    if (!stripped) return;
    // Load time needs only the first word. An ASCII letters-and-digits first word
    // followed by a space (or nothing) is its own first token: no tokenizer needed.
    const space = stripped.indexOf(" ");
    const head = space < 0 ? stripped : stripped.slice(0, space);
    let first: string;
    let tokens: string[] | undefined;
    if (ALNUM_WORD.test(head)) first = head.toLowerCase();
    else {
      tokens = formTokens(stripped.replace(/’/g, "'"));
      if (tokens.length === 0) return;
      first = tokens[0]!;
    }
    const list = pending.get(first);
    const p: PendingForm = { stripped, entry, forceCap, plain: isPlainForm(stripped), tokens };
    if (list) list.push(p);
    else pending.set(first, [p]);
  };

  for (const s of files.states.entries ?? []) {
    const ambiguous = new Set((s.ambiguous ?? []).map((a) => a.toLowerCase()));
    const base = { id: s.id, entity: s.entity };
    // One entry object per kind, shared by its forms (each compiled entry copies it).
    const state: EntryBase = { ...base, kind: "state" };
    for (const f of s.names ?? []) add(f, state, ambiguous.has(f.toLowerCase()));
    const demonym: EntryBase = { ...base, kind: "demonym" };
    for (const f of s.demonyms ?? []) add(f, demonym, true);
    const capital: EntryBase = { ...base, kind: "capital" };
    for (const f of s.capitals ?? []) add(f, capital, true);
    const metonym: EntryBase = { ...base, kind: "metonym" };
    for (const f of s.metonyms ?? []) add(f, metonym, true);
    const institution: EntryBase = { ...base, kind: "institution" };
    for (const f of s.institutions ?? []) add(f, institution);
  }
  for (const o of files.organizations.entries ?? []) {
    const ambiguous = new Set((o.ambiguous ?? []).map((a) => a.toLowerCase()));
    const base = { id: o.id, entity: o.entity };
    for (const f of o.names ?? []) add(f, { ...base, kind: "org" }, ambiguous.has(f.toLowerCase()));
    for (const f of o.memberForms ?? []) add(f, { ...base, kind: "orgMember" });
    for (const f of o.seats ?? []) add(f, { ...base, kind: "orgSeat" }, true);
  }
  for (const p of files.people.entries ?? []) {
    const base = {
      id: p.id,
      entity: p.entity,
      name: p.name,
      ...(p.role ? { role: p.role } : {}),
      ...(p.office ? { office: p.office } : {}),
      from: p.from ?? null,
      to: p.to ?? null,
    };
    const forms = new Set([p.name, ...(p.aliases ?? [])]);
    if (p.surname) forms.add(p.surname);
    for (const f of forms) {
      const surnameOnly = p.surname !== undefined && f === p.surname;
      add(f, { ...base, kind: "person", surnameOnly, surnameAmbiguous: p.surnameAmbiguous === true }, true);
    }
  }
  for (const g of files.groups.entries ?? []) {
    for (const f of g.names ?? [])
      add(f, { id: g.id, entity: g.entity, kind: "group", ...(g.role ? { role: g.role } : {}) }, true);
  }
  for (const t of files.titles.entries ?? []) {
    const title: EntryBase = {
      id: t.id,
      kind: "title",
      ...(t.role ? { role: t.role } : {}),
      ...(t.office ? { office: t.office } : {}),
    };
    for (const f of t.forms ?? []) add(f, title);
  }
  for (const v of files.vagueGroups.entries ?? []) {
    for (const f of [...(v.forms ?? []), ...(v.names ?? [])]) add(f, { id: v.id, kind: "vague" });
  }
  const byFirst = new LazyFormIndex(pending);
  const cameo = new Map<string, CameoCodeEntry>();
  for (const c of files.cameo.codes ?? []) cameo.set(c.code, c);
  const version = [
    files.cameo.version,
    files.states.version,
    files.organizations.version,
    files.people.version,
    files.groups.version,
    files.titles.version,
    files.vagueGroups.version,
  ].join("+");
  // The engine reads `forms`; the two secondary indexes are built on first use, not at cold start.
  const trie = new Map<string, FormNode | null>();
  let secondary: { byFirstTwo: Map<string, LexEntry[]>; single: Map<string, LexEntry[]> } | undefined;
  return {
    version,
    formsFrom: (word) => {
      const node = trie.get(word);
      if (node !== undefined) return node ?? undefined;
      // Words without forms are remembered as null: most tokens, one lookup each.
      const list = byFirst.get(word);
      const built = list ? buildFormTrie(list) : null;
      if (trie.size < MAX_REMEMBERED_WORDS || built) trie.set(word, built);
      return built ?? undefined;
    },
    byFirst,
    get byFirstTwo() {
      secondary ??= indexSecondary(byFirst);
      return secondary.byFirstTwo;
    },
    get single() {
      secondary ??= indexSecondary(byFirst);
      return secondary.single;
    },
    cameo,
    get maxFormLength() {
      // Read by tools, not by the engine: compiling every form for it waits until asked.
      let max = 1;
      for (const list of byFirst.values()) for (const e of list) max = Math.max(max, e.tokens.length);
      return max;
    },
  };
}

function indexSecondary(byFirst: Map<string, LexEntry[]>): {
  byFirstTwo: Map<string, LexEntry[]>;
  single: Map<string, LexEntry[]>;
} {
  const byFirstTwo = new Map<string, LexEntry[]>();
  const single = new Map<string, LexEntry[]>();
  for (const [first, list] of byFirst) {
    for (const e of list) {
      if (e.tokens.length === 1) {
        const l = single.get(first) ?? [];
        l.push(e);
        single.set(first, l);
      } else {
        const key = `${first} ${e.tokens[1]}`;
        const l = byFirstTwo.get(key) ?? [];
        l.push(e);
        byFirstTwo.set(key, l);
      }
    }
  }
  return { byFirstTwo, single };
}

/** The trie of the forms that share one first word (the list is longest first). */
function buildFormTrie(list: LexEntry[]): FormNode {
  const root: FormNode = { next: undefined, entries: undefined };
  for (const entry of list) {
    const words = entry.tokens;
    let node = root;
    for (let w = 1; w < words.length; w++) {
      // Leaves get no map (most forms are one or two words), so the walk stops without a lookup.
      node.next ??= new Map();
      let child = node.next.get(words[w]!);
      if (!child) {
        child = { next: undefined, entries: undefined };
        node.next.set(words[w]!, child);
      }
      node = child;
    }
    node.entries ??= [];
    node.entries.push(entry);
  }
  return root;
}

// Bounds the memory of words looked up without forms (all the text's vocabulary).
const MAX_REMEMBERED_WORDS = 200_000;

const NO_FORMS: LexEntry[] = [];
const pathScratch: LexEntry[][] = [];

/**
 * The forms whose words match the text at token `i` (not past `end`), longest
 * first and in dictionary order within a length: the same entries, in the same
 * order, as scanning `byFirst` and comparing every word, without the scan.
 * Case, dates and context are for the caller to check.
 */
export function formsAt(
  lex: Lexicon,
  tokens: readonly { lower: string; word?: Interned }[],
  i: number,
  end: number,
): LexEntry[] {
  let node = formsOf(lex, tokens[i]!);
  if (!node) return NO_FORMS;
  let found = 0;
  let k = i + 1;
  for (;;) {
    if (node.entries) pathScratch[found++] = node.entries;
    if (!node.next || k >= end) break;
    const child: FormNode | undefined = node.next.get(tokens[k]!.lower);
    if (!child) break;
    node = child;
    k++;
  }
  if (found === 0) return NO_FORMS;
  if (found === 1) return pathScratch[0]!;
  const out: LexEntry[] = [];
  for (let f = found - 1; f >= 0; f--) for (const e of pathScratch[f]!) out.push(e);
  return out;
}

/** The trie of forms starting with this token's word, if any. */
function formsOf(lex: Lexicon, token: { lower: string; word?: Interned }): FormNode | undefined {
  const word = token.word;
  // The interned word remembers its node for the lexicon that last asked (one per coder in practice).
  if (word !== undefined && word.lookupOwner === lex) return word.lookup as FormNode | undefined;
  const node = lex.formsFrom(token.lower);
  if (word !== undefined) {
    word.lookupOwner = lex;
    word.lookup = node;
  }
  return node;
}

/** Flag bit for "a form starts with this word", kept beside the rules' `Word` bits (which stay below it). */
export const FORM_START = 1 << 30;

/** Whether some form starts with this token's word (`byFirst.has`, read from the word's remembered node). */
export function startsForm(lex: Lexicon, token: { lower: string; word?: Interned }): boolean {
  return formsOf(lex, token) !== undefined;
}

function tokensRaw(form: string): string[] {
  // Same tokenisation as formTokens but keeping case, for exact-case forms ("US" vs "us").
  return tokenize(form).map((t) => t.text);
}
