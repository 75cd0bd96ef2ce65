// Table tests for the local bus's pattern matcher, built on the examples in
// the EventBridge user guide ("Creating event patterns", "Content filtering").
import { describe, expect, it } from "vitest";
import { articlePublishedRoute, conflictEventsRoute } from "../../../events/routing.js";
import { InvalidEventPatternError, matchesEventPattern } from "../../../local/event-pattern.js";

// The user guide's EC2 state-change event.
const ec2Event = {
  version: "0",
  id: "6a7e8feb-b491-4cf7-a9f1-bf3703467718",
  "detail-type": "EC2 Instance State-change Notification",
  source: "aws.ec2",
  account: "111122223333",
  time: "2017-12-22T18:43:48Z",
  region: "us-west-1",
  resources: [
    "arn:aws:ec2:us-west-1:123456789012:instance/i-1234567890abcdef0",
    "arn:aws:ec2:us-west-1:123456789012:instance/i-b188560f",
  ],
  detail: {
    "instance-id": "i-1234567890abcdef0",
    state: "terminated",
    "c-count": 5,
    "d-count": 3,
    "x-limit": 301.8,
    "source-ip": "10.0.0.123",
    "is-spot": false,
    owner: null,
    tags: [{ key: "team", value: "ops" }, { key: "tier" }],
    location: { region: "us-west-1", zone: "us-west-1a" },
  },
};

const cases: Array<[string, Record<string, unknown>, boolean]> = [
  // Exact values and arrays as OR.
  ["source exact", { source: ["aws.ec2"] }, true],
  ["source other", { source: ["aws.s3"] }, false],
  ["array is OR", { source: ["aws.s3", "aws.ec2"] }, true],
  [
    "several fields are AND",
    { source: ["aws.ec2"], "detail-type": ["EC2 Instance State-change Notification"] },
    true,
  ],
  ["one field failing fails the AND", { source: ["aws.ec2"], "detail-type": ["Other"] }, false],
  ["nested detail", { detail: { state: ["terminated"] } }, true],
  ["nested detail, other value", { detail: { state: ["running", "pending"] } }, false],
  ["two levels of nesting", { detail: { location: { zone: ["us-west-1a"] } } }, true],
  ["missing field does not match", { detail: { missing: ["x"] } }, false],
  [
    "event array intersects pattern array",
    { resources: ["arn:aws:ec2:us-west-1:123456789012:instance/i-b188560f"] },
    true,
  ],
  [
    "event array without the value",
    { resources: ["arn:aws:ec2:us-west-1:123456789012:instance/i-0"] },
    false,
  ],
  ["array of objects is flattened", { detail: { tags: { key: ["tier"] } } }, true],
  ["numbers match numerically", { detail: { "c-count": [5] } }, true],
  ["number 5.0 equals 5", { detail: { "c-count": [5.0] } }, true],
  ["a string does not match a number", { detail: { "c-count": ["5"] } }, false],
  ["boolean value", { detail: { "is-spot": [false] } }, true],
  ["null matches null", { detail: { owner: [null] } }, true],
  ["null does not match a missing field", { detail: { nobody: [null] } }, false],
  ["quad class list (our route's shape)", { detail: { "c-count": [3, 4, 5] } }, true],
  // prefix / suffix / equals-ignore-case / wildcard.
  ["prefix on time", { time: [{ prefix: "2017-12-22" }] }, true],
  ["prefix not matching", { time: [{ prefix: "2017-10-02" }] }, false],
  ["prefix on source", { source: [{ prefix: "aws." }] }, true],
  ["prefix equals-ignore-case", { source: [{ prefix: { "equals-ignore-case": "AWS." } }] }, true],
  ["suffix", { detail: { "instance-id": [{ suffix: "cdef0" }] } }, true],
  ["suffix not matching", { detail: { "instance-id": [{ suffix: ".png" }] } }, false],
  ["equals-ignore-case", { detail: { state: [{ "equals-ignore-case": "TERMINATED" }] } }, true],
  ["wildcard", { "detail-type": [{ wildcard: "EC2 * Notification" }] }, true],
  ["wildcard not matching", { "detail-type": [{ wildcard: "S3 *" }] }, false],
  ["prefix does not apply to numbers", { detail: { "c-count": [{ prefix: "5" }] } }, false],
  // anything-but.
  ["anything-but value", { detail: { state: [{ "anything-but": "initializing" }] } }, true],
  ["anything-but the value itself", { detail: { state: [{ "anything-but": "terminated" }] } }, false],
  ["anything-but list", { detail: { state: [{ "anything-but": ["stopped", "overloaded"] }] } }, true],
  [
    "anything-but list holding the value",
    { detail: { state: [{ "anything-but": ["stopped", "terminated"] }] } },
    false,
  ],
  ["anything-but number", { detail: { "x-limit": [{ "anything-but": 123 }] } }, true],
  ["anything-but prefix", { detail: { state: [{ "anything-but": { prefix: "init" } }] } }, true],
  [
    "anything-but prefix that matches",
    { detail: { state: [{ "anything-but": { prefix: "term" } }] } },
    false,
  ],
  ["anything-but suffix", { detail: { state: [{ "anything-but": { suffix: "ated" } }] } }, false],
  [
    "anything-but equals-ignore-case",
    { detail: { state: [{ "anything-but": { "equals-ignore-case": ["TERMINATED"] } }] } },
    false,
  ],
  ["anything-but does not match a missing field", { detail: { nothing: [{ "anything-but": "x" }] } }, false],
  // exists.
  ["exists true", { detail: { state: [{ exists: true }] } }, true],
  ["exists true on a missing field", { detail: { nothing: [{ exists: true }] } }, false],
  ["exists false on a missing field", { detail: { nothing: [{ exists: false }] } }, true],
  ["exists false on a present field", { detail: { state: [{ exists: false }] } }, false],
  ["exists works on leaves only", { detail: { location: [{ exists: true }] } }, false],
  // numeric.
  [
    "numeric ranges from the guide",
    {
      detail: {
        "c-count": [{ numeric: [">", 0, "<=", 5] }],
        "d-count": [{ numeric: ["<", 10] }],
        "x-limit": [{ numeric: ["=", 3.018e2] }],
      },
    },
    true,
  ],
  ["numeric upper bound excluded", { detail: { "c-count": [{ numeric: [">", 0, "<", 5] }] } }, false],
  ["numeric >=", { detail: { "d-count": [{ numeric: [">=", 3] }] } }, true],
  ["numeric on a string field", { detail: { state: [{ numeric: [">", 0] }] } }, false],
  // $or.
  [
    "$or from the guide",
    {
      detail: {
        $or: [
          { "c-count": [{ numeric: [">", 0, "<=", 1] }] },
          { "d-count": [{ numeric: ["<", 10] }] },
          { "x-limit": [{ numeric: [">", 0, "<", 10] }] },
        ],
      },
    },
    true,
  ],
  [
    "$or with no alternative matching",
    { detail: { $or: [{ state: ["running"] }, { "c-count": [99] }] } },
    false,
  ],
  ["$or at the top level", { $or: [{ source: ["aws.s3"] }, { region: ["us-west-1"] }] }, true],
];

describe("matchesEventPattern on the EventBridge user guide examples", () => {
  it.each(cases)("%s", (_name, pattern, expected) => {
    expect(matchesEventPattern(pattern, ec2Event)).toBe(expected);
  });
});

describe("matchesEventPattern on our own routes", () => {
  const diplomaticEvent = (quadClass: number) => ({
    source: "attache.coder",
    "detail-type": "DiplomaticEventCoded",
    detail: { articleId: "a", version: 1, event: { cameo: { code: "042", quadClass } } },
  });

  it.each([
    [1, false],
    [2, false],
    [3, true],
    [4, true],
  ])("conflict route takes quad class %i: %s", (quadClass, expected) => {
    expect(matchesEventPattern(conflictEventsRoute.pattern, diplomaticEvent(quadClass))).toBe(expected);
  });

  it("article route takes ArticlePublished from attache.articles only", () => {
    const published = { source: "attache.articles", "detail-type": "ArticlePublished", detail: {} };
    expect(matchesEventPattern(articlePublishedRoute.pattern, published)).toBe(true);
    expect(matchesEventPattern(articlePublishedRoute.pattern, { ...published, source: "someone.else" })).toBe(
      false,
    );
    expect(matchesEventPattern(articlePublishedRoute.pattern, diplomaticEvent(3))).toBe(false);
  });
});

describe("malformed patterns are rejected", () => {
  it.each<[string, Record<string, unknown>]>([
    ["a bare string leaf", { source: "aws.ec2" }],
    ["an empty list", { source: [] }],
    ["an unknown filter", { source: [{ regex: "a.*" }] }],
    ["two operators in one filter", { source: [{ prefix: "a", suffix: "b" }] }],
    ["numeric with an odd list", { detail: { n: [{ numeric: [">"] }] } }],
    ["numeric with a bad operator", { detail: { n: [{ numeric: ["!=", 1] }] } }],
    ["exists with a string", { detail: { n: [{ exists: "yes" }] } }],
    ["$or with one alternative", { $or: [{ source: ["a"] }] }],
  ])("%s", (_name, pattern) => {
    expect(() => matchesEventPattern(pattern, ec2Event)).toThrow(InvalidEventPatternError);
  });
});
