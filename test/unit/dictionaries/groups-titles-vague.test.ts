import { describe, expect, it } from "vitest";
import { cameoRoleCodes, groups, knownEntities, titles, vagueGroups } from "./load-dictionaries.js";

describe("groups.json", () => {
  const { version, list } = groups();
  const entityOf = (name: string) => list.find((g) => g.names.includes(name));

  it("has a version, stable ids, known entities and CAMEO roles", () => {
    expect(version).toMatch(/^\d{4}\.\d{1,2}\.\d+$/);
    const ids = list.map((g) => g.id);
    expect(new Set(ids).size).toBe(ids.length);
    const entities = knownEntities();
    for (const g of list) {
      expect(g.id).toMatch(/^group\.[a-z0-9-]+$/);
      expect(entities.has(g.entity), `${g.id} ${g.entity}`).toBe(true);
      expect(cameoRoleCodes.has(g.role), `${g.id} ${g.role}`).toBe(true);
      expect(g.names.length).toBeGreaterThan(0);
      for (const f of g.ambiguous ?? []) expect(g.names, g.id).toContain(f);
    }
  });

  it("codes non-state armed groups to their territory's entity (codebook hard case 2)", () => {
    expect(entityOf("Hamas")).toMatchObject({ entity: "PSE", role: "REB" });
    expect(entityOf("Houthis")).toMatchObject({ entity: "YEM", role: "REB" });
    expect(entityOf("Ansar Allah")).toMatchObject({ entity: "YEM" });
    expect(entityOf("Rapid Support Forces")).toMatchObject({ entity: "SDN", role: "REB" });
    expect(entityOf("RSF")?.entity).toBe("SDN");
    expect(entityOf("SAF")).toMatchObject({ entity: "SDN", role: "MIL" });
    expect(entityOf("Hezbollah")?.entity).toBe("LBN");
    expect(entityOf("Taliban")?.entity).toBe("AFG");
    expect(entityOf("PKK")?.entity).toBe("TUR");
    expect(entityOf("M23")?.entity).toBe("COD");
    expect(entityOf("Wagner Group")).toMatchObject({ entity: "RUS", role: "MIL" });
    // A transnational group acts for no state.
    expect(entityOf("Islamic State")?.entity).toBe("IMG");
  });
});

describe("titles.json", () => {
  const { version, list } = titles();
  const byForm = new Map(list.flatMap((t) => t.forms.map((f) => [f.toLowerCase(), t] as const)));

  it("has a version, stable ids, CAMEO roles and each form in one entry only", () => {
    expect(version).toMatch(/^\d{4}\.\d{1,2}\.\d+$/);
    const ids = list.map((t) => t.id);
    expect(new Set(ids).size).toBe(ids.length);
    const forms = list.flatMap((t) => t.forms.map((f) => f.toLowerCase()));
    expect(new Set(forms).size).toBe(forms.length);
    for (const t of list) {
      expect(t.id).toMatch(/^title\.[a-z0-9.-]+$/);
      expect(cameoRoleCodes.has(t.role), `${t.id} ${t.role}`).toBe(true);
      expect(t.forms.length).toBeGreaterThan(0);
    }
  });

  it("attaches the roles and offices the engine matches against people", () => {
    expect(byForm.get("foreign minister")).toMatchObject({ role: "GOV", office: "foreign-minister" });
    expect(byForm.get("top diplomat")?.office).toBe("foreign-minister");
    expect(byForm.get("secretary of state")?.office).toBe("foreign-minister");
    expect(byForm.get("president")).toMatchObject({ role: "GOV", office: "president" });
    expect(byForm.get("troops")?.role).toBe("MIL");
    expect(byForm.get("junta")?.role).toBe("MIL");
    expect(byForm.get("opposition")?.role).toBe("OPP");
    expect(byForm.get("state media")?.role).toBe("MED");
    expect(byForm.get("counterpart")?.role).toBe("GOV");
  });

  it("derives the broader noun list from PETRARCH's Phoenix agents", () => {
    const derived = list.filter((t) => t.id.startsWith("title.phoenix."));
    expect(derived.length).toBeGreaterThan(1000);
    expect(byForm.get("defence minister")?.role).toBe("GOV");
    expect(byForm.get("riot police")?.role).toBe("COP");
    expect(byForm.get("businessman")?.role).toBe("BUS");
    expect(byForm.get("ministers of state")?.role).toBe("GOV");
    for (const t of derived) for (const f of t.forms) expect(f).toBe(f.toLowerCase());
  });
});

describe("vague-groups.json", () => {
  const { version, list } = vagueGroups();
  it("has a version, stable ids and the forms that must not resolve", () => {
    expect(version).toMatch(/^\d{4}\.\d{1,2}\.\d+$/);
    const ids = list.map((v) => v.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const v of list) expect(v.id).toMatch(/^vague\.[a-z0-9-]+$/);
    const forms = list.flatMap((v) => v.forms);
    expect(new Set(forms.map((f) => f.toLowerCase())).size).toBe(forms.length);
    for (const f of [
      "Western nations",
      "analysts",
      "critics",
      "diplomats",
      "officials",
      "international community",
      "experts",
    ]) {
      expect(forms, f).toContain(f);
    }
  });
});
