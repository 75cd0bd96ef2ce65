// Stage 2: tokens with offsets. One pass over the shadow text with character
// classes read from tables, no regex and no substring per token: this runs for
// every word of every article. Token strings are interned (see below), so the
// same word is the same string object in every article, and every later map
// lookup on it finds its hash already computed.

export type TokenKind = "word" | "number" | "punct";

export interface Token {
  /** Text from the shadow copy (quotes and dashes normalised). */
  text: string;
  lower: string;
  start: number;
  end: number;
  kind: TokenKind;
  /** First character is an upper-case letter. */
  cap: boolean;
  /** The interned word, shared by every token with this exact text (absent once the table is full). */
  word?: Interned;
}

// Character classes per UTF-16 code unit: 1 = letter, mark or digit (any script),
// 2 = not. Non-ASCII units are classified on first sight with the Unicode regex.
const WORD_CLASS = new Uint8Array(65536);
for (let c = 0; c < 128; c++)
  WORD_CLASS[c] = (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) ? 1 : 2;
const WORD_RE = /[\p{L}\p{M}\p{N}]/u;

function isWordChar(code: number): boolean {
  let cls = WORD_CLASS[code]!;
  if (cls === 0) {
    cls = WORD_RE.test(String.fromCharCode(code)) ? 1 : 2;
    WORD_CLASS[code] = cls;
  }
  return cls === 1;
}

// 1 = an upper-case letter (it changes when lower-cased and not when upper-cased), 2 = not.
const UPPER_CLASS = new Uint8Array(65536);
function isUpperChar(code: number): boolean {
  let cls = UPPER_CLASS[code]!;
  if (cls === 0) {
    const ch = String.fromCharCode(code);
    cls = ch !== ch.toLowerCase() && ch === ch.toUpperCase() ? 1 : 2;
    UPPER_CLASS[code] = cls;
  }
  return cls === 1;
}

function isAsciiLetter(code: number): boolean {
  return (code >= 65 && code <= 90) || (code >= 97 && code <= 122);
}

function isDigit(code: number): boolean {
  return code >= 48 && code <= 57;
}

/**
 * Whether the ASCII letters in [from, to) after an apostrophe make a clitic:
 * "'s", "'re", "'ve", "'ll", "'d", "'m", and "'t" when `withT`.
 */
function isClitic(s: string, from: number, to: number, withT: boolean): boolean {
  const n = to - from;
  if (n === 1) {
    const c = s.charCodeAt(from) | 0x20;
    return c === 115 || c === 100 || c === 109 || (withT && c === 116); // s d m t
  }
  if (n === 2) {
    const a = s.charCodeAt(from) | 0x20;
    const b = s.charCodeAt(from + 1) | 0x20;
    return (a === 114 && b === 101) || (a === 118 && b === 101) || (a === 108 && b === 108); // re ve ll
  }
  return false;
}

// --- interning --------------------------------------------------------------------
// An open-addressing table keyed on the characters of a text range, so a word
// seen before costs a hash over its characters and a compare, no allocation.
// Bounded: once full, new words are sliced as usual (output is the same either way).

const MAX_INTERNED = 1 << 17;

export interface Interned {
  text: string;
  lower: string;
  upperFirst: boolean;
  /** The text ends with a dot ("U.S."), known without reading the string again. */
  endsWithDot: boolean;
  /**
   * What one lexicon knows about this word (its gazetteer trie node), remembered on
   * the word so a token needs no map lookup. `lookupOwner` says whose it is.
   */
  lookupOwner: unknown;
  lookup: unknown;
  /**
   * The same for one set of compiled rules: the fields of its `WordRules` (cues, pronoun,
   * pair descriptions starting here, word-class flags), kept on the word itself so a
   * token reaches them in one step.
   */
  rulesOwner: unknown;
  cues: unknown;
  pronoun: string | undefined;
  pairs: unknown;
  body: string | undefined;
  flags: number;
}

// Probing reads only typed arrays (0 = empty; stored hashes are odd): the hash, then
// the length, then the characters, which are copied into one character pool so
// comparing them never follows a pointer to a string. A hit reads one small object.
let tableSize = 1 << 12;
let tableMask = tableSize - 1;
let tableCount = 0;
/**
 * Per slot, side by side so one probe reads one cache line: the hash (at 4 * slot),
 * where the slot's characters start in `pool` (+1), and how many there are (+2); +3 is unused,
 * so a slot never straddles two lines.
 */
let table = new Int32Array(tableSize * 4);
let tableEntries: Array<Interned | undefined> = new Array(tableSize);
let pool = new Uint16Array(1 << 15);
let poolUsed = 0;
/** One lower-case string per word, whatever its case in the text ("The", "THE" and "the"). */
const lowerForms = new Map<string, string>();

function hashRange(s: string, from: number, to: number): number {
  let h = 0x811c9dc5 | 0;
  for (let k = from; k < to; k++) h = Math.imul(h ^ s.charCodeAt(k), 0x01000193);
  return h | 1;
}

/** Whether the pooled characters of `slot` are those of s[from, to). */
function sameRange(slot: number, s: string, from: number, to: number): boolean {
  if (table[(slot << 2) + 2] !== to - from) return false;
  const start = table[(slot << 2) + 1]!;
  for (let k = from; k < to; k++) if (pool[start + k - from] !== s.charCodeAt(k)) return false;
  return true;
}

function poolChars(s: string, from: number, to: number): number {
  const n = to - from;
  if (poolUsed + n > pool.length) {
    const grown = new Uint16Array(Math.max(pool.length * 2, poolUsed + n));
    grown.set(pool.subarray(0, poolUsed));
    pool = grown;
  }
  const start = poolUsed;
  for (let k = 0; k < n; k++) pool[start + k] = s.charCodeAt(from + k);
  poolUsed += n;
  return start;
}

function lowerOf(text: string): string {
  let ascii = true;
  let upper = false;
  for (let k = 0; k < text.length; k++) {
    const c = text.charCodeAt(k);
    if (c >= 128) {
      ascii = false;
      break;
    }
    if (c >= 65 && c <= 90) upper = true;
  }
  // Non-ASCII goes through the full Unicode mapping (final sigma, dotted I).
  const lower = ascii && !upper ? text : text.toLowerCase();
  let canonical = lowerForms.get(lower);
  if (canonical === undefined && lowerForms.size < MAX_INTERNED) {
    canonical = internalized(lower);
    lowerForms.set(canonical, canonical);
  }
  return canonical ?? lower;
}

/**
 * The engine's own copy of a string, the one V8 keeps for property names. Two such
 * strings are equal only if they are the same object, so every `token.lower === "the"`
 * in the stages is a pointer comparison that never reads the characters. Done once
 * per distinct word.
 */
function internalized(text: string): string {
  return Object.keys({ [text]: 0 })[0] ?? text;
}

/** The one lower-case string the tokenizer uses for `lower` (already lower-cased), so maps keyed by dictionary words and lookups by token share strings. */
export function internLower(lower: string): string {
  const canonical = lowerForms.get(lower);
  if (canonical !== undefined) return canonical;
  if (lowerForms.size >= MAX_INTERNED) return lower;
  const added = internalized(lower);
  lowerForms.set(added, added);
  return added;
}

function growTable(): void {
  const old = table;
  const oldEntries = tableEntries;
  tableSize *= 2;
  tableMask = tableSize - 1;
  table = new Int32Array(tableSize * 4);
  tableEntries = new Array(tableSize);
  for (let k = 0; k < old.length; k += 4) {
    const h = old[k]!;
    if (h === 0) continue;
    let slot = h & tableMask;
    while (table[slot << 2] !== 0) slot = (slot + 1) & tableMask;
    table[slot << 2] = h;
    table[(slot << 2) + 1] = old[k + 1]!;
    table[(slot << 2) + 2] = old[k + 2]!;
    tableEntries[slot] = oldEntries[k >> 2];
  }
}

/** The interned text for [from, to), added if new; undefined when the table is full. */
function internRange(s: string, from: number, to: number): Interned | undefined {
  const h = hashRange(s, from, to);
  let slot = h & tableMask;
  for (;;) {
    const stored = table[slot << 2]!;
    if (stored === 0) break;
    if (stored === h && sameRange(slot, s, from, to)) return tableEntries[slot]!;
    slot = (slot + 1) & tableMask;
  }
  if (tableCount >= MAX_INTERNED) return undefined;
  if ((tableCount + 1) * 2 > tableSize) {
    growTable();
    return internRange(s, from, to);
  }
  const text = internalized(s.slice(from, to));
  const entry: Interned = {
    text,
    lower: lowerOf(text),
    upperFirst: isUpperChar(text.charCodeAt(0)),
    endsWithDot: text.charCodeAt(text.length - 1) === 46,
    lookupOwner: undefined,
    lookup: undefined,
    rulesOwner: undefined,
    cues: undefined,
    pronoun: undefined,
    pairs: undefined,
    body: undefined,
    flags: 0,
  };
  table[slot << 2] = h;
  table[(slot << 2) + 1] = poolChars(s, from, to);
  table[(slot << 2) + 2] = to - from;
  tableEntries[slot] = entry;
  tableCount++;
  return entry;
}

/** Whether tokens get interned words: not for dictionary forms (see `formTokens`). */
let interning = true;

function makeToken(s: string, start: number, end: number, kind: TokenKind): Token {
  const entry = interning ? internRange(s, start, end) : undefined;
  if (entry === undefined) {
    const text = s.slice(start, end);
    return {
      text,
      lower: text.toLowerCase(),
      start,
      end,
      kind,
      cap: kind === "word" && isUpperChar(text.charCodeAt(0)),
      word: undefined,
    };
  }
  return {
    text: entry.text,
    lower: entry.lower,
    start,
    end,
    kind,
    cap: kind === "word" && entry.upperFirst,
    word: entry,
  };
}

/** Tokenise `shadow` between `from` and `to`. */
export function tokenize(shadow: string, from = 0, to = shadow.length): Token[] {
  const tokens: Token[] = [];
  const length = shadow.length;
  let i = from;
  while (i < to) {
    const code = shadow.charCodeAt(i);
    if (code === 32 || code === 10) {
      i++;
      continue;
    }
    // Surrogate pairs (emoji, rare scripts) are kept whole as one punctuation token.
    if (code >= 0xd800 && code <= 0xdbff && i + 1 < to) {
      tokens.push(makeToken(shadow, i, i + 2, "punct"));
      i += 2;
      continue;
    }
    if (!isWordChar(code)) {
      // "'s" and friends after a word are their own tokens.
      if (code === 39 && tokens.length > 0 && tokens[tokens.length - 1]!.end === i) {
        let j = i + 1;
        while (j < to && j - i <= 3 && isAsciiLetter(shadow.charCodeAt(j))) j++;
        const after = j < to ? shadow.charCodeAt(j) : 32;
        if (isClitic(shadow, i + 1, j, false) && !isWordChar(after)) {
          tokens.push(makeToken(shadow, i, j, "word"));
          i = j;
          continue;
        }
      }
      tokens.push(makeToken(shadow, i, i + 1, "punct"));
      i++;
      continue;
    }
    let j = i;
    let digits = true;
    while (j < to) {
      const cc = shadow.charCodeAt(j);
      if (isWordChar(cc)) {
        if (!isDigit(cc)) digits = false;
        j++;
        continue;
      }
      // Inner apostrophes ("Shi'ite", "d'Ivoire") but not clitics ("China's").
      if (cc === 39 && j + 1 < to && isWordChar(shadow.charCodeAt(j + 1))) {
        let k = j + 1;
        while (k < to && isAsciiLetter(shadow.charCodeAt(k))) k++;
        if (isClitic(shadow, j + 1, k, true)) break;
        j++;
        continue;
      }
      // Numbers like "1,200" and "83.7" stay whole.
      if ((cc === 44 || cc === 46) && digits && j + 1 < length && isDigit(shadow.charCodeAt(j + 1))) {
        j++;
        continue;
      }
      break;
    }
    // "didn't": the word keeps "did", "n't" becomes its own token.
    if (
      shadow.charCodeAt(j) === 39 &&
      shadow.charCodeAt(j + 1) === 116 &&
      j - 1 > i &&
      shadow.charCodeAt(j - 1) === 110
    ) {
      tokens.push(makeToken(shadow, i, j - 1, "word"));
      tokens.push(makeToken(shadow, j - 1, j + 2, "word"));
      i = j + 2;
      continue;
    }
    // Dotted abbreviations ("U.S.", "U.N.", "a.m.") are one token with their dots.
    if (j - i === 1 && shadow.charCodeAt(j) === 46 && isAsciiLetter(code)) {
      let k = j;
      while (
        k + 2 <= to &&
        shadow.charCodeAt(k) === 46 &&
        isAsciiLetter(shadow.charCodeAt(k + 1)) &&
        shadow.charCodeAt(k + 2) === 46
      )
        k += 2;
      if (k > j) {
        tokens.push(makeToken(shadow, i, k + 1, "word"));
        i = k + 1;
        continue;
      }
    }
    tokens.push(makeToken(shadow, i, j, digits ? "number" : "word"));
    i = j;
  }
  return tokens;
}

/**
 * Tokenise a dictionary form the same way as text, for matching. Its words are not
 * interned: thousands of forms are read at module load, where interning (and making
 * V8's own copy of every word) would only add to the cold start; words met in text
 * are interned when first seen there.
 */
export function formTokens(form: string): string[] {
  interning = false;
  try {
    return tokenize(form.replace(/[\u2018\u2019]/g, "'")).map((t) => t.lower);
  } finally {
    interning = true;
  }
}
