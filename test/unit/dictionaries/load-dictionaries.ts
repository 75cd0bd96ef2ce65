// Reads the checked-in dictionaries the way the coder does (plain JSON files), for the validity tests.
import { readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

export const dataDir = path.resolve(
  path.dirname(fileURLToPath(import.meta.url)),
  "../../../coder/dictionaries/data",
);

export interface DictionaryFile<T> {
  version: string;
  source: string;
  [key: string]: unknown;
  entries: T[];
}

export function readDictionary<T>(
  file: string,
  listKey = "entries",
): { version: string; list: T[]; raw: string } {
  const raw = readFileSync(path.join(dataDir, file), "utf8");
  const doc = JSON.parse(raw) as Record<string, unknown>;
  return { version: String(doc.version), list: doc[listKey] as T[], raw };
}

export interface State {
  id: string;
  entity: string;
  status: string;
  names: string[];
  demonyms: string[];
  capitals: string[];
  metonyms: string[];
  institutions: string[];
  ambiguous?: string[];
}
export interface Organization {
  id: string;
  entity: string;
  name: string;
  names: string[];
  memberForms: string[];
  seats: string[];
  cameo: string | null;
  ambiguous?: string[];
}
export interface Person {
  id: string;
  name: string;
  aliases: string[];
  surname: string;
  surnameAmbiguous?: boolean;
  entity: string;
  role: string;
  office: string;
  from: string;
  to: string | null;
}
export interface Group {
  id: string;
  names: string[];
  entity: string;
  role: string;
  ambiguous?: string[];
}
export interface Title {
  id: string;
  forms: string[];
  role: string;
  office?: string;
}
export interface VagueGroup {
  id: string;
  forms: string[];
}
export interface CameoCode {
  id: string;
  code: string;
  root: string;
  name: string;
  goldstein: number;
  quadClass: number;
  plover: { type: string; mode: string | null; context: string | null };
}

export const cameo = () => readDictionary<CameoCode>("cameo.json", "codes");
export const states = () => readDictionary<State>("states.json");
export const organizations = () => readDictionary<Organization>("organizations.json");
export const people = () => readDictionary<Person>("people.json");
export const groups = () => readDictionary<Group>("groups.json");
export const titles = () => readDictionary<Title>("titles.json");
export const vagueGroups = () => readDictionary<VagueGroup>("vague-groups.json");

/** CAMEO actor role codes (reference/cameo/cameo_actor_role_codes.tsv), the only roles an entry may carry. */
export const cameoRoleCodes = new Set([
  "GOV",
  "MIL",
  "COP",
  "JUD",
  "OPP",
  "REB",
  "INS",
  "SEP",
  "SPY",
  "UAF",
  "PTY",
  "AGR",
  "BUS",
  "CRM",
  "CVL",
  "DEV",
  "EDU",
  "ELI",
  "ENV",
  "HLH",
  "HRI",
  "LAB",
  "LEG",
  "MED",
  "REF",
  "MOD",
  "RAD",
  "IGO",
  "IMG",
  "INT",
  "MNC",
  "NGM",
  "NGO",
  "UIS",
]);

/** Entity codes that are neither a state nor an organisation: CAMEO's international militarised group. */
export const nonStateEntities = new Set(["IMG"]);

export function knownEntities(): Set<string> {
  return new Set([
    ...states().list.map((s) => s.entity),
    ...organizations().list.map((o) => o.entity),
    ...nonStateEntities,
  ]);
}

export function statesForms(s: State): string[] {
  return [...s.names, ...s.demonyms, ...s.capitals, ...s.metonyms, ...s.institutions];
}
export function organizationForms(o: Organization): string[] {
  return [...o.names, ...o.memberForms, ...o.seats];
}
