import { describe, expect, it } from "vitest";
import {
  buildGroups,
  buildPeople,
  buildVagueGroups,
  cleanCameoName,
  foldToAscii,
  generateInstitutions,
  parseCameoToPlover,
  parseCsv,
  parsePhoenixAgents,
  pluralize,
  quadClassOf,
  serializeDictionary,
  titleCaseHeadword,
  updateIdLedger,
} from "../../../scripts/build-dictionaries.js";
import { readDictionary } from "./load-dictionaries.js";

describe("build-dictionaries parsers", () => {
  it("reads the PLOVER crosswalk, first root line winning and empty cells as null", () => {
    const map = parseCameoToPlover(
      "# header\n08: CONCEDE\n08: RETREAT\n0841: RETREAT, release,   legal # Return\n091: ACCUSE, investigate, crime; corruption # x\n",
    );
    expect(map.get("08")).toEqual({ type: "CONCEDE", mode: null, context: null });
    expect(map.get("0841")).toEqual({ type: "RETREAT", mode: "release", context: "legal" });
    expect(map.get("091")?.context).toBe("crime; corruption");
  });

  it("cleans CAMEO names: upper-case roots, lost quotes, the mis-encoded 044", () => {
    expect(cleanCameoName("04", "CONSULT")).toBe("Consult");
    expect(cleanCameoName("044", "Meet at a \u00d2hird\u00d3location")).toBe('Meet at a "third" location');
    expect(cleanCameoName("0123", "Moscow\uFFFDs will")).toBe("Moscow's will");
  });

  it("assigns quad classes by root and refuses non-roots", () => {
    expect([quadClassOf("01"), quadClassOf("05"), quadClassOf("06"), quadClassOf("08")]).toEqual([
      1, 1, 2, 2,
    ]);
    expect([quadClassOf("09"), quadClassOf("13"), quadClassOf("14"), quadClassOf("20")]).toEqual([
      3, 3, 4, 4,
    ]);
    expect(() => quadClassOf("21")).toThrow();
  });

  it("parses quoted CSV fields with commas and doubled quotes", () => {
    expect(parseCsv('a,b\n"x, y","say ""hi"""\n')).toEqual([{ a: "x, y", b: 'say "hi"' }]);
  });

  it("title-cases reference headwords and generates ministry forms", () => {
    expect(titleCaseHeadword("UNITED REPUBLIC OF TANZANIA")).toBe("United Republic of Tanzania");
    expect(titleCaseHeadword("COTE D'IVOIRE")).toBe("Cote d'Ivoire");
    expect(generateInstitutions("Philippines", "Philippine")).toContain("Philippines' foreign ministry");
    expect(generateInstitutions("China", "Chinese")).toEqual(
      expect.arrayContaining([
        "China's foreign ministry",
        "Chinese foreign ministry",
        "Chinese Foreign Ministry",
      ]),
    );
  });

  it("reads Phoenix agent lines with substitutions, stems and plural lists", () => {
    const agents = parsePhoenixAgents(
      "!PERSON! = MAN, MEN\nDEFENCE_MINIST [~GOVMIL]\nBUSINESS!PERSON! [~BUS]\nPOLICE {} [~COP]\nTHIEF {THIEVES} [~CRM]\nHAMAS [IGO~]\n",
    );
    expect(agents).toEqual([
      {
        headword: "defence minister",
        forms: ["defence minister", "defence ministers", "defence ministry", "defence ministries"],
        code: "GOVMIL",
      },
      {
        headword: "businessman",
        forms: ["businessman", "businessmen", "businesswoman", "businesswomen", "businessperson"],
        code: "BUS",
      },
      { headword: "police", forms: ["police"], code: "COP" },
      { headword: "thief", forms: ["thief", "thieves"], code: "CRM" },
    ]);
    expect(pluralize("minister of state")).toBe("ministers of state");
    expect(pluralize("militia")).toBe("militias");
    expect(pluralize("barracks")).toBe("barracks");
    expect(pluralize("army")).toBe("armies");
  });

  it("folds names to the ASCII spelling of wire copy", () => {
    expect(foldToAscii("Recep Tayyip Erdoğan")).toBe("Recep Tayyip Erdogan");
    expect(foldToAscii("Binali Yıldırım")).toBe("Binali Yildirim");
    expect(foldToAscii("Radosław Sikorski")).toBe("Radoslaw Sikorski");
  });

  it("writes one entry a line and stays valid JSON", () => {
    const text = serializeDictionary({ version: "1", entries: [{ id: "a" }, { id: "b" }] }, "entries");
    expect(text.split("\n")).toEqual(['{"version":"1","entries":[', '{"id":"a"},', '{"id":"b"}', "]}", ""]);
    expect(JSON.parse(text)).toEqual({ version: "1", entries: [{ id: "a" }, { id: "b" }] });
  });
});

describe("the id ledger", () => {
  it("refuses a build that drops a published id, unless it was retired", () => {
    expect(() => updateIdLedger(["a", "b"], [], ["a"])).toThrow(/b/);
    expect(updateIdLedger(["a", "b"], ["b\tmerged into a"], ["a", "c"])).toEqual(["a", "b", "c"]);
  });
});

describe("checked-in data built from sources only", () => {
  // These three need no reference tables, so their regeneration is checked here; the rest is
  // checked by `npx tsx scripts/build-dictionaries.ts --check` where ../shared/reference exists.
  it("matches what the build makes from the sources", () => {
    const version = readDictionary("people.json").version;
    expect(serializeDictionary(buildPeople(version), "entries")).toBe(readDictionary("people.json").raw);
    expect(serializeDictionary(buildGroups(version), "entries")).toBe(readDictionary("groups.json").raw);
    expect(serializeDictionary(buildVagueGroups(version), "entries")).toBe(
      readDictionary("vague-groups.json").raw,
    );
  });
});
