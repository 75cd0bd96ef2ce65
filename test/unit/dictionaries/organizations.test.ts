import { describe, expect, it } from "vitest";
import { organizationForms, organizations } from "./load-dictionaries.js";

// The codes of reference/organizations.csv: the gold files use them, so they never change.
const referenceCodes = [
  "UN",
  "UNSC",
  "NATO",
  "EU",
  "AU",
  "ASEAN",
  "ARL",
  "GCC",
  "OSCE",
  "SCO",
  "BRICS",
  "G7",
  "G20",
  "IAEA",
  "WHO",
  "IMF",
  "WB",
  "WTO",
  "ICC",
  "ICJ",
  "OPEC",
  "ECOWAS",
  "OAS",
  "CSTO",
  "OIC",
  "CARICOM",
  "EAC",
  "SADC",
  "UNHCR",
  "ICRC",
];

describe("organizations.json", () => {
  const { version, list } = organizations();
  const byEntity = new Map(list.map((o) => [o.entity, o]));

  it("has a version, stable ids and keeps every reference code", () => {
    expect(version).toMatch(/^\d{4}\.\d{1,2}\.\d+$/);
    const ids = list.map((o) => o.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const o of list) {
      expect(o.id).toBe(`org.${o.entity}`);
      expect(o.entity).toMatch(/^[A-Z][A-Z0-9]+$/);
      expect(o.names.length, o.id).toBeGreaterThan(0);
      expect(o.cameo === null || /^(IGO|NGO)[A-Z]*$/.test(o.cameo), o.id).toBe(true);
    }
    for (const code of referenceCodes) expect(byEntity.has(code), code).toBe(true);
  });

  it("adds the bodies the news names most", () => {
    for (const code of ["UNRWA", "WFP", "INTERPOL", "MERCOSUR", "QUAD", "AUKUS", "OPCW", "AES"]) {
      expect(byEntity.has(code), code).toBe(true);
    }
  });

  it("sorts member forms and seats from names", () => {
    expect(byEntity.get("NATO")?.memberForms).toEqual(
      expect.arrayContaining(["NATO members", "NATO allies"]),
    );
    expect(byEntity.get("NATO")?.names).toEqual(
      expect.arrayContaining(["NATO", "North Atlantic Treaty Organization"]),
    );
    expect(byEntity.get("EU")?.seats).toEqual(["Brussels"]);
    expect(byEntity.get("EU")?.names).not.toContain("Brussels");
    expect(byEntity.get("EU")?.ambiguous).toContain("Brussels");
    // "United Nations" is a name, not a plural of members.
    expect(byEntity.get("UN")?.names).toContain("United Nations");
    expect(byEntity.get("UN")?.memberForms).not.toContain("United Nations");
  });

  it("carries the CAMEO codes of reference/cameo/cameo_intl_actor_codes.tsv", () => {
    expect(byEntity.get("NATO")?.cameo).toBe("IGOWSTNAT");
    expect(byEntity.get("UN")?.cameo).toBe("IGOUNO");
    expect(byEntity.get("EU")?.cameo).toBe("IGOEUREEC");
    expect(byEntity.get("SCO")?.cameo).toBe("IGOCAS");
    expect(byEntity.get("IAEA")?.cameo).toBe("IGOUNOIAE");
    expect(byEntity.get("BRICS")?.cameo).toBeNull();
  });

  it("lists as ambiguous only forms the entry has", () => {
    for (const o of list) {
      const all = organizationForms(o).map((f) => f.toLowerCase());
      for (const f of o.ambiguous ?? []) expect(all, `${o.id} ${f}`).toContain(f.toLowerCase());
    }
  });
});
