// Dates in the text resolve against the article's publication date; never the
// clock, so the same article always codes the same way.
import type { Token } from "./tokens.js";

/** Day and month words, shared by every stage that must recognise a date in the text. */
export const WEEKDAYS = ["sunday", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday"];
export const MONTH_NAMES = [
  "january",
  "february",
  "march",
  "april",
  "may",
  "june",
  "july",
  "august",
  "september",
  "october",
  "november",
  "december",
];
/** Abbreviations as news copy writes them ("Sept."), each with its month's index. */
const MONTH_ABBREVIATION_INDEX: ReadonlyArray<readonly [string, number]> = [
  ["jan", 0],
  ["feb", 1],
  ["mar", 2],
  ["apr", 3],
  ["jun", 5],
  ["jul", 6],
  ["aug", 7],
  ["sep", 8],
  ["sept", 8],
  ["oct", 9],
  ["nov", 10],
  ["dec", 11],
];
export const MONTH_ABBREVIATIONS = MONTH_ABBREVIATION_INDEX.map(([word]) => word);
const MONTHS: Record<string, number> = Object.fromEntries([
  ...MONTH_NAMES.map((name, index) => [name, index] as const),
  ...MONTH_ABBREVIATION_INDEX,
]);
/** MONTHS as a Map: a keyed read of a plain object with ever-changing words goes megamorphic. */
const MONTH_INDEX = new Map(Object.entries(MONTHS));
/** Names a plain-object read also finds on Object.prototype ("constructor"). */
const INHERITED = new Set(Object.getOwnPropertyNames(Object.prototype));

/** `MONTHS[word]`, exactly as that read answers, inherited names included. */
function monthOf(word: string): number | undefined {
  const month = MONTH_INDEX.get(word);
  return month !== undefined || !INHERITED.has(word) ? month : MONTHS[word];
}

export interface DayDate {
  y: number;
  m: number;
  d: number;
}

export function parsePublished(publishedAt: string): DayDate {
  const m = /^(\d{4})-(\d{2})-(\d{2})/.exec(publishedAt);
  if (m) return { y: Number(m[1]), m: Number(m[2]) - 1, d: Number(m[3]) };
  const t = Date.parse(publishedAt);
  if (!Number.isNaN(t)) {
    const dt = new Date(t);
    return { y: dt.getUTCFullYear(), m: dt.getUTCMonth(), d: dt.getUTCDate() };
  }
  return { y: 1970, m: 0, d: 1 };
}

function toUtc(date: DayDate): number {
  return Date.UTC(date.y, date.m, date.d);
}

function fromUtc(ms: number): DayDate {
  const dt = new Date(ms);
  return { y: dt.getUTCFullYear(), m: dt.getUTCMonth(), d: dt.getUTCDate() };
}

export function formatDate(date: DayDate): string {
  const mm = String(date.m + 1).padStart(2, "0");
  const dd = String(date.d).padStart(2, "0");
  return `${String(date.y).padStart(4, "0")}-${mm}-${dd}`;
}

const DAY_MS = 86_400_000;
const LOWER_STARTERS = ["yesterday", "today", "tonight", "last", "this", "earlier"];

/**
 * Whether a lower-case word can start a date. Compared one by one: token words are
 * internalized strings, so each comparison is a pointer test, where a Set lookup would
 * read the string's hash for every lower-case token.
 */
function isLowerStarter(w: string): boolean {
  for (const s of LOWER_STARTERS) if (s === w) return true;
  return false;
}

/** Days between two dates (a - b). */
export function daysBetween(a: DayDate, b: DayDate): number {
  return Math.round((toUtc(a) - toUtc(b)) / DAY_MS);
}

export interface DateMention {
  /** Index of the first and one past the last token of the expression. */
  from: number;
  to: number;
  date: DayDate;
}

function addMonths(base: DayDate, delta: number): DayDate {
  const total = base.y * 12 + base.m + delta;
  const y = Math.floor(total / 12);
  const m = total - y * 12;
  const last = new Date(Date.UTC(y, m + 1, 0)).getUTCDate();
  return { y, m, d: Math.min(base.d, last) };
}

/**
 * Finds date expressions in a token range: weekdays ("on Tuesday" = the most
 * recent Tuesday on or before publication), "yesterday", "last month", "June 19",
 * "in February", "last October", "in 2016", "earlier this month".
 */
export function findDates(tokens: Token[], from: number, to: number, published: DayDate): DateMention[] {
  const out: DateMention[] = [];
  for (let i = from; i < to; i++) {
    const t = tokens[i]!;
    // Only capitalised words, numbers and a few lower-case words can start a date.
    if (!t.cap && t.kind !== "number" && !isLowerStarter(t.lower)) continue;
    const w = t.lower;
    const next = tokens[i + 1];
    const prev = tokens[i - 1];
    const wd = t.cap ? WEEKDAYS.indexOf(w) : -1;
    if (wd >= 0) {
      const pubDay = new Date(toUtc(published)).getUTCDay();
      const back = (pubDay - wd + 7) % 7;
      out.push({ from: i, to: i + 1, date: fromUtc(toUtc(published) - back * DAY_MS) });
      continue;
    }
    if (w === "yesterday") {
      out.push({ from: i, to: i + 1, date: fromUtc(toUtc(published) - DAY_MS) });
      continue;
    }
    if (w === "today" || w === "tonight") {
      out.push({ from: i, to: i + 1, date: published });
      continue;
    }
    if ((w === "last" || w === "this" || w === "earlier") && next) {
      const n = next.lower;
      if (w === "last" && n === "week")
        out.push({ from: i, to: i + 2, date: fromUtc(toUtc(published) - 7 * DAY_MS) });
      else if (w === "last" && n === "month")
        out.push({ from: i, to: i + 2, date: addMonths(published, -1) });
      else if (w === "last" && n === "year")
        out.push({ from: i, to: i + 2, date: { y: published.y - 1, m: published.m, d: 1 } });
      else if (w === "last" && monthOf(n) !== undefined && next.cap) {
        const m = monthOf(n)!;
        const y = m < published.m ? published.y : published.y - 1;
        out.push({ from: i, to: i + 2, date: { y, m, d: 1 } });
      }
      if (out.length && out[out.length - 1]!.from === i) i++;
      continue;
    }
    // Only a capitalised word can be a month here; a final dot ("Sept.") is dropped without a regex.
    const month = t.cap ? monthOf(w.charCodeAt(w.length - 1) === 46 ? w.slice(0, -1) : w) : undefined;
    if (month !== undefined && !(w === "may" && !(next?.kind === "number"))) {
      const prevIsPrep = prev && (prev.lower === "in" || prev.lower === "since" || prev.lower === "until");
      if (next?.kind === "number" && Number(next.text) >= 1 && Number(next.text) <= 31) {
        let y = published.y;
        if (month > published.m || (month === published.m && Number(next.text) > published.d)) y -= 1;
        const after = tokens[i + 2];
        if (after?.text === "," && tokens[i + 3]?.kind === "number" && tokens[i + 3]!.text.length === 4) {
          y = Number(tokens[i + 3]!.text);
        }
        out.push({ from: i, to: i + 2, date: { y, m: month, d: Number(next.text) } });
        i++;
        continue;
      }
      if (prevIsPrep) {
        let y = month > published.m ? published.y - 1 : published.y;
        if (next?.kind === "number" && next.text.length === 4) y = Number(next.text);
        out.push({ from: i, to: i + 1, date: { y, m: month, d: 1 } });
        continue;
      }
    }
    if (
      t.kind === "number" &&
      t.text.length === 4 &&
      prev &&
      (prev.lower === "in" || prev.lower === "since")
    ) {
      const y = Number(t.text);
      if (y > 1800 && y < 2200 && !tokens[i + 1]?.text.startsWith("-")) {
        out.push({ from: i, to: i + 1, date: { y, m: y === published.y ? published.m : 0, d: 1 } });
      }
    }
  }
  return out;
}
