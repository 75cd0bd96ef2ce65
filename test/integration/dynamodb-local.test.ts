import { describe, expect, it } from "vitest";

describe("the test run's DynamoDB Local", () => {
  it("answers ListTables on the endpoint global setup published", async () => {
    const endpoint = process.env.ATTACHE_TEST_DYNAMODB_ENDPOINT;
    expect(endpoint).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const res = await fetch(endpoint!, {
      method: "POST",
      headers: {
        "content-type": "application/x-amz-json-1.0",
        "x-amz-target": "DynamoDB_20120810.ListTables",
        authorization:
          "AWS4-HMAC-SHA256 Credential=local/20200101/us-east-1/dynamodb/aws4_request, SignedHeaders=host, Signature=local",
      },
      body: "{}",
    });
    expect(res.status).toBe(200);
    expect(await res.json()).toHaveProperty("TableNames");
  });
});
