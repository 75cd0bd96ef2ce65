// The gazetteer and code tables the coder ships: the compact files under data/compact/
// (written by scripts/build-dictionaries.ts beside the full data/*.json, with only the
// fields the coder reads), expanded here into the DictionaryFiles shape and compiled
// once at module load.
import cameo from "./data/compact/cameo.json" with { type: "json" };
import groups from "./data/compact/groups.json" with { type: "json" };
import organizations from "./data/compact/organizations.json" with { type: "json" };
import people from "./data/compact/people.json" with { type: "json" };
import states from "./data/compact/states.json" with { type: "json" };
import titles from "./data/compact/titles.json" with { type: "json" };
import vagueGroups from "./data/compact/vague-groups.json" with { type: "json" };
import type { DictionaryFiles } from "./types.js";

/** A compact file: field names, then one array per entry with the fields in that order. */
interface CompactFile {
  version: string;
  fields: string[];
  /** Shared by every id of the file and left out of the rows. */
  idPrefix?: string;
  rows: unknown[][];
}

/**
 * The entries of a compact file as the full file has them, less the fields the coder
 * does not read. A null or missing cell is an absent field (an empty list or a null in
 * the full file), which the compiler reads exactly as it reads those.
 */
function expand<T>(file: CompactFile): { version: string; list: T[] } {
  const { fields, rows } = file;
  const idPrefix = file.idPrefix ?? "";
  const list = rows.map((row) => {
    const entry: Record<string, unknown> = {};
    for (let i = 0; i < row.length; i++) {
      const value = row[i];
      if (value === null || value === undefined) continue;
      const field = fields[i]!;
      if (field === "id") entry.id = idPrefix + (value as string);
      else if (field === "plover") {
        const [type, mode = null, context = null] = value as Array<string | null>;
        entry.plover = { type, mode, context };
      } else entry[field] = value;
    }
    return entry as T;
  });
  return { version: file.version, list };
}

function entriesOf<T>(file: unknown): { version: string; entries: T[] } {
  const { version, list } = expand<T>(file as CompactFile);
  return { version, entries: list };
}

const cameoCodes = expand<DictionaryFiles["cameo"]["codes"][number]>(cameo as unknown as CompactFile);

export const dictionaryFiles: DictionaryFiles = {
  cameo: { version: cameoCodes.version, codes: cameoCodes.list },
  states: entriesOf(states),
  organizations: entriesOf(organizations),
  people: entriesOf(people),
  groups: entriesOf(groups),
  titles: entriesOf(titles),
  vagueGroups: entriesOf(vagueGroups),
};

export type { LexEntry, Lexicon, MentionKind } from "./compile.js";
export { compileLexicon } from "./compile.js";
export type { DictionaryFiles } from "./types.js";
