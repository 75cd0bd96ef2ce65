// Shapes of the gazetteer and code-table files under data/. They are read as
// plain JSON, so every field is checked loosely and compiled once.

export interface CameoCodeEntry {
  id: string;
  code: string;
  root: string;
  name: string;
  goldstein: number;
  quadClass: 1 | 2 | 3 | 4;
  plover: { type: string; mode?: string | null; context?: string | null };
}

export interface StateEntry {
  id: string;
  entity: string;
  names?: string[];
  demonyms?: string[];
  capitals?: string[];
  metonyms?: string[];
  institutions?: string[];
  ambiguous?: string[];
}

export interface OrganizationEntry {
  id: string;
  entity: string;
  names?: string[];
  memberForms?: string[];
  seats?: string[];
  cameo?: string;
  ambiguous?: string[];
}

export interface PersonEntry {
  id: string;
  name: string;
  aliases?: string[];
  surname?: string;
  entity: string;
  role?: string;
  office?: string;
  from?: string | null;
  to?: string | null;
  surnameAmbiguous?: boolean;
}

export interface GroupEntry {
  id: string;
  names: string[];
  entity: string;
  role?: string;
}

export interface TitleEntry {
  id: string;
  forms: string[];
  role?: string;
  office?: string;
}

export interface VagueGroupEntry {
  id: string;
  forms?: string[];
  names?: string[];
}

export interface DictionaryFiles {
  cameo: { version: string; codes: CameoCodeEntry[] };
  states: { version: string; entries: StateEntry[] };
  organizations: { version: string; entries: OrganizationEntry[] };
  people: { version: string; entries: PersonEntry[] };
  groups: { version: string; entries: GroupEntry[] };
  titles: { version: string; entries: TitleEntry[] };
  vagueGroups: { version: string; entries: VagueGroupEntry[] };
}
