// The gazetteer and code tables, compiled once at module load.
import cameo from "./data/cameo.json" with { type: "json" };
import groups from "./data/groups.json" with { type: "json" };
import organizations from "./data/organizations.json" with { type: "json" };
import people from "./data/people.json" with { type: "json" };
import states from "./data/states.json" with { type: "json" };
import titles from "./data/titles.json" with { type: "json" };
import vagueGroups from "./data/vague-groups.json" with { type: "json" };
import type { DictionaryFiles } from "./types.js";

export const dictionaryFiles: DictionaryFiles = {
  cameo: cameo as unknown as DictionaryFiles["cameo"],
  states: states as unknown as DictionaryFiles["states"],
  organizations: organizations as unknown as DictionaryFiles["organizations"],
  people: people as unknown as DictionaryFiles["people"],
  groups: groups as unknown as DictionaryFiles["groups"],
  titles: titles as unknown as DictionaryFiles["titles"],
  vagueGroups: vagueGroups as unknown as DictionaryFiles["vagueGroups"],
};

export type { LexEntry, Lexicon, MentionKind } from "./compile.js";
export { compileLexicon } from "./compile.js";
export type { DictionaryFiles } from "./types.js";
