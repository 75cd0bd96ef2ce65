// The console line of each derived event names its pair, read from the catalog's samples.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import type { EventEnvelope } from "../../../local/event-bus.js";
import { summarizeEvent } from "../../../local/summarize-event.js";

const sample = (name: string) =>
  JSON.parse(
    readFileSync(new URL(`../../../events/samples/${name}.json`, import.meta.url), "utf8"),
  ) as EventEnvelope;

const envelope = (detailType: string, detail: unknown): EventEnvelope => ({
  version: "0",
  id: "x",
  "detail-type": detailType,
  source: "attache.aggregates",
  account: "000000000000",
  time: "2025-01-01T00:00:00Z",
  region: "us-east-1",
  resources: [],
  detail,
});

describe("summarizeEvent for derived events", () => {
  it("StanceShifted shows the holder, the target and the polarities before and after", () => {
    const event = sample("stance-shifted");
    const detail = event.detail as {
      holder: string;
      target: string;
      from: { polarity: string };
      to: { polarity: string };
    };
    expect(summarizeEvent(event)).toBe(
      `StanceShifted         ${detail.holder} → ${detail.target}  ${detail.from.polarity} → ${detail.to.polarity}`,
    );
    expect(
      summarizeEvent(
        envelope("StanceShifted", {
          holder: "CHN",
          target: "USA",
          from: { polarity: "support" },
          to: { polarity: "oppose" },
        }),
      ),
    ).toBe("StanceShifted         CHN → USA  support → oppose");
  });

  it("DyadTrendChanged shows the directed pair, the direction and the day", () => {
    expect(
      summarizeEvent(
        envelope("DyadTrendChanged", {
          source: "RUS",
          target: "UKR",
          direction: "escalating",
          date: "2025-04-01",
        }),
      ),
    ).toBe("DyadTrendChanged      RUS → UKR  escalating (2025-04-01)");
    expect(summarizeEvent(sample("dyad-trend-changed"))).toMatch(
      /^DyadTrendChanged\s+[A-Z]+ → [A-Z]+ {2}(escalating|de-escalating) \(\d{4}-\d{2}-\d{2}\)$/,
    );
  });

  it("EventConfirmed shows the pair (↔ for a mutual act), the CAMEO root and the publishers", () => {
    expect(
      summarizeEvent(
        envelope("EventConfirmed", {
          source: "CHN",
          target: "RUS",
          symmetric: true,
          cameoRoot: "04",
          publisherCount: 2,
        }),
      ),
    ).toBe("EventConfirmed        CHN ↔ RUS  CAMEO 04  2 publishers");
    expect(
      summarizeEvent(
        envelope("EventConfirmed", { source: "USA", target: null, symmetric: false, cameoRoot: "01" }),
      ),
    ).toBe("EventConfirmed        USA  CAMEO 01");
    expect(summarizeEvent(sample("event-confirmed"))).toMatch(
      /^EventConfirmed\s+\S+ (↔|→) \S+ {2}CAMEO \d{2}/,
    );
  });

  it("survives a derived event with nothing in it", () => {
    expect(summarizeEvent(envelope("StanceShifted", {}))).toBe("StanceShifted         ? → ?  ? → ?");
    expect(summarizeEvent(envelope("DyadTrendChanged", null))).toBe("DyadTrendChanged      ? → ?  ?");
  });
});
