// Converts DynamoDB Streams API records (as the AWS SDK returns them) into the
// records Lambda hands a stream-triggered function, so the emitter sees here
// exactly the event shape it gets in AWS: epoch-second creation times,
// base64 binaries, `eventSourceARN` set.
import type { _Record as StreamApiRecord } from "@aws-sdk/client-dynamodb-streams";
import type { DynamoDBRecord, AttributeValue as LambdaAttributeValue } from "aws-lambda";

type ApiAttributeValue = Record<string, unknown>;

export function toLambdaStreamRecord(record: StreamApiRecord, streamArn: string): DynamoDBRecord {
  const stream = record.dynamodb ?? {};
  const out: DynamoDBRecord = {
    eventID: record.eventID,
    eventName: record.eventName,
    eventVersion: record.eventVersion ?? "1.1",
    eventSource: record.eventSource ?? "aws:dynamodb",
    awsRegion: record.awsRegion,
    dynamodb: {
      ...(stream.ApproximateCreationDateTime
        ? { ApproximateCreationDateTime: Math.floor(stream.ApproximateCreationDateTime.getTime() / 1000) }
        : {}),
      ...(stream.Keys ? { Keys: toLambdaImage(stream.Keys) } : {}),
      ...(stream.NewImage ? { NewImage: toLambdaImage(stream.NewImage) } : {}),
      ...(stream.OldImage ? { OldImage: toLambdaImage(stream.OldImage) } : {}),
      SequenceNumber: stream.SequenceNumber,
      SizeBytes: stream.SizeBytes,
      StreamViewType: stream.StreamViewType,
    },
    eventSourceARN: streamArn,
  };
  // TTL deletions carry the service's identity; ordinary writes carry none.
  if (record.userIdentity) out.userIdentity = { ...record.userIdentity };
  return out;
}

function toLambdaImage(image: Record<string, unknown>): Record<string, LambdaAttributeValue> {
  return Object.fromEntries(
    Object.entries(image).map(([key, value]) => [key, toLambdaAttribute(value as ApiAttributeValue)]),
  );
}

const toBase64 = (bytes: unknown): string =>
  bytes instanceof Uint8Array ? Buffer.from(bytes).toString("base64") : String(bytes);

function toLambdaAttribute(value: ApiAttributeValue): LambdaAttributeValue {
  if ("S" in value) return { S: value.S as string };
  if ("N" in value) return { N: value.N as string };
  if ("BOOL" in value) return { BOOL: value.BOOL as boolean };
  if ("NULL" in value) return { NULL: value.NULL as boolean };
  if ("B" in value) return { B: toBase64(value.B) };
  if ("SS" in value) return { SS: [...(value.SS as string[])] };
  if ("NS" in value) return { NS: [...(value.NS as string[])] };
  if ("BS" in value) return { BS: (value.BS as unknown[]).map(toBase64) };
  if ("L" in value) return { L: (value.L as ApiAttributeValue[]).map(toLambdaAttribute) };
  if ("M" in value) return { M: toLambdaImage(value.M as Record<string, unknown>) };
  throw new TypeError(`unsupported attribute value with keys ${Object.keys(value).join(", ")}`);
}
