// Stage 2: tokens with offsets. One pass over the shadow text, no regex per
// token, because this runs for every word of every article.

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
}

function isLetterOrDigit(code: number, ch: string): boolean {
  if (code < 128) {
    return (code >= 48 && code <= 57) || (code >= 65 && code <= 90) || (code >= 97 && code <= 122);
  }
  // Any script: letters and combining marks are word characters.
  return /[\p{L}\p{M}\p{N}]/u.test(ch);
}

function isUpper(ch: string): boolean {
  return ch !== ch.toLowerCase() && ch === ch.toUpperCase();
}

const CLITICS = new Set(["'s", "'re", "'ve", "'ll", "'d", "'m"]);

/** Tokenise `shadow` between `from` and `to`. */
export function tokenize(shadow: string, from = 0, to = shadow.length): Token[] {
  const tokens: Token[] = [];
  let i = from;
  const push = (start: number, end: number, kind: TokenKind) => {
    const text = shadow.slice(start, end);
    tokens.push({
      text,
      lower: text.toLowerCase(),
      start,
      end,
      kind,
      cap: kind === "word" && isUpper(text[0]!),
    });
  };
  while (i < to) {
    const ch = shadow[i]!;
    const code = shadow.charCodeAt(i);
    if (ch === " " || ch === "\n") {
      i++;
      continue;
    }
    // Surrogate pairs (emoji, rare scripts) are kept whole as one punctuation token.
    if (code >= 0xd800 && code <= 0xdbff && i + 1 < to) {
      push(i, i + 2, "punct");
      i += 2;
      continue;
    }
    if (!isLetterOrDigit(code, ch)) {
      // "'s" and friends after a word are their own tokens.
      if (ch === "'" && tokens.length > 0 && tokens[tokens.length - 1]!.end === i) {
        let j = i + 1;
        while (j < to && j - i <= 3 && /[a-zA-Z]/.test(shadow[j]!)) j++;
        const clitic = shadow.slice(i, j).toLowerCase();
        const after = j < to ? shadow.charCodeAt(j) : 32;
        if (CLITICS.has(clitic) && !isLetterOrDigit(after, shadow[j] ?? " ")) {
          push(i, j, "word");
          i = j;
          continue;
        }
      }
      // Numbers like "1,200" and "83.7" stay whole.
      push(i, i + 1, "punct");
      i++;
      continue;
    }
    let j = i;
    let digits = true;
    while (j < to) {
      const c = shadow[j]!;
      const cc = shadow.charCodeAt(j);
      if (isLetterOrDigit(cc, c)) {
        if (!(cc >= 48 && cc <= 57)) digits = false;
        j++;
        continue;
      }
      const next = shadow[j + 1];
      const nextCode = shadow.charCodeAt(j + 1);
      // Inner apostrophes ("Shi'ite", "d'Ivoire") but not clitics ("China's").
      if (c === "'" && next !== undefined && j + 1 < to && isLetterOrDigit(nextCode, next)) {
        let k = j + 1;
        while (k < to && /[a-zA-Z]/.test(shadow[k]!)) k++;
        const tail = shadow.slice(j, k).toLowerCase();
        if (CLITICS.has(tail) || tail === "'t") break;
        j++;
        continue;
      }
      if ((c === "," || c === ".") && digits && next !== undefined && nextCode >= 48 && nextCode <= 57) {
        j++;
        continue;
      }
      break;
    }
    // "didn't": the word keeps "did", "n't" becomes its own token.
    if (shadow[j] === "'" && shadow[j + 1] === "t" && j - 1 > i && shadow[j - 1] === "n") {
      push(i, j - 1, "word");
      push(j - 1, j + 2, "word");
      i = j + 2;
      continue;
    }
    // Dotted abbreviations ("U.S.", "U.N.", "a.m.") are one token with their dots.
    if (j - i === 1 && shadow[j] === "." && /[A-Za-z]/.test(ch)) {
      let k = j;
      while (
        k + 2 <= to &&
        shadow[k] === "." &&
        /[A-Za-z]/.test(shadow[k + 1] ?? "") &&
        shadow[k + 2] === "."
      )
        k += 2;
      if (k > j) {
        push(i, k + 1, "word");
        i = k + 1;
        continue;
      }
    }
    push(i, j, digits ? "number" : "word");
    i = j;
  }
  return tokens;
}

/** Tokenise a dictionary form the same way as text, for matching. */
export function formTokens(form: string): string[] {
  return tokenize(form.replace(/[\u2018\u2019]/g, "'")).map((t) => t.lower);
}
