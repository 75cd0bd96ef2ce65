import { describe, expect, it } from "vitest";
import { cameo } from "./load-dictionaries.js";

// PLOVER v2 event types, plus STATEMENT: this project's stand-in for CAMEO 01, which PLOVER dropped.
const ploverTypes = new Set([
  "AGREE",
  "CONSULT",
  "SUPPORT",
  "CONCEDE",
  "COOPERATE",
  "AID",
  "RETREAT",
  "REQUEST",
  "ACCUSE",
  "REJECT",
  "THREATEN",
  "PROTEST",
  "SANCTION",
  "MOBILIZE",
  "COERCE",
  "ASSAULT",
  "STATEMENT",
]);

describe("cameo.json", () => {
  const { version, list } = cameo();
  const byCode = new Map(list.map((c) => [c.code, c]));

  it("has a version and every CAMEO root 01-20 with 3- and 4-digit codes", () => {
    expect(version).toMatch(/^\d{4}\.\d{1,2}\.\d+$/);
    for (let r = 1; r <= 20; r++) expect(byCode.has(String(r).padStart(2, "0"))).toBe(true);
    expect(list.filter((c) => c.code.length === 3).length).toBe(147);
    expect(list.filter((c) => c.code.length === 4).length).toBe(145);
    expect(list.length).toBe(312);
  });

  it("gives every code a stable id, its root and a parent that exists", () => {
    const ids = list.map((c) => c.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const c of list) {
      expect(c.id).toBe(`cameo.${c.code}`);
      expect(c.code).toMatch(/^\d{2,4}$/);
      expect(c.root).toBe(c.code.slice(0, 2));
      if (c.code.length === 4) expect(byCode.has(c.code.slice(0, 3))).toBe(true);
    }
  });

  it("gives every code a clean name, a Goldstein score, the quad class of its root and a PLOVER type", () => {
    for (const c of list) {
      expect(c.name.trim()).toBe(c.name);
      expect(c.name.length).toBeGreaterThan(2);
      expect(c.name).not.toMatch(/[\uFFFDÒÓ]/);
      expect(c.goldstein).toBeGreaterThanOrEqual(-10);
      expect(c.goldstein).toBeLessThanOrEqual(10);
      const root = Number(c.root);
      const quad = root <= 5 ? 1 : root <= 8 ? 2 : root <= 13 ? 3 : 4;
      expect(c.quadClass, c.code).toBe(quad);
      expect(ploverTypes.has(c.plover.type), `${c.code} ${c.plover.type}`).toBe(true);
      expect(c.plover.mode === null || c.plover.mode.length > 0).toBe(true);
      expect(c.plover.context === null || c.plover.context.length > 0).toBe(true);
    }
  });

  it("keeps the reference values the coder relies on", () => {
    expect(byCode.get("042")).toMatchObject({
      name: "Make a visit",
      goldstein: 1.9,
      quadClass: 1,
      plover: { type: "CONSULT", mode: "visit", context: null },
    });
    expect(byCode.get("044")?.name).toBe('Meet at a "third" location');
    // GDELT's score wins over ICEWS's (-5) for 016; ICEWS fills 1213, which GDELT lacks.
    expect(byCode.get("016")?.goldstein).toBe(-2);
    expect(byCode.get("1213")).toMatchObject({ name: "Reject judicial cooperation", goldstein: -4 });
    // Codebook names, not GDELT's shifted 10x labels.
    expect(byCode.get("106")?.name).toBe("Demand meeting, negotiation");
    expect(byCode.get("1041")?.plover).toEqual({ type: "REQUEST", mode: "change", context: "executive" });
    // Appeals mirror demands in PLOVER.
    expect(byCode.get("0241")?.plover).toEqual(byCode.get("1041")?.plover);
    expect(byCode.get("163")?.plover.type).toBe("COERCE");
    expect(byCode.get("057")?.plover.type).toBe("SUPPORT");
    expect(byCode.get("190")).toMatchObject({ quadClass: 4, goldstein: -10 });
  });
});
