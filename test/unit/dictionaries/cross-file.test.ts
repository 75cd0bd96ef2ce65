import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import {
  cameo,
  dataDir,
  groups,
  organizationForms,
  organizations,
  people,
  states,
  statesForms,
  titles,
  vagueGroups,
} from "./load-dictionaries.js";

interface FormOwner {
  id: string;
  entity: string;
  ambiguous: Set<string>;
}

describe("the dictionaries together", () => {
  it("share one version", () => {
    const versions = new Set(
      [cameo(), states(), organizations(), people(), groups(), titles(), vagueGroups()].map((d) => d.version),
    );
    expect(versions.size).toBe(1);
  });

  it("map no surface form to two entities unless every owner marks it ambiguous", () => {
    const owners = new Map<string, FormOwner[]>();
    const add = (form: string, owner: FormOwner) => {
      const key = form.toLowerCase();
      owners.set(key, [...(owners.get(key) ?? []), owner]);
    };
    for (const s of states().list) {
      const owner = {
        id: s.id,
        entity: s.entity,
        ambiguous: new Set((s.ambiguous ?? []).map((f) => f.toLowerCase())),
      };
      for (const f of new Set(statesForms(s))) add(f, owner);
    }
    for (const o of organizations().list) {
      const owner = {
        id: o.id,
        entity: o.entity,
        ambiguous: new Set((o.ambiguous ?? []).map((f) => f.toLowerCase())),
      };
      for (const f of new Set(organizationForms(o))) add(f, owner);
    }
    for (const g of groups().list) {
      const owner = {
        id: g.id,
        entity: g.entity,
        ambiguous: new Set((g.ambiguous ?? []).map((f) => f.toLowerCase())),
      };
      for (const f of new Set(g.names)) add(f, owner);
    }
    const clashes: string[] = [];
    for (const [form, list] of owners) {
      if (new Set(list.map((o) => o.entity)).size < 2) continue;
      const unmarked = list.filter((o) => !o.ambiguous.has(form)).map((o) => o.id);
      if (unmarked.length > 0) clashes.push(`"${form}" unmarked in ${unmarked.join(", ")}`);
    }
    expect(clashes).toEqual([]);
  });

  it("keep person aliases apart from place and organisation forms", () => {
    const entityForms = new Set(
      [
        ...states().list.flatMap(statesForms),
        ...organizations().list.flatMap(organizationForms),
        ...groups().list.flatMap((g) => g.names),
      ].map((f) => f.toLowerCase()),
    );
    const clashes = people().list.flatMap((p) =>
      p.aliases.filter((a) => entityForms.has(a.toLowerCase())).map((a) => `${p.id}: ${a}`),
    );
    expect(clashes).toEqual([]);
  });

  it("never list a vague form as an entity's form", () => {
    const entityForms = new Set(
      [
        ...states().list.flatMap(statesForms),
        ...organizations().list.flatMap(organizationForms),
        ...groups().list.flatMap((g) => g.names),
        ...people().list.flatMap((p) => p.aliases),
      ].map((f) => f.toLowerCase()),
    );
    const clashes = vagueGroups().list.flatMap((v) =>
      v.forms.filter((f) => entityForms.has(f.toLowerCase())),
    );
    expect(clashes).toEqual([]);
  });

  it("keep every id ever published (sources/published-ids.txt), unless retired on purpose", () => {
    const sources = path.join(dataDir, "..", "sources");
    const readIds = (file: string) =>
      readFileSync(path.join(sources, file), "utf8")
        .split("\n")
        .map((l) => l.trim().split(/\s/)[0] ?? "")
        .filter((l) => l !== "" && !l.startsWith("#"));
    const published = readIds("published-ids.txt");
    const retired = new Set(readIds("retired-ids.txt"));
    const current = new Set([
      ...cameo().list.map((c) => c.id),
      ...[states(), organizations(), people(), groups(), titles(), vagueGroups()].flatMap((d) =>
        (d.list as { id: string }[]).map((e) => e.id),
      ),
    ]);
    expect(published.length).toBeGreaterThan(3000);
    expect(published.filter((id) => !current.has(id) && !retired.has(id))).toEqual([]);
    // And the ledger knows every current id, so the next build can hold it to them.
    const ledger = new Set(published);
    expect([...current].filter((id) => !ledger.has(id))).toEqual([]);
  });
});
