import type { _Record } from "@aws-sdk/client-dynamodb-streams";
import { describe, expect, it } from "vitest";
import { lowestFailedIndex } from "../../../local/stream-poller.js";
import { toLambdaStreamRecord } from "../../../local/stream-records.js";

const streamArn = "arn:aws:dynamodb:ddblocal:000000000000:table/t/stream/2024-01-01T00:00:00.000";

describe("toLambdaStreamRecord", () => {
  it("gives the emitter Lambda's record shape: epoch seconds, base64 binaries, the stream ARN", () => {
    const apiRecord: _Record = {
      eventID: "e-1",
      eventName: "MODIFY",
      eventVersion: "1.1",
      eventSource: "aws:dynamodb",
      awsRegion: "ddblocal",
      dynamodb: {
        ApproximateCreationDateTime: new Date("2024-05-01T10:20:30.000Z"),
        Keys: { pk: { S: "ARTICLE#a" }, sk: { S: "V#1" } },
        NewImage: {
          pk: { S: "ARTICLE#a" },
          sk: { S: "V#1" },
          count: { N: "3" },
          ok: { BOOL: true },
          gone: { NULL: true },
          blob: { B: new Uint8Array([104, 105]) },
          blobs: { BS: [new Uint8Array([1]), new Uint8Array([2])] },
          tags: { SS: ["x", "y"] },
          nums: { NS: ["1", "2"] },
          nested: { M: { list: { L: [{ S: "deep" }, { M: { n: { N: "1" } } }] } } },
        },
        OldImage: { pk: { S: "ARTICLE#a" }, sk: { S: "V#1" }, count: { N: "2" } },
        SequenceNumber: "000000000000000000001",
        SizeBytes: 123,
        StreamViewType: "NEW_AND_OLD_IMAGES",
      },
    };
    expect(toLambdaStreamRecord(apiRecord, streamArn)).toEqual({
      eventID: "e-1",
      eventName: "MODIFY",
      eventVersion: "1.1",
      eventSource: "aws:dynamodb",
      awsRegion: "ddblocal",
      eventSourceARN: streamArn,
      dynamodb: {
        ApproximateCreationDateTime: 1_714_558_830,
        Keys: { pk: { S: "ARTICLE#a" }, sk: { S: "V#1" } },
        NewImage: {
          pk: { S: "ARTICLE#a" },
          sk: { S: "V#1" },
          count: { N: "3" },
          ok: { BOOL: true },
          gone: { NULL: true },
          blob: { B: "aGk=" },
          blobs: { BS: ["AQ==", "Ag=="] },
          tags: { SS: ["x", "y"] },
          nums: { NS: ["1", "2"] },
          nested: { M: { list: { L: [{ S: "deep" }, { M: { n: { N: "1" } } }] } } },
        },
        OldImage: { pk: { S: "ARTICLE#a" }, sk: { S: "V#1" }, count: { N: "2" } },
        SequenceNumber: "000000000000000000001",
        SizeBytes: 123,
        StreamViewType: "NEW_AND_OLD_IMAGES",
      },
    });
  });

  it("leaves out images a record does not carry and keeps a TTL deletion's identity", () => {
    const record = toLambdaStreamRecord(
      {
        eventID: "e-2",
        eventName: "REMOVE",
        dynamodb: { Keys: { pk: { S: "p" } }, SequenceNumber: "2", StreamViewType: "NEW_AND_OLD_IMAGES" },
        userIdentity: { Type: "Service", PrincipalId: "dynamodb.amazonaws.com" },
      },
      streamArn,
    );
    expect(record.dynamodb).not.toHaveProperty("NewImage");
    expect(record.dynamodb).not.toHaveProperty("OldImage");
    expect(record.eventSource).toBe("aws:dynamodb");
    expect(record.userIdentity).toEqual({ Type: "Service", PrincipalId: "dynamodb.amazonaws.com" });
  });

  it("refuses an attribute type it does not know rather than dropping data", () => {
    expect(() =>
      toLambdaStreamRecord(
        { dynamodb: { NewImage: { x: { $unknown: ["Z", 1] } as never }, SequenceNumber: "1" } },
        streamArn,
      ),
    ).toThrow(TypeError);
  });
});

describe("lowestFailedIndex (reading a stream partial batch response)", () => {
  const sequence = ["10", "20", "30", "40"];
  it.each<[string, unknown, number]>([
    ["no answer: all succeeded", undefined, -1],
    ["no list: all succeeded", {}, -1],
    ["empty list: all succeeded", { batchItemFailures: [] }, -1],
    [
      "the lowest of several failures",
      { batchItemFailures: [{ itemIdentifier: "40" }, { itemIdentifier: "20" }] },
      1,
    ],
    ["an unknown identifier fails the whole batch", { batchItemFailures: [{ itemIdentifier: "99" }] }, 0],
    ["an empty identifier fails the whole batch", { batchItemFailures: [{ itemIdentifier: "" }] }, 0],
    ["a list that is not a list fails the whole batch", { batchItemFailures: "30" }, 0],
  ])("%s", (_name, response, expected) => {
    expect(lowestFailedIndex(response, sequence)).toBe(expected);
  });
});
