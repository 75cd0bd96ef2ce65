// The coder ships data/compact/*.json, not the full files: expanded, each must give the
// full file's entries with exactly the fields the coder reads, absent where the full
// file has nothing (null, an empty list or no field), which the compiler reads alike.
import { describe, expect, it } from "vitest";
import { dictionaryFiles } from "../../../coder/dictionaries/index.js";
import { shippedFields } from "../../../scripts/build-dictionaries.js";
import { readDictionary } from "./load-dictionaries.js";

const shipped: Array<[string, { version: string; list: unknown[] }]> = [
  ["cameo.json", { version: dictionaryFiles.cameo.version, list: dictionaryFiles.cameo.codes }],
  ["states.json", { version: dictionaryFiles.states.version, list: dictionaryFiles.states.entries }],
  [
    "organizations.json",
    { version: dictionaryFiles.organizations.version, list: dictionaryFiles.organizations.entries },
  ],
  ["people.json", { version: dictionaryFiles.people.version, list: dictionaryFiles.people.entries }],
  ["groups.json", { version: dictionaryFiles.groups.version, list: dictionaryFiles.groups.entries }],
  ["titles.json", { version: dictionaryFiles.titles.version, list: dictionaryFiles.titles.entries }],
  [
    "vague-groups.json",
    { version: dictionaryFiles.vagueGroups.version, list: dictionaryFiles.vagueGroups.entries },
  ],
];

/** The entry as the coder reads it: shipped fields only, nothing for null or empty lists. */
function asRead(entry: Record<string, unknown>, fields: string[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const field of fields) {
    const value = entry[field];
    if (value === null || value === undefined || (Array.isArray(value) && value.length === 0)) continue;
    out[field] =
      field === "plover" ? { mode: null, context: null, ...(value as Record<string, unknown>) } : value;
  }
  return out;
}

describe("compact dictionaries", () => {
  it("cover every full file", () => {
    expect(shipped.map(([file]) => file).sort()).toEqual(Object.keys(shippedFields).sort());
  });

  for (const [file, compact] of shipped) {
    it(`${file}: same version, same entries in the same order, shipped fields only`, () => {
      const { listKey, fields } = shippedFields[file]!;
      const full = readDictionary<Record<string, unknown>>(file, listKey);
      expect(compact.version).toBe(full.version);
      expect(compact.list).toEqual(full.list.map((entry) => asRead(entry, fields)));
    });
  }

  it("leave out what the coder does not read", () => {
    const title = dictionaryFiles.titles.entries.find((t) => t.id.startsWith("title.phoenix."));
    expect(title).toBeDefined();
    expect(title).not.toHaveProperty("agentCode");
    expect(dictionaryFiles.states.entries[0]).not.toHaveProperty("status");
  });
});
