import { describe, expect, it } from "vitest";
import { states, statesForms } from "./load-dictionaries.js";

describe("states.json", () => {
  const { version, list } = states();
  const byEntity = new Map(list.map((s) => [s.entity, s]));
  const formsOf = (entity: string) => {
    const s = byEntity.get(entity);
    if (!s) throw new Error(`no state ${entity}`);
    return statesForms(s);
  };

  it("has a version, stable ids and ISO 3166-1 alpha-3 codes", () => {
    expect(version).toMatch(/^\d{4}\.\d{1,2}\.\d+$/);
    const ids = list.map((s) => s.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const s of list) {
      expect(s.id).toBe(`state.${s.entity}`);
      expect(s.entity).toMatch(/^[A-Z]{3}$/);
      expect(["member", "observer", "territory"]).toContain(s.status);
      expect(s.names.length).toBeGreaterThan(0);
    }
  });

  it("covers every UN member state, both observers and the territories with their own code", () => {
    expect(list.filter((s) => s.status === "member").length).toBe(193);
    expect(byEntity.get("VAT")?.status).toBe("observer");
    expect(byEntity.get("PSE")?.status).toBe("observer");
    for (const code of ["XKX", "TWN", "HKG", "GRL", "FLK", "ESH", "MAC", "PRI"]) {
      expect(byEntity.get(code)?.status, code).toBe("territory");
    }
    // Old or made-up codes from the reference table do not leak through.
    for (const code of ["TMP", "KNT", "ROM", "ZAR"]) expect(byEntity.has(code)).toBe(false);
  });

  it("knows the names, demonyms, capitals and metonyms that news copy uses", () => {
    const expected: Record<string, string[]> = {
      USA: [
        "United States",
        "U.S.",
        "US",
        "USA",
        "America",
        "United States of America",
        "Washington",
        "White House",
        "Foggy Bottom",
        "Pentagon",
        "State Department",
        "American",
      ],
      GBR: [
        "Britain",
        "United Kingdom",
        "UK",
        "U.K.",
        "Great Britain",
        "Downing Street",
        "Whitehall",
        "Foreign Office",
        "British",
        "London",
      ],
      KOR: ["South Korea", "Republic of Korea", "ROK", "Blue House", "Seoul"],
      PRK: ["North Korea", "DPRK", "Pyongyang"],
      IRN: ["Iran", "Islamic Republic", "Tehran"],
      CIV: ["Ivory Coast", "Côte d'Ivoire"],
      CZE: ["Czechia", "Czech Republic"],
      TUR: ["Türkiye", "Turkey", "Ankara"],
      MMR: ["Myanmar", "Burma"],
      CHN: [
        "China",
        "People's Republic of China",
        "PRC",
        "mainland China",
        "Chinese",
        "Beijing",
        "Zhongnanhai",
        "China's foreign ministry",
        "Chinese foreign ministry",
        "Chinese Foreign Ministry",
      ],
      UKR: ["Ukraine", "Ukrainian", "Ukrainians", "Kyiv", "Kiev"],
      NER: ["Niger", "Nigerien", "Nigeriens", "Niamey"],
      PHL: ["Philippines", "Filipino", "Philippine", "Manila"],
      RUS: ["Russia", "Kremlin", "Moscow", "Russian"],
      FRA: ["France", "Elysee", "Élysée", "Quai d'Orsay", "Paris"],
      ITA: ["Farnesina", "Rome"],
      NLD: ["Amsterdam", "The Hague"],
      XKX: ["Kosovo", "Pristina"],
      PSE: ["Palestine", "Palestinian", "Palestinians"],
      BRN: ["Brunei Darussalam"],
    };
    for (const [entity, forms] of Object.entries(expected)) {
      const have = formsOf(entity);
      for (const form of forms) expect(have, `${entity} ${form}`).toContain(form);
    }
  });

  it("gives every sovereign state its ministry forms and leaves no empty or padded form", () => {
    for (const s of list) {
      for (const form of statesForms(s)) {
        expect(form.trim(), s.id).toBe(form);
        expect(form.length).toBeGreaterThan(0);
        expect(form.startsWith("the "), `${s.id} "${form}": no leading article`).toBe(false);
      }
      if (s.status !== "territory")
        expect(
          s.institutions.some((f) => f.endsWith("foreign ministry")),
          s.id,
        ).toBe(true);
    }
  });

  it("marks the forms that are also ordinary words, people or places, and only forms the entry has", () => {
    const mustBeAmbiguous: Record<string, string[]> = {
      GEO: ["Georgia"],
      JOR: ["Jordan"],
      TCD: ["Chad"],
      GIN: ["Guinea"],
      NER: ["Niger"],
      TUR: ["Turkey"],
      USA: ["Washington", "US"],
      GUY: ["Georgetown"],
    };
    for (const [entity, forms] of Object.entries(mustBeAmbiguous)) {
      for (const f of forms) expect(byEntity.get(entity)?.ambiguous, `${entity} ${f}`).toContain(f);
    }
    for (const s of list) {
      const all = statesForms(s).map((f) => f.toLowerCase());
      for (const f of s.ambiguous ?? []) expect(all, `${s.id} ambiguous ${f}`).toContain(f.toLowerCase());
    }
  });
});
