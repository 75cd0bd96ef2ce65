import { describe, expect, it } from "vitest";
import { cameoRoleCodes, knownEntities, type Person, people } from "./load-dictionaries.js";

const isoDate = /^\d{4}-\d{2}-\d{2}$/;
const validDate = (d: string) =>
  isoDate.test(d) &&
  !Number.isNaN(Date.parse(`${d}T00:00:00Z`)) &&
  new Date(`${d}T00:00:00Z`).toISOString().startsWith(d);

/** Who held an office for an entity on a date, the way the engine resolves "the president" in a dated article. */
function holders(list: Person[], entity: string, office: string, date: string): string[] {
  return list
    .filter(
      (p) => p.entity === entity && p.office === office && p.from <= date && (p.to === null || date < p.to),
    )
    .map((p) => p.name);
}

describe("people.json", () => {
  const { version, list } = people();
  const entities = knownEntities();

  it("has a version and stable ids derived from name, office and start year", () => {
    expect(version).toMatch(/^\d{4}\.\d{1,2}\.\d+$/);
    const ids = list.map((p) => p.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const p of list)
      expect(p.id).toMatch(new RegExp(`^person\\.[a-z0-9-]+\\.${p.office}\\.${p.from.slice(0, 4)}$`));
  });

  it("gives every term a known entity, a CAMEO role and a well-formed date range", () => {
    for (const p of list) {
      expect(entities.has(p.entity), `${p.id} entity ${p.entity}`).toBe(true);
      expect(cameoRoleCodes.has(p.role), `${p.id} role ${p.role}`).toBe(true);
      expect(p.office).toMatch(/^[a-z]+(-[a-z]+)*$/);
      expect(validDate(p.from), `${p.id} from ${p.from}`).toBe(true);
      if (p.to !== null) {
        expect(validDate(p.to), `${p.id} to ${p.to}`).toBe(true);
        expect(p.to > p.from, `${p.id} ends after it starts`).toBe(true);
      }
      expect(p.from <= "2026-11-30", p.id).toBe(true);
    }
  });

  it("never lets one person hold the same office for the same entity twice at once", () => {
    const byKey = new Map<string, Person[]>();
    for (const p of list)
      byKey.set(`${p.name}|${p.entity}|${p.office}`, [
        ...(byKey.get(`${p.name}|${p.entity}|${p.office}`) ?? []),
        p,
      ]);
    for (const terms of byKey.values()) {
      const sorted = [...terms].sort((a, b) => a.from.localeCompare(b.from));
      for (let i = 1; i < sorted.length; i++) {
        const prev = sorted[i - 1] as Person;
        const next = sorted[i] as Person;
        expect(prev.to !== null && prev.to <= next.from, `${prev.id} overlaps ${next.id}`).toBe(true);
      }
    }
  });

  it("keeps one holder of each head office at a time", () => {
    const single = [
      "president",
      "prime-minister",
      "chancellor",
      "premier",
      "foreign-minister",
      "secretary-general",
      "high-representative",
      "commission-president",
      "council-president",
    ];
    for (const date of [
      "2015-06-01",
      "2018-01-01",
      "2020-06-01",
      "2022-06-01",
      "2023-06-01",
      "2024-06-01",
      "2025-06-01",
      "2026-11-01",
    ]) {
      for (const entity of entities) {
        for (const office of single) {
          const names = new Set(holders(list, entity, office, date));
          expect(names.size, `${entity} ${office} on ${date}: ${[...names].join(", ")}`).toBeLessThanOrEqual(
            1,
          );
        }
      }
    }
  });

  it("covers heads of state, heads of government and foreign ministers of the G20 and the P5 since 2015", () => {
    const g20 = [
      "ARG",
      "AUS",
      "BRA",
      "CAN",
      "CHN",
      "FRA",
      "DEU",
      "IND",
      "IDN",
      "ITA",
      "JPN",
      "KOR",
      "MEX",
      "RUS",
      "SAU",
      "ZAF",
      "TUR",
      "GBR",
      "USA",
    ];
    const leaderOffices = [
      "president",
      "acting-president",
      "prime-minister",
      "chancellor",
      "premier",
      "king",
      "queen",
      "emperor",
    ];
    for (const date of [
      "2015-06-01",
      "2017-06-01",
      "2019-06-01",
      "2021-06-01",
      "2023-06-01",
      "2025-06-01",
      "2026-11-01",
    ]) {
      for (const entity of g20) {
        const leaders = leaderOffices.flatMap((office) => holders(list, entity, office, date));
        expect(leaders.length, `${entity} leader on ${date}`).toBeGreaterThan(0);
        expect(
          holders(list, entity, "foreign-minister", date).length,
          `${entity} foreign minister on ${date}`,
        ).toBe(1);
      }
      for (const office of ["commission-president", "council-president", "high-representative"]) {
        expect(holders(list, "EU", office, date).length, `EU ${office} on ${date}`).toBe(1);
      }
      expect(holders(list, "AU", "commission-chair", date).length, `AU chair on ${date}`).toBe(1);
      expect(holders(list, "UN", "secretary-general", date).length, `UN SG on ${date}`).toBe(1);
    }
    expect(holders(list, "USA", "president", "2026-11-01")).toEqual(["Donald Trump"]);
    expect(holders(list, "USA", "president", "2023-06-19")).toEqual(["Joe Biden"]);
    expect(holders(list, "CHN", "foreign-minister", "2023-06-19")).toEqual(["Qin Gang"]);
    expect(holders(list, "CHN", "foreign-minister", "2025-04-01")).toEqual(["Wang Yi"]);
    expect(holders(list, "DEU", "chancellor", "2023-01-25")).toEqual(["Olaf Scholz"]);
    expect(holders(list, "JPN", "prime-minister", "2026-11-01")).toEqual(["Sanae Takaichi"]);
  });

  it("resolves widely reported figures by surname or full name", () => {
    const resolve = (form: string) =>
      new Set(list.filter((p) => p.aliases.includes(form)).map((p) => p.entity));
    const expected: Record<string, string> = {
      Putin: "RUS",
      Zelensky: "UKR",
      Lavrov: "RUS",
      "Wang Yi": "CHN",
      Blinken: "USA",
      Rubio: "USA",
      Trump: "USA",
      Netanyahu: "ISR",
      Erdogan: "TUR",
      Modi: "IND",
      "Kim Jong Un": "PRK",
      "Yoon Suk Yeol": "KOR",
      Kishida: "JPN",
      Macron: "FRA",
      Scholz: "DEU",
      Starmer: "GBR",
      Guterres: "UN",
      Grossi: "IAEA",
      Stoltenberg: "NATO",
      Lula: "BRA",
      Maduro: "VEN",
      "Irfaan Ali": "GUY",
      Abiy: "ETH",
      Sisi: "EGY",
      Vucic: "SRB",
      Kurti: "XKX",
      Lukashenko: "BLR",
      Morawiecki: "POL",
      Orban: "HUN",
      Raisi: "IRN",
      Araghchi: "IRN",
      "Mohammed bin Salman": "SAU",
      Burhan: "SDN",
      Dagalo: "SDN",
      Tiani: "NER",
      Tchiani: "NER",
      Bazoum: "NER",
      Haniyeh: "PSE",
      Sinwar: "PSE",
      Tinubu: "NGA",
      "Lopez Obrador": "MEX",
      Sheinbaum: "MEX",
      Albanese: "AUS",
      "Penny Wong": "AUS",
      "Shehbaz Sharif": "PAK",
      Borrell: "EU",
      Kallas: "EU",
      "von der Leyen": "EU",
      "Tamim bin Hamad Al Thani": "QAT",
      Goita: "MLI",
      Jaishankar: "IND",
      Kuleba: "UKR",
      Sybiha: "UKR",
      Fidan: "TUR",
      Cavusoglu: "TUR",
      Merz: "DEU",
      Baerbock: "DEU",
    };
    for (const [form, entity] of Object.entries(expected)) expect(resolve(form), form).toContain(entity);
  });

  it("flags shared or ordinary surnames and keeps them out of the aliases", () => {
    const surnames = new Map<string, Set<string>>();
    for (const p of list)
      surnames.set(p.surname.toLowerCase(), (surnames.get(p.surname.toLowerCase()) ?? new Set()).add(p.name));
    for (const p of list) {
      if ((surnames.get(p.surname.toLowerCase())?.size ?? 0) > 1) expect(p.surnameAmbiguous, p.id).toBe(true);
      if (p.surnameAmbiguous) expect(p.aliases, p.id).not.toContain(p.surname);
      else expect(p.aliases, p.id).toContain(p.surname);
      expect(p.aliases, p.id).toContain(p.name);
    }
    for (const surname of ["Kim", "Lee", "Li", "Wang", "Sharif", "Ali", "Khan"]) {
      const bearers = list.filter((p) => p.surname === surname);
      expect(bearers.length, surname).toBeGreaterThan(0);
      for (const p of bearers) expect(p.surnameAmbiguous, p.id).toBe(true);
    }
  });

  it("never gives one alias to two different people", () => {
    const owner = new Map<string, string>();
    for (const p of list) {
      for (const alias of p.aliases) {
        const key = alias.toLowerCase();
        const other = owner.get(key);
        expect(other === undefined || other === p.name, `"${alias}": ${other} and ${p.name}`).toBe(true);
        owner.set(key, p.name);
      }
    }
  });
});
