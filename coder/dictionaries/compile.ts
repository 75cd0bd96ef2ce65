// Turns the gazetteer files into one lookup keyed on the first token of each
// form, longest forms first, so matching an article is one Map lookup per token.
import { formTokens, tokenize } from "../tokens.js";
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
  entity?: string;
  role?: string;
  name?: string;
  office?: string;
  from?: string | null;
  to?: string | null;
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
  /** Every form as a word trie, so a lookup walks only the words the text actually has. */
  forms: Map<string, FormNode>;
  /** Every form by its first token (longest first). */
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

export function compileLexicon(files: DictionaryFiles): Lexicon {
  const byFirst = new Map<string, LexEntry[]>();
  let maxFormLength = 1;
  const seen = new Set<string>();
  const add = (form: string, entry: Omit<LexEntry, "tokens" | "raw" | "caseMode">, forceCap = false) => {
    if (typeof form !== "string") return;
    // Forms may come with or without "the"; the engine skips articles itself.
    const stripped = form.trim().replace(/^the\s+/i, "");
    if (!stripped) return;
    const raw = formTokens(stripped.replace(/’/g, "'"));
    const rawCase = tokensRaw(stripped);
    if (raw.length === 0) return;
    const key = `${entry.kind}|${entry.id}|${raw.join(" ")}`;
    if (seen.has(key)) return;
    seen.add(key);
    const full: LexEntry = { ...entry, tokens: raw, raw: rawCase, caseMode: caseModeOf(stripped, forceCap) };
    const list = byFirst.get(raw[0]!) ?? [];
    list.push(full);
    byFirst.set(raw[0]!, list);
    maxFormLength = Math.max(maxFormLength, raw.length);
  };

  for (const s of files.states.entries ?? []) {
    const ambiguous = new Set((s.ambiguous ?? []).map((a) => a.toLowerCase()));
    const base = { id: s.id, entity: s.entity };
    for (const f of s.names ?? []) add(f, { ...base, kind: "state" }, ambiguous.has(f.toLowerCase()));
    for (const f of s.demonyms ?? []) add(f, { ...base, kind: "demonym" }, true);
    for (const f of s.capitals ?? []) add(f, { ...base, kind: "capital" }, true);
    for (const f of s.metonyms ?? []) add(f, { ...base, kind: "metonym" }, true);
    for (const f of s.institutions ?? []) add(f, { ...base, kind: "institution" });
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
    for (const f of t.forms ?? [])
      add(f, {
        id: t.id,
        kind: "title",
        ...(t.role ? { role: t.role } : {}),
        ...(t.office ? { office: t.office } : {}),
      });
  }
  for (const v of files.vagueGroups.entries ?? []) {
    for (const f of [...(v.forms ?? []), ...(v.names ?? [])]) add(f, { id: v.id, kind: "vague" });
  }
  for (const list of byFirst.values()) list.sort((a, b) => b.tokens.length - a.tokens.length);
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
  return { version, forms: buildFormTrie(byFirst), byFirst, byFirstTwo, single, cameo, maxFormLength };
}

function buildFormTrie(byFirst: Map<string, LexEntry[]>): Map<string, FormNode> {
  const root = new Map<string, FormNode>();
  for (const list of byFirst.values()) {
    for (const entry of list) {
      let level = root;
      let node: FormNode | undefined;
      for (const word of entry.tokens) {
        node = level.get(word);
        if (!node) {
          node = { next: undefined, entries: undefined };
          level.set(word, node);
        }
        level = node.next ??= new Map();
      }
      node!.entries ??= [];
      node!.entries.push(entry);
    }
  }
  // Leaves keep no empty map, so the walk stops without a lookup.
  const prune = (level: Map<string, FormNode>) => {
    for (const node of level.values()) {
      if (node.next && node.next.size === 0) node.next = undefined;
      else if (node.next) prune(node.next);
    }
  };
  prune(root);
  return root;
}

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
  tokens: readonly { lower: string }[],
  i: number,
  end: number,
): LexEntry[] {
  let node = lex.forms.get(tokens[i]!.lower);
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

function tokensRaw(form: string): string[] {
  // Same tokenisation as formTokens but keeping case, for exact-case forms ("US" vs "us").
  return tokenize(form).map((t) => t.text);
}
