// Regenerates coder/dictionaries/data/*.json (and the compact copies the coder ships,
// data/compact/*.json) from the public reference tables
// (../shared/reference beside the checkout, or --reference <dir>) and the
// hand-curated files in coder/dictionaries/sources/.
//
//   npx tsx scripts/build-dictionaries.ts            write the JSON files
//   npx tsx scripts/build-dictionaries.ts --check    fail if the checked-in JSON is stale
//
// The coder reads only the checked-in JSON at run time; this script is the one
// place where reference data is interpreted, so every choice it makes is written
// down here or in the sources files (see docs/dictionaries.md).

import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
export const dictionariesDir = path.join(repoRoot, "coder", "dictionaries");
export const sourcesDir = path.join(dictionariesDir, "sources");
export const dataDir = path.join(dictionariesDir, "data");

export class DictionaryBuildError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = "DictionaryBuildError";
  }
}

// ---------------------------------------------------------------------------
// Small parsers (no dependencies: the inputs are simple and fixed)

/** Parses a tab-separated file with a header row; lines starting with "#" are comments. */
export function parseTsv(text: string): Record<string, string>[] {
  const lines = text.split(/\r?\n/).filter((line) => line.trim() !== "" && !line.startsWith("#"));
  const header = lines.shift()?.split("\t");
  if (!header) return [];
  return lines.map((line) => {
    const cells = line.split("\t");
    const row: Record<string, string> = {};
    header.forEach((key, i) => {
      row[key.trim()] = (cells[i] ?? "").trim();
    });
    return row;
  });
}

/** Parses RFC 4180 CSV (quoted fields may hold commas, quotes and newlines). */
export function parseCsv(text: string): Record<string, string>[] {
  const records: string[][] = [];
  let field = "";
  let record: string[] = [];
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (ch === '"') {
        quoted = false;
      } else {
        field += ch;
      }
    } else if (ch === '"') {
      quoted = true;
    } else if (ch === ",") {
      record.push(field);
      field = "";
    } else if (ch === "\n" || ch === "\r") {
      if (ch === "\r" && text[i + 1] === "\n") i++;
      record.push(field);
      records.push(record);
      record = [];
      field = "";
    } else {
      field += ch;
    }
  }
  if (field !== "" || record.length > 0) {
    record.push(field);
    records.push(record);
  }
  const nonEmpty = records.filter((r) => r.some((cell) => cell !== ""));
  const header = nonEmpty.shift() ?? [];
  return nonEmpty.map((cells) => Object.fromEntries(header.map((key, i) => [key, cells[i] ?? ""])));
}

/** Splits a "|"-separated list cell; empty cell → []. */
export function splitList(cell: string | undefined): string[] {
  if (!cell) return [];
  return cell
    .split("|")
    .map((s) => s.trim())
    .filter((s) => s !== "");
}

function unique<T>(items: T[]): T[] {
  return [...new Set(items)];
}

/** Lower-case, ASCII-folded slug used in ids ("Çavuşoğlu" → "cavusoglu"). */
export function slugify(text: string): string {
  return text
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(/['’]/g, "")
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-|-$/g, "");
}

// ---------------------------------------------------------------------------
// CAMEO codes

export interface PloverMapping {
  type: string;
  mode: string | null;
  context: string | null;
}

export interface CameoEntry {
  id: string;
  code: string;
  root: string;
  name: string;
  goldstein: number;
  quadClass: 1 | 2 | 3 | 4;
  plover: PloverMapping;
  /** Where the PLOVER mapping came from, so a reader can tell a crosswalk row from a fallback. */
  ploverBasis: "crosswalk" | "corrected" | "root" | "parallel-10" | "extension";
}

/** CAMEO quad classes follow the root: 01–05 verbal coop, 06–08 material coop, 09–13 verbal conflict, 14–20 material conflict. */
export function quadClassOf(root: string): 1 | 2 | 3 | 4 {
  const n = Number(root);
  if (!Number.isInteger(n) || n < 1 || n > 20) throw new DictionaryBuildError(`not a CAMEO root: ${root}`);
  if (n <= 5) return 1;
  if (n <= 8) return 2;
  if (n <= 13) return 3;
  return 4;
}

/** Known mis-encodings in the GDELT file: Mac Roman quotes read as UTF-8 swallowed a letter ("ÒhirdÓ"). */
const cameoNameFixes: Record<string, string> = {
  "044": 'Meet at a "third" location',
};

/** Root names are upper case in GDELT's table; the rest are sentence case. */
export function cleanCameoName(code: string, raw: string): string {
  const fixed = cameoNameFixes[code];
  if (fixed) return fixed;
  let name = raw
    .replace(/\uFFFD+/g, "'")
    .replace(/[\u201C\u201D]/g, '"')
    .replace(/[\u2018\u2019]/g, "'");
  if (name === name.toUpperCase()) name = name.charAt(0) + name.slice(1).toLowerCase();
  return name.replace(/\s+/g, " ").trim();
}

/**
 * Parses CAMEO2PLOVER-2021.txt lines such as `0841: RETREAT, release,   legal # Return, release person(s)`.
 * Root lines (`08: RETREAT`) are returned too; the first root line for a root wins, as in the file.
 */
export function parseCameoToPlover(text: string): Map<string, PloverMapping> {
  const map = new Map<string, PloverMapping>();
  for (const rawLine of text.split(/\r?\n/)) {
    const line = rawLine.replace(/#.*$/, "");
    const m = /^\s*(\d{2,4})\s*:\s*(.*)$/.exec(line);
    if (!m) continue;
    const [, code, rest] = m as unknown as [string, string, string];
    const [type, mode, context] = rest.split(",").map((s) => s.trim());
    if (!type || map.has(code)) continue;
    map.set(code, {
      type: type.toUpperCase(),
      mode: mode ? mode : null,
      context: context ? context.replace(/\s*;\s*/g, "; ") : null,
    });
  }
  return map;
}

/** PLOVER has no category for CAMEO 01 (public statements); see sources/plover-extensions.tsv. */
function readPloverExtensions(): Map<string, PloverMapping> {
  const rows = parseTsv(readFileSync(path.join(sourcesDir, "plover-extensions.tsv"), "utf8"));
  return new Map(
    rows.map((r) => [
      r.root ?? "",
      { type: r.type ?? "", mode: r.mode ? r.mode : null, context: r.context ? r.context : null },
    ]),
  );
}

export function buildCameo(referenceDir: string, version: string) {
  const gdeltNames = parseTsv(
    readFileSync(path.join(referenceDir, "cameo/CAMEO.eventcodes.gdelt.txt"), "utf8"),
  );
  const gdeltScores = parseTsv(
    readFileSync(path.join(referenceDir, "cameo/CAMEO.goldsteinscale.gdelt.txt"), "utf8"),
  );
  const icews = parseCsv(readFileSync(path.join(referenceDir, "cameo/cameo-codes.icews.csv"), "utf8"));
  const crosswalk = parseCameoToPlover(
    readFileSync(path.join(referenceDir, "plover/CAMEO2PLOVER-2021.txt"), "utf8"),
  );
  const extensions = readPloverExtensions();
  const corrections = parseTsv(readFileSync(path.join(sourcesDir, "plover-corrections.tsv"), "utf8"));
  const corrected = new Set(corrections.map((r) => r.code ?? ""));
  for (const r of corrections) {
    if (!crosswalk.has(r.code ?? "")) throw new DictionaryBuildError(`correction for unknown code ${r.code}`);
    crosswalk.set(r.code ?? "", {
      type: r.type ?? "",
      mode: r.mode ? r.mode : null,
      context: r.context ? r.context : null,
    });
  }

  // Names: the CAMEO codebook's (ICEWS copy) win. GDELT's table labels 101-108 with an older
  // numbering ("105 Demand mediation", "106 Demand withdrawal") that contradicts the codebook,
  // the 02x/03x/12x parallels and the PLOVER crosswalk; GDELT fills only codes ICEWS lacks.
  const names = new Map<string, string>();
  for (const r of gdeltNames) {
    const code = r.CAMEOEVENTCODE ?? "";
    if (code) names.set(code, cleanCameoName(code, r.EVENTDESCRIPTION ?? ""));
  }
  for (const r of icews) if (r.code) names.set(r.code, cleanCameoName(r.code, r.name ?? ""));
  const goldstein = new Map<string, number>();
  for (const r of icews)
    if (r.code && r.goldstein && r.goldstein !== "NA") goldstein.set(r.code, Number(r.goldstein));
  for (const r of gdeltScores) {
    const code = r.CAMEOEVENTCODE ?? "";
    if (code) goldstein.set(code, Number(r.GOLDSTEINSCALE));
  }

  const codes = [...names.keys()].filter((c) => /^\d{2,4}$/.test(c)).sort();
  const entries: CameoEntry[] = codes.map((code) => {
    const root = code.slice(0, 2);
    const score = goldstein.get(code);
    if (score === undefined || Number.isNaN(score))
      throw new DictionaryBuildError(`no Goldstein score for ${code}`);
    let plover = crosswalk.get(code);
    let ploverBasis: CameoEntry["ploverBasis"] = corrected.has(code) ? "corrected" : "crosswalk";
    if (!plover && root === "02") {
      // CAMEO 02x (appeal) is built parallel to 10x (demand): 021 ↔ 101, 0241 ↔ 1041. PLOVER
      // folds both into REQUEST, so an appeal takes the mapping of its parallel demand.
      plover = crosswalk.get(`10${code.slice(2)}`) ?? crosswalk.get("10");
      ploverBasis = "parallel-10";
    }
    if (!plover && extensions.has(root)) {
      plover = extensions.get(root);
      ploverBasis = "extension";
    }
    if (!plover) {
      plover = crosswalk.get(root);
      ploverBasis = "root";
    }
    if (!plover) throw new DictionaryBuildError(`no PLOVER mapping for ${code}`);
    return {
      id: `cameo.${code}`,
      code,
      root,
      name: names.get(code) ?? "",
      goldstein: score,
      quadClass: quadClassOf(root),
      plover: { ...plover },
      ploverBasis,
    };
  });
  return {
    version,
    source:
      "CAMEO names and Goldstein scores from GDELT's lookup tables (ICEWS CAMEO codebook via andybega/icews, MIT, where GDELT lacks a code); " +
      "PLOVER from openeventdata/PLOVER CAMEO2PLOVER-2021.txt (CC BY-SA 4.0). See coder/dictionaries/ATTRIBUTION.md.",
    license: "CC BY-SA 4.0 (the PLOVER mapping); see coder/dictionaries/ATTRIBUTION.md",
    codes: entries,
  };
}

// ---------------------------------------------------------------------------
// States and territories

function readSource(name: string): Record<string, string>[] {
  return parseTsv(readFileSync(path.join(sourcesDir, name), "utf8"));
}

/** The reference table's codes that are not ISO 3166-1 alpha-3, mapped to ours. */
const referenceCountryCodeMap: Record<string, string | null> = {
  TMP: "TLS", // CAMEO's old code for Timor-Leste
  KNT: null, // "Kinakuta", a fictional country used in CAMEO training material
};

/** Headwords in the reference table that are a place inside the country, or misspelt: not names of it. */
const referenceHeadwordsNotNames = new Set(["LEIPZIG", "MAYOTTE", "SAINT BARTHELEMY", "MADAGASKAR"]);

const smallWords = new Set(["and", "of", "the", "da", "de", "la"]);

/** "UNITED REPUBLIC OF TANZANIA" → "United Republic of Tanzania"; "COTE D'IVOIRE" → "Cote d'Ivoire". */
export function titleCaseHeadword(headword: string): string {
  return headword
    .toLowerCase()
    .split(" ")
    .map((word, i) => {
      if (i > 0 && smallWords.has(word)) return word;
      if (/^d'/.test(word)) return `d'${word.charAt(2).toUpperCase()}${word.slice(3)}`;
      return word.charAt(0).toUpperCase() + word.slice(1);
    })
    .join(" ");
}

function possessive(name: string): string {
  return name.endsWith("s") ? `${name}'` : `${name}'s`;
}

/**
 * Ministries and the government written the usual ways ("China's foreign ministry", "Chinese Foreign
 * Ministry"). Generated rather than typed so every state gets the same coverage.
 */
export function generateInstitutions(name: string, demonym: string | undefined): string[] {
  const forms = [
    `${possessive(name)} foreign ministry`,
    `${possessive(name)} defence ministry`,
    `${possessive(name)} government`,
  ];
  if (demonym) {
    forms.push(
      `${demonym} foreign ministry`,
      `${demonym} Foreign Ministry`,
      `${demonym} defence ministry`,
      `${demonym} defense ministry`,
      `${demonym} Defence Ministry`,
      `${demonym} Defense Ministry`,
      `${demonym} government`,
      `${demonym} embassy`,
    );
  }
  return forms;
}

export interface StateEntry {
  id: string;
  entity: string;
  status: "member" | "observer" | "territory";
  names: string[];
  demonyms: string[];
  capitals: string[];
  metonyms: string[];
  institutions: string[];
  ambiguous?: string[];
}

function hasForm(list: string[], form: string): boolean {
  const lower = form.toLowerCase();
  return list.some((f) => f.toLowerCase() === lower);
}

export function buildStates(referenceDir: string, version: string) {
  const reference = parseTsv(readFileSync(path.join(referenceDir, "cameo/cameo_country_codes.tsv"), "utf8"));
  const curated = readSource("states.tsv");
  const entries = new Map<string, StateEntry>();
  for (const r of curated) {
    const entity = r.entity ?? "";
    if (!/^[A-Z]{3}$/.test(entity))
      throw new DictionaryBuildError(`bad entity code in states.tsv: ${entity}`);
    if (entries.has(entity)) throw new DictionaryBuildError(`duplicate entity in states.tsv: ${entity}`);
    const status = r.status as StateEntry["status"];
    const names = splitList(r.names);
    const demonyms = splitList(r.demonyms);
    const institutions = splitList(r.institutions);
    const ambiguous = splitList(r.ambiguous);
    if (status !== "territory") {
      const generated = generateInstitutions(names[0] ?? entity, demonyms[0]);
      institutions.push(...generated);
      // "Congolese foreign ministry" is as ambiguous as "Congolese": carry the mark to the generated forms.
      const demonym = demonyms[0];
      if (demonym && ambiguous.includes(demonym)) {
        ambiguous.push(...generated.filter((f) => f.startsWith(`${demonym} `)));
      }
    }
    const entry: StateEntry = {
      id: `state.${entity}`,
      entity,
      status,
      names,
      demonyms,
      capitals: splitList(r.capitals),
      metonyms: splitList(r.metonyms),
      institutions: unique(institutions),
    };
    if (ambiguous.length > 0) entry.ambiguous = unique(ambiguous);
    entries.set(entity, entry);
  }
  // The reference table is the base: every code it knows must be here, and its full headword
  // ("Brunei Darussalam", "Russian Federation") is a name.
  for (const r of reference) {
    const raw = r.code ?? "";
    const mapped = raw in referenceCountryCodeMap ? referenceCountryCodeMap[raw] : raw;
    if (mapped === null || mapped === undefined) continue;
    const entry = entries.get(mapped);
    if (!entry) throw new DictionaryBuildError(`states.tsv lacks ${mapped} (in cameo_country_codes.tsv)`);
    const headword = r.name ?? "";
    if (!headword || referenceHeadwordsNotNames.has(headword)) continue;
    const name = titleCaseHeadword(headword);
    if (!hasForm(entry.names, name)) entry.names.push(name);
  }
  return {
    version,
    source:
      "states.tsv (hand-curated) on the base of reference/cameo/cameo_country_codes.tsv (petrarch2, MIT)",
    entries: [...entries.values()],
  };
}

// ---------------------------------------------------------------------------
// Organisations

export interface OrganizationEntry {
  id: string;
  entity: string;
  name: string;
  names: string[];
  memberForms: string[];
  seats: string[];
  cameo: string | null;
  ambiguous?: string[];
}

/** Aliases in organizations.csv that mean the members acting together. */
const memberFormPattern =
  /\s(members|allies|member states|member countries|countries|nations|leaders|governments|partners|economies|states)$/;

export function buildOrganizations(referenceDir: string, version: string) {
  const base = parseCsv(readFileSync(path.join(referenceDir, "organizations.csv"), "utf8"));
  const curated = new Map(readSource("organizations.tsv").map((r) => [r.code ?? "", r]));
  const intlCodes = new Set(
    parseTsv(readFileSync(path.join(referenceDir, "cameo/cameo_intl_actor_codes.tsv"), "utf8")).map(
      (r) => r.code ?? "",
    ),
  );
  const entries: OrganizationEntry[] = [];
  const toEntry = (code: string, name: string, aliases: string[]): OrganizationEntry => {
    const extra = curated.get(code);
    const seats = splitList(extra?.seats);
    const names: string[] = [];
    const memberForms: string[] = [];
    for (const alias of [...aliases, ...splitList(extra?.names)]) {
      if (hasForm(seats, alias)) continue;
      if (memberFormPattern.test(alias)) {
        if (!hasForm(memberForms, alias)) memberForms.push(alias);
      } else if (!hasForm(names, alias)) {
        names.push(alias);
      }
    }
    for (const form of splitList(extra?.memberForms)) if (!hasForm(memberForms, form)) memberForms.push(form);
    const cameo = extra?.cameo ? extra.cameo : null;
    if (cameo && !intlCodes.has(cameo))
      throw new DictionaryBuildError(`${code}: ${cameo} is not in cameo_intl_actor_codes.tsv`);
    const entry: OrganizationEntry = {
      id: `org.${code}`,
      entity: code,
      name,
      names,
      memberForms,
      seats,
      cameo,
    };
    const ambiguous = splitList(extra?.ambiguous);
    if (ambiguous.length > 0) entry.ambiguous = ambiguous;
    return entry;
  };
  for (const r of base) {
    const code = r.code ?? "";
    entries.push(toEntry(code, r.name ?? code, [r.name ?? "", ...splitList(r.aliases)].filter(Boolean)));
  }
  const baseCodes = new Set(base.map((r) => r.code));
  for (const [code, r] of curated) {
    if (baseCodes.has(code)) continue;
    const names = splitList(r.names);
    entries.push(toEntry(code, names[0] ?? code, []));
  }
  return {
    version,
    source:
      "reference/organizations.csv (codes kept as they are) extended by organizations.tsv; cameo codes from reference/cameo/cameo_intl_actor_codes.tsv (petrarch2, MIT)",
    entries,
  };
}

// ---------------------------------------------------------------------------
// People

/** ASCII spelling of a name as wire copy often prints it ("Erdoğan" → "Erdogan", "Yıldırım" → "Yildirim"). */
export function foldToAscii(text: string): string {
  return text
    .replace(/ı/g, "i")
    .replace(/İ/g, "I")
    .replace(/ł/g, "l")
    .replace(/Ł/g, "L")
    .replace(/ø/g, "o")
    .replace(/Ø/g, "O")
    .replace(/đ/g, "d")
    .replace(/ß/g, "ss")
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "");
}

export interface PersonEntry {
  id: string;
  name: string;
  aliases: string[];
  surname: string;
  surnameAmbiguous?: true;
  entity: string;
  role: string;
  office: string;
  from: string;
  to: string | null;
}

export function personId(name: string, office: string, from: string): string {
  return `person.${slugify(name)}.${office}.${from.slice(0, 4)}`;
}

export function buildPeople(version: string) {
  const rows = readSource("people.tsv");
  // A surname two different people share can only be used once the article named the person in full.
  const peopleBySurname = new Map<string, Set<string>>();
  for (const r of rows) {
    const key = foldToAscii(r.surname ?? "").toLowerCase();
    const set = peopleBySurname.get(key) ?? new Set<string>();
    set.add(r.name ?? "");
    peopleBySurname.set(key, set);
  }
  const entries: PersonEntry[] = rows.map((r) => {
    const name = r.name ?? "";
    const surname = r.surname ?? "";
    const shared = (peopleBySurname.get(foldToAscii(surname).toLowerCase())?.size ?? 0) > 1;
    const ambiguous = r.surnameAmbiguous === "y" || shared;
    const forms = [name, ...splitList(r.aliases)];
    if (!ambiguous) forms.push(surname);
    const aliases = unique(forms.flatMap((f) => [f, foldToAscii(f)]));
    const entry: PersonEntry = {
      id: personId(name, r.office ?? "", r.from ?? ""),
      name,
      aliases,
      surname,
      entity: r.entity ?? "",
      role: r.role ?? "",
      office: r.office ?? "",
      from: r.from ?? "",
      to: r.to ? r.to : null,
    };
    if (ambiguous) entry.surnameAmbiguous = true;
    return entry;
  });
  return {
    version,
    source: "people.tsv (hand-curated; see its notes for dates taken as the month start)",
    entries,
  };
}

// ---------------------------------------------------------------------------
// Groups and vague groups

export function buildGroups(version: string) {
  const entries = readSource("groups.tsv").map((r) => {
    const entry: { id: string; names: string[]; entity: string; role: string; ambiguous?: string[] } = {
      id: `group.${r.slug}`,
      names: splitList(r.names),
      entity: r.entity ?? "",
      role: r.role ?? "",
    };
    const ambiguous = splitList(r.ambiguous);
    if (ambiguous.length > 0) entry.ambiguous = ambiguous;
    return entry;
  });
  return { version, source: "groups.tsv (hand-curated)", entries };
}

export function buildVagueGroups(version: string) {
  const entries = readSource("vague-groups.tsv").map((r) => ({
    id: `vague.${r.slug}`,
    forms: splitList(r.forms),
  }));
  return { version, source: "vague-groups.tsv (hand-curated)", entries };
}

// ---------------------------------------------------------------------------
// Titles

export interface TitleEntry {
  id: string;
  forms: string[];
  role: string;
  office?: string;
  /** The full PETRARCH agent code ("GOVMIL" for a defence minister) when derived from the Phoenix file. */
  agentCode?: string;
}

const phoenixSubstitutions: Record<string, string[]> = {
  "!PERSON!": ["man", "men", "woman", "women", "person"],
  "!MINIST!": ["minister", "ministers", "ministry", "ministries"],
};

/** Regular English plural of a phrase's last word, as PETRARCH generates it for nouns without an explicit list. */
export function pluralize(phrase: string): string {
  const words = phrase.split(" ");
  // The head noun comes before a preposition: "minister of state" → "ministers of state".
  const prep = words.findIndex(
    (w, i) => i > 0 && ["of", "for", "to", "at", "without", "in", "on"].includes(w),
  );
  const head = prep > 0 ? prep - 1 : words.length - 1;
  const word = words[head] ?? "";
  let plural: string;
  if (/[^aeiou]y$/.test(word)) plural = `${word.slice(0, -1)}ies`;
  else if (/(ss|x|z|ch|sh)$/.test(word)) plural = `${word}es`;
  else if (word.endsWith("s"))
    plural = word; // already plural or invariant ("barracks", "forces")
  else plural = `${word}s`;
  words[head] = plural;
  return words.join(" ");
}

/**
 * Reads Phoenix.agents.petrarch2.txt lines such as `DEFENCE_MINIST [~GOVMIL]`, `POLICE {} [~COP]` or
 * `CATTLE!PERSON! [~AGR]` into lower-case forms with their agent code. `{}` means "no plural";
 * `{A B}` lists the plurals; otherwise a regular plural is generated, as PETRARCH does.
 */
export function parsePhoenixAgents(text: string): { headword: string; forms: string[]; code: string }[] {
  const out: { headword: string; forms: string[]; code: string }[] = [];
  for (const rawLine of text.split(/\r?\n/)) {
    const line = rawLine.replace(/#.*$/, "").trim();
    if (!line || /^![A-Z]+!\s*=/.test(line)) continue;
    const m = /^(.*?)\s*(\{[^}]*\})?\s*\[([^\]}]*)[\]}]\s*$/.exec(line);
    if (!m) continue;
    const [, phrase = "", plurals, rawCode = ""] = m;
    if (!rawCode.startsWith("~")) continue; // "IGO~"-style prefixes name organisations, not roles
    const code = rawCode.slice(1).trim();
    // Non-ASCII here is mojibake from the source ("PÃŠBLICAS"); such lines are skipped.
    if (!/^[A-Z]{3,}$/.test(code) || /[^\x20-\x7E]/.test(phrase)) continue;
    let bases = [phrase.replace(/MINIST(?=$|[\s_])/g, "!MINIST!")];
    let expanded = false;
    for (const [token, words] of Object.entries(phoenixSubstitutions)) {
      if (bases.some((b) => b.includes(token))) {
        bases = bases.flatMap((b) => (b.includes(token) ? words.map((w) => b.split(token).join(w)) : [b]));
        expanded = true;
      }
    }
    const normalize = (f: string) =>
      f.replace(/_/g, " ").replace(/\s+/g, " ").replace(/\s+,/g, ",").trim().toLowerCase();
    const forms = bases.map(normalize).filter((f) => f !== "");
    if (plurals !== undefined) {
      forms.push(...plurals.slice(1, -1).split(/\s+/).filter(Boolean).map(normalize));
    } else if (!expanded) {
      forms.push(...forms.map(pluralize));
    }
    const headword = forms[0];
    if (headword) out.push({ headword, forms: unique(forms), code });
  }
  return out;
}

export function buildTitles(referenceDir: string, version: string) {
  const roleCodes = new Set(
    parseTsv(readFileSync(path.join(referenceDir, "cameo/cameo_actor_role_codes.tsv"), "utf8")).map(
      (r) => r.code ?? "",
    ),
  );
  const entries: TitleEntry[] = [];
  const seen = new Set<string>();
  for (const r of readSource("titles.tsv")) {
    const forms = unique(splitList(r.forms));
    for (const f of forms) seen.add(f.toLowerCase());
    const entry: TitleEntry = { id: `title.${r.slug}`, forms, role: r.role ?? "" };
    if (r.office) entry.office = r.office;
    entries.push(entry);
  }
  const phoenix = parsePhoenixAgents(
    readFileSync(path.join(referenceDir, "cameo/Phoenix.agents.petrarch2.txt"), "utf8"),
  );
  const usedIds = new Set(entries.map((e) => e.id));
  for (const agent of phoenix) {
    const role = agent.code.slice(0, 3);
    // Religious and ethnic codes (CHR, MUS, ...) are not roles in the CAMEO actor codebook table.
    if (!roleCodes.has(role)) continue;
    const forms = agent.forms.filter((f) => !seen.has(f));
    if (forms.length === 0) continue;
    for (const f of forms) seen.add(f);
    let id = `title.phoenix.${slugify(agent.headword)}`;
    for (let n = 2; usedIds.has(id); n++) id = `title.phoenix.${slugify(agent.headword)}-${n}`;
    usedIds.add(id);
    entries.push({ id, forms, role, agentCode: agent.code });
  }
  return {
    version,
    source:
      "titles.tsv (hand-curated) and nouns derived from reference/cameo/Phoenix.agents.petrarch2.txt (openeventdata/petrarch2, MIT, (c) 2014 Open Event Data Alliance)",
    entries,
  };
}

// ---------------------------------------------------------------------------
// Output

/** Compact JSON with one entry a line: small diffs, easy review, still plain JSON. */
export function serializeDictionary(doc: Record<string, unknown>, listKey: string): string {
  const list = doc[listKey];
  if (!Array.isArray(list)) throw new DictionaryBuildError(`missing list ${listKey}`);
  const head = Object.entries(doc)
    .filter(([key]) => key !== listKey)
    .map(([key, value]) => `${JSON.stringify(key)}:${JSON.stringify(value)}`);
  const body = list.map((entry) => JSON.stringify(entry)).join(",\n");
  return `{${head.join(",")},${JSON.stringify(listKey)}:[\n${body}\n]}\n`;
}

export interface BuiltFile {
  file: string;
  content: string;
}

/**
 * The fields of each dictionary the coder reads (coder/dictionaries/compile.ts), in the
 * order the compact files store them. Everything else (statuses, CAMEO agent codes, the
 * PLOVER basis, ...) stays in the full files for review and tests but is not shipped.
 */
export const shippedFields: Record<string, { listKey: string; fields: string[] }> = {
  "cameo.json": { listKey: "codes", fields: ["code", "root", "name", "goldstein", "quadClass", "plover"] },
  "states.json": {
    listKey: "entries",
    fields: ["id", "entity", "names", "demonyms", "capitals", "metonyms", "institutions", "ambiguous"],
  },
  "organizations.json": {
    listKey: "entries",
    fields: ["id", "entity", "names", "memberForms", "seats", "ambiguous"],
  },
  "people.json": {
    listKey: "entries",
    fields: [
      "id",
      "name",
      "aliases",
      "surname",
      "entity",
      "role",
      "office",
      "from",
      "to",
      "surnameAmbiguous",
    ],
  },
  "groups.json": { listKey: "entries", fields: ["id", "names", "entity", "role"] },
  "titles.json": { listKey: "entries", fields: ["id", "forms", "role", "office"] },
  "vague-groups.json": { listKey: "entries", fields: ["id", "forms", "names"] },
};

/** The prefix every id of a list shares ("title."), or "" when they share none up to a dot. */
function commonIdPrefix(ids: string[]): string {
  if (ids.length === 0) return "";
  let prefix = ids[0]!.slice(0, ids[0]!.indexOf(".") + 1);
  while (prefix && !ids.every((id) => id.startsWith(prefix))) prefix = "";
  return prefix;
}

/**
 * The compact form the coder ships (data/compact/*.json): the version and source, the
 * shipped field names, and one array per entry with those fields in order. Ids lose the
 * prefix all ids of the file share (`idPrefix` restores it); an absent, null or empty-list
 * field is null, trailing nulls are dropped (the coder reads all three alike: as absent);
 * a PLOVER mapping is [type, mode, context]. One entry a line, as in the full files.
 */
export function serializeCompact(doc: Record<string, unknown>, file: string): string {
  const shape = shippedFields[file];
  if (!shape) throw new DictionaryBuildError(`no shipped fields for ${file}`);
  const list = doc[shape.listKey] as Record<string, unknown>[] | undefined;
  if (!Array.isArray(list)) throw new DictionaryBuildError(`missing list ${shape.listKey} in ${file}`);
  const hasIds = shape.fields[0] === "id";
  const idPrefix = hasIds ? commonIdPrefix(list.map((e) => String(e.id))) : "";
  const rows = list.map((entry) => {
    const row: unknown[] = shape.fields.map((field) => {
      let value = entry[field];
      if (field === "id") value = String(value).slice(idPrefix.length);
      if (field === "plover" && value && typeof value === "object") {
        const p = value as { type: string; mode?: string | null; context?: string | null };
        value = [p.type, p.mode ?? null, p.context ?? null];
        while ((value as unknown[]).length > 1 && (value as unknown[]).at(-1) === null)
          (value as unknown[]).pop();
      }
      if (field === "root" && value !== String(entry.code).slice(0, 2))
        throw new DictionaryBuildError(`root of ${String(entry.code)} is not its first two digits`);
      if (value === undefined || (Array.isArray(value) && value.length === 0)) return null;
      return value;
    });
    while (row.length > 0 && row.at(-1) === null) row.pop();
    return JSON.stringify(row);
  });
  const head = {
    version: doc.version,
    source: doc.source,
    fields: shape.fields,
    ...(hasIds ? { idPrefix } : {}),
  };
  const headText = Object.entries(head)
    .map(([key, value]) => `${JSON.stringify(key)}:${JSON.stringify(value)}`)
    .join(",");
  return `{${headText},"rows":[\n${rows.join(",\n")}\n]}\n`;
}

export function buildAll(referenceDir: string): BuiltFile[] {
  if (!existsSync(referenceDir)) {
    throw new DictionaryBuildError(`reference folder not found: ${referenceDir} (pass --reference <dir>)`);
  }
  const version = readFileSync(path.join(sourcesDir, "version.txt"), "utf8").trim();
  const docs: Array<[string, Record<string, unknown>]> = [
    ["cameo.json", buildCameo(referenceDir, version)],
    ["states.json", buildStates(referenceDir, version)],
    ["organizations.json", buildOrganizations(referenceDir, version)],
    ["people.json", buildPeople(version)],
    ["groups.json", buildGroups(version)],
    ["titles.json", buildTitles(referenceDir, version)],
    ["vague-groups.json", buildVagueGroups(version)],
  ];
  return [
    ...docs.map(([file, doc]) => ({
      file,
      content: serializeDictionary(doc, shippedFields[file]!.listKey),
    })),
    // The compact files are what the coder imports; they hold no line starting with {"id":, so
    // the id ledger reads the full files alone.
    ...docs.map(([file, doc]) => ({ file: `compact/${file}`, content: serializeCompact(doc, file) })),
  ];
}

const idLedgerFile = path.join(sourcesDir, "published-ids.txt");
const retiredIdsFile = path.join(sourcesDir, "retired-ids.txt");

function readIdList(file: string): string[] {
  if (!existsSync(file)) return [];
  return readFileSync(file, "utf8")
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter((line) => line !== "" && !line.startsWith("#"));
}

/** Every "id" in the built files, in file order. */
export function collectIds(built: BuiltFile[]): string[] {
  return built.flatMap(({ content }) =>
    [...content.matchAll(/^\{"id":"([^"]+)"/gm)].map((m) => m[1] as string),
  );
}

/**
 * Ids are promised to stay stable forever: an id once published may only disappear if it is listed in
 * retired-ids.txt (with the reason). Returns the ledger to write, or throws when an id vanished.
 */
export function updateIdLedger(published: string[], retired: string[], current: string[]): string[] {
  const now = new Set(current);
  const retiredSet = new Set(retired.map((line) => line.split(/\s/)[0]));
  const vanished = published.filter((id) => !now.has(id) && !retiredSet.has(id));
  if (vanished.length > 0) {
    throw new DictionaryBuildError(
      `published ids disappeared (restore them or list them in sources/retired-ids.txt): ${vanished.join(", ")}`,
    );
  }
  return [...new Set([...published, ...current])].sort();
}

function ledgerText(ids: string[]): string {
  return `# Every id ever published in coder/dictionaries/data. Written by scripts/build-dictionaries.ts; an id here\n# must stay in the data or be listed in retired-ids.txt. Do not edit by hand.\n${ids.join("\n")}\n`;
}

function main(argv: string[]): void {
  const refFlag = argv.indexOf("--reference");
  const referenceDir =
    refFlag >= 0 && argv[refFlag + 1]
      ? path.resolve(argv[refFlag + 1] as string)
      : path.resolve(repoRoot, "..", "shared", "reference");
  const check = argv.includes("--check");
  const built = buildAll(referenceDir);
  // The ledger is checked before anything is written, so a build that drops an id changes nothing.
  const ledger = updateIdLedger(readIdList(idLedgerFile), readIdList(retiredIdsFile), collectIds(built));
  const stale: string[] = [];
  for (const { file, content } of built) {
    const target = path.join(dataDir, file);
    const current = existsSync(target) ? readFileSync(target, "utf8") : "";
    if (current === content) continue;
    if (check) stale.push(file);
    else {
      mkdirSync(path.dirname(target), { recursive: true });
      writeFileSync(target, content);
    }
  }
  const ledgerCurrent = existsSync(idLedgerFile) ? readFileSync(idLedgerFile, "utf8") : "";
  if (ledgerCurrent !== ledgerText(ledger)) {
    if (check) stale.push("sources/published-ids.txt");
    else writeFileSync(idLedgerFile, ledgerText(ledger));
  }
  if (check && stale.length > 0) {
    console.error(`stale dictionaries (run npx tsx scripts/build-dictionaries.ts): ${stale.join(", ")}`);
    process.exitCode = 1;
    return;
  }
  console.log(`${check ? "checked" : "built"} ${built.map((b) => b.file).join(", ")}`);
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main(process.argv.slice(2));
}
