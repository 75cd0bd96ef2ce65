// The synthesized template of the dev stage: topology, settings that keep the
// pipeline reliable, least-privilege IAM, alarms and outputs.
import { execFile } from "node:child_process";
import { readFileSync } from "node:fs";
import { isBuiltin } from "node:module";
import { join, relative } from "node:path";
import { promisify } from "node:util";
import type { App } from "aws-cdk-lib";
import { Match } from "aws-cdk-lib/assertions";
import * as s3assets from "aws-cdk-lib/aws-s3-assets";
import { beforeAll, describe, expect, it } from "vitest";
import { provideRuntimeModules } from "../../bench/build-bundles.js";
import { aggregatorRoute, articlePublishedRoute, conflictEventsRoute, routes } from "../../events/routing.js";
import {
  GLOBAL_SECONDARY_INDEXES,
  TABLE_PARTITION_KEY,
  TABLE_SORT_KEY,
  TABLE_TTL_ATTRIBUTE,
} from "../../functions/shared/table-schema.js";
import { ATTACHE_BUNDLE_FILE, type AttacheFunction } from "../../infra/constructs/attache-function.js";
import { REPO_ROOT } from "../../infra/paths.js";
import {
  type CfnResourceJson,
  getAtt,
  ref,
  resourcesOfType,
  type SynthesizedStack,
  synthesizeStack,
} from "./synth-stack.js";

const run = promisify(execFile);

let synth: SynthesizedStack;
let resources: Record<string, CfnResourceJson>;

beforeAll(() => {
  synth = synthesizeStack({ stage: "dev" });
  resources = synth.resources;
});

// biome-ignore lint/suspicious/noExplicitAny: template JSON is untyped; the assertions themselves check its shape.
const props = (resource: CfnResourceJson | undefined): Record<string, any> => resource?.Properties ?? {};

describe("event bus and archive", () => {
  it("creates the custom bus under the default name attache-<stage>", () => {
    synth.template.resourceCountIs("AWS::Events::EventBus", 1);
    synth.template.hasResourceProperties("AWS::Events::EventBus", { Name: "attache-dev" });
  });

  it("archives every event on the bus with the configured retention", () => {
    const busId = synth.logicalId(synth.stack.bus.bus);
    synth.template.hasResourceProperties("AWS::Events::Archive", {
      SourceArn: getAtt(busId, "Arn"),
      EventPattern: { source: [{ prefix: "" }] },
      RetentionDays: 30,
    });
  });

  it("deploys one rule per route in events/routing.ts, and nothing else", () => {
    const rules = resourcesOfType(resources, "AWS::Events::Rule");
    expect(rules.map(([, rule]) => props(rule).Description).sort()).toEqual(
      routes.map((route) => route.description).sort(),
    );
  });

  const routeTargets = [
    { route: articlePublishedRoute, queue: () => synth.stack.coderQueue },
    { route: conflictEventsRoute, queue: () => synth.stack.subscriberQueue },
    { route: aggregatorRoute, queue: () => synth.stack.aggregatorQueue },
  ];
  it.each(routeTargets)(
    "rule $route.id carries exactly the routing.ts pattern and targets its queue with a DLQ",
    ({ route, queue }) => {
      const [, rule] = resourcesOfType(resources, "AWS::Events::Rule").find(
        ([, candidate]) => props(candidate).Description === route.description,
      ) ?? [undefined, undefined];
      expect(rule).toBeDefined();
      // Exact equality: the deployed rule matches neither more nor less than the local bus.
      expect(props(rule).EventPattern).toEqual(route.pattern);
      expect(props(rule).EventBusName).toEqual(ref(synth.logicalId(synth.stack.bus.bus)));
      expect(props(rule).Targets).toEqual([
        expect.objectContaining({
          Arn: getAtt(synth.logicalId(queue().queue), "Arn"),
          DeadLetterConfig: { Arn: getAtt(synth.logicalId(queue().deadLetterQueue), "Arn") },
          RetryPolicy: { MaximumEventAgeInSeconds: 86400, MaximumRetryAttempts: 185 },
        }),
      ]);
    },
  );
});

describe("queues", () => {
  it("redrives the coder queue to its DLQ after 5 receives", () => {
    const queue = props(resources[synth.logicalId(synth.stack.coderQueue.queue)]);
    expect(queue.RedrivePolicy).toEqual({
      deadLetterTargetArn: getAtt(synth.logicalId(synth.stack.coderQueue.deadLetterQueue), "Arn"),
      maxReceiveCount: 5,
    });
  });

  it("redrives the example subscriber's queue to its DLQ", () => {
    const queue = props(resources[synth.logicalId(synth.stack.subscriberQueue.queue)]);
    expect(queue.RedrivePolicy).toEqual({
      deadLetterTargetArn: getAtt(synth.logicalId(synth.stack.subscriberQueue.deadLetterQueue), "Arn"),
      maxReceiveCount: 5,
    });
  });

  it("gives the coder queue a visibility timeout of at least six times the coder's timeout", () => {
    const queue = props(resources[synth.logicalId(synth.stack.coderQueue.queue)]);
    const coder = props(resources[synth.logicalId(synth.stack.coder.function)]);
    expect(typeof coder.Timeout).toBe("number");
    expect(queue.VisibilityTimeout).toBeGreaterThanOrEqual(6 * coder.Timeout);
  });

  it("redrives the aggregator queue to its DLQ after 5 receives, with six times the aggregator's timeout", () => {
    const queue = props(resources[synth.logicalId(synth.stack.aggregatorQueue.queue)]);
    const aggregator = props(resources[synth.logicalId(synth.stack.aggregator.function)]);
    expect(queue.RedrivePolicy).toEqual({
      deadLetterTargetArn: getAtt(synth.logicalId(synth.stack.aggregatorQueue.deadLetterQueue), "Arn"),
      maxReceiveCount: 5,
    });
    expect(queue.VisibilityTimeout).toBeGreaterThanOrEqual(6 * aggregator.Timeout);
  });

  it("encrypts every queue and keeps dead letters for the 14-day maximum", () => {
    const queues = resourcesOfType(resources, "AWS::SQS::Queue");
    expect(queues).toHaveLength(7);
    for (const [, queue] of queues) expect(props(queue).SqsManagedSseEnabled).toBe(true);
    for (const dlq of [
      synth.stack.coderQueue.deadLetterQueue,
      synth.stack.subscriberQueue.deadLetterQueue,
      synth.stack.aggregatorQueue.deadLetterQueue,
      synth.stack.emitterFailureQueue,
    ]) {
      expect(props(resources[synth.logicalId(dlq)]).MessageRetentionPeriod).toBe(14 * 24 * 3600);
    }
  });

  it("denies every queue's requests that are not over TLS", () => {
    for (const [queueId] of resourcesOfType(resources, "AWS::SQS::Queue")) {
      const policies = resourcesOfType(resources, "AWS::SQS::QueuePolicy").filter(([, policy]) =>
        (props(policy).Queues as unknown[]).some(
          (queue) => JSON.stringify(queue) === JSON.stringify(ref(queueId)),
        ),
      );
      const statements = policies.flatMap(([, policy]) => props(policy).PolicyDocument.Statement);
      expect(statements, queueId).toContainEqual(
        expect.objectContaining({
          Effect: "Deny",
          Action: "sqs:*",
          Condition: { Bool: { "aws:SecureTransport": "false" } },
        }),
      );
    }
  });
});

describe("event source mappings", () => {
  it("feeds the coder from its queue in batches with partial batch responses", () => {
    synth.template.hasResourceProperties("AWS::Lambda::EventSourceMapping", {
      EventSourceArn: getAtt(synth.logicalId(synth.stack.coderQueue.queue), "Arn"),
      FunctionName: ref(synth.logicalId(synth.stack.coder.function)),
      BatchSize: 10,
      MaximumBatchingWindowInSeconds: 5,
      FunctionResponseTypes: ["ReportBatchItemFailures"],
    });
  });

  it("feeds the emitter from the table stream with bisect, retries, partial responses and a failure queue", () => {
    synth.template.hasResourceProperties("AWS::Lambda::EventSourceMapping", {
      EventSourceArn: getAtt(synth.logicalId(synth.stack.table.table), "StreamArn"),
      FunctionName: ref(synth.logicalId(synth.stack.emitter.function)),
      StartingPosition: "TRIM_HORIZON",
      BisectBatchOnFunctionError: true,
      MaximumRetryAttempts: 10,
      FunctionResponseTypes: ["ReportBatchItemFailures"],
      DestinationConfig: {
        OnFailure: { Destination: getAtt(synth.logicalId(synth.stack.emitterFailureQueue), "Arn") },
      },
    });
  });

  it("feeds the aggregator from its queue in batches with partial batch responses and bounded concurrency", () => {
    synth.template.hasResourceProperties("AWS::Lambda::EventSourceMapping", {
      EventSourceArn: getAtt(synth.logicalId(synth.stack.aggregatorQueue.queue), "Arn"),
      FunctionName: ref(synth.logicalId(synth.stack.aggregator.function)),
      BatchSize: 10,
      FunctionResponseTypes: ["ReportBatchItemFailures"],
      ScalingConfig: { MaximumConcurrency: 5 },
    });
  });

  it("has exactly these three mappings", () => {
    synth.template.resourceCountIs("AWS::Lambda::EventSourceMapping", 3);
  });
});

describe("table", () => {
  it("has the keys, indexes, stream and TTL of functions/shared/table-schema.ts", () => {
    const table = props(resources[synth.logicalId(synth.stack.table.table)]);
    expect(table.KeySchema).toEqual([
      { AttributeName: TABLE_PARTITION_KEY, KeyType: "HASH" },
      { AttributeName: TABLE_SORT_KEY, KeyType: "RANGE" },
    ]);
    expect(table.GlobalSecondaryIndexes).toHaveLength(GLOBAL_SECONDARY_INDEXES.length);
    for (const index of GLOBAL_SECONDARY_INDEXES) {
      expect(table.GlobalSecondaryIndexes).toContainEqual({
        IndexName: index.indexName,
        KeySchema: [
          { AttributeName: index.partitionKey, KeyType: "HASH" },
          { AttributeName: index.sortKey, KeyType: "RANGE" },
        ],
        Projection: { ProjectionType: "ALL" },
      });
    }
    expect(table.StreamSpecification).toEqual({ StreamViewType: "NEW_AND_OLD_IMAGES" });
    expect(table.TimeToLiveSpecification).toEqual({ AttributeName: TABLE_TTL_ATTRIBUTE, Enabled: true });
  });

  it("is on-demand, recoverable to a point in time and encrypted at rest", () => {
    synth.template.hasResourceProperties("AWS::DynamoDB::Table", {
      BillingMode: "PAY_PER_REQUEST",
      PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
      SSESpecification: { SSEEnabled: true },
    });
  });

  it("is deleted with a non-production stack", () => {
    const table = resources[synth.logicalId(synth.stack.table.table)];
    expect(table?.DeletionPolicy).toBe("Delete");
  });
});

describe("functions", () => {
  const functions = (): Array<[string, AttacheFunction]> => [
    ["ingest", synth.stack.ingest],
    ["coder", synth.stack.coder],
    ["emitter", synth.stack.emitter],
    ["query", synth.stack.query],
    ["aggregator", synth.stack.aggregator],
  ];

  it("has exactly the five pipeline functions", () => {
    synth.template.resourceCountIs("AWS::Lambda::Function", 5);
  });

  it.each(["ingest", "coder", "emitter", "query", "aggregator"])(
    "%s runs on Node.js 22 arm64 with active tracing, Powertools settings and its own log group",
    (name) => {
      const [, fn] = functions().find(([candidate]) => candidate === name)!;
      const lambda = props(resources[synth.logicalId(fn.function)]);
      expect(lambda.Runtime).toBe("nodejs22.x");
      expect(lambda.Architectures).toEqual(["arm64"]);
      expect(lambda.TracingConfig).toEqual({ Mode: "Active" });
      expect(lambda.Handler).toBe("index.handler");
      expect(lambda.MemorySize).toBeGreaterThan(128);
      expect(lambda.Environment.Variables).toMatchObject({
        POWERTOOLS_SERVICE_NAME: `attache-${name}`,
        POWERTOOLS_METRICS_NAMESPACE: "Attache",
        POWERTOOLS_LOG_LEVEL: "DEBUG",
        NODE_OPTIONS: "--enable-source-maps",
      });
      expect(lambda.LoggingConfig).toEqual({ LogGroup: ref(synth.logicalId(fn.logGroup)) });
      expect(props(resources[synth.logicalId(fn.logGroup)]).RetentionInDays).toBe(14);
    },
  );

  it("passes each function the names it needs", () => {
    const env = (fn: AttacheFunction) => props(resources[synth.logicalId(fn.function)]).Environment.Variables;
    const busName = ref(synth.logicalId(synth.stack.bus.bus));
    const tableName = ref(synth.logicalId(synth.stack.table.table));
    expect(env(synth.stack.ingest).EVENT_BUS_NAME).toEqual(busName);
    expect(env(synth.stack.emitter).EVENT_BUS_NAME).toEqual(busName);
    expect(env(synth.stack.coder).TABLE_NAME).toEqual(tableName);
    expect(env(synth.stack.query).TABLE_NAME).toEqual(tableName);
    expect(env(synth.stack.aggregator).TABLE_NAME).toEqual(tableName);
  });

  it("passes the aggregation settings given in context to the aggregator only", () => {
    const tuned = synthesizeStack({ stage: "dev", confirmationPublishers: 3, trendMargin: "1.5" });
    const variables = props(tuned.resources[tuned.logicalId(tuned.stack.aggregator.function)]).Environment
      .Variables;
    expect(variables).toMatchObject({ CONFIRMATION_PUBLISHERS: "3", TREND_MARGIN: "1.5" });
    const defaults = props(resources[synth.logicalId(synth.stack.aggregator.function)]).Environment.Variables;
    expect(defaults.CONFIRMATION_PUBLISHERS).toBeUndefined();
    // A second synth bundles every function again: give it time on a busy machine.
  }, 180_000);
});

describe("API", () => {
  const method = (httpMethod: string, path: string) => {
    const resourceIds = resourcesOfType(resources, "AWS::ApiGateway::Resource");
    const pathPart = path.split("/").at(-1);
    const resource = resourceIds.find(([, candidate]) => props(candidate).PathPart === pathPart);
    return resourcesOfType(resources, "AWS::ApiGateway::Method").find(
      ([, candidate]) =>
        props(candidate).HttpMethod === httpMethod &&
        JSON.stringify(props(candidate).ResourceId) === JSON.stringify(ref(resource?.[0] ?? "")),
    )?.[1];
  };

  it.each([
    ["POST", "/articles", () => synth.stack.ingest],
    ["GET", "/articles/{id}", () => synth.stack.query],
  ] as const)("%s %s is IAM-authorised and proxies to its function", (httpMethod, path, fn) => {
    const found = props(method(httpMethod, path));
    expect(found.AuthorizationType).toBe("AWS_IAM");
    expect(found.Integration.Type).toBe("AWS_PROXY");
    expect(JSON.stringify(found.Integration.Uri)).toContain(synth.logicalId(fn().function));
  });

  it("has no method without IAM authorisation", () => {
    const methods = resourcesOfType(resources, "AWS::ApiGateway::Method");
    expect(methods).toHaveLength(7);
    for (const [, found] of methods) expect(props(found).AuthorizationType).toBe("AWS_IAM");
  });

  it("throttles, traces and access-logs the stage as JSON", () => {
    synth.template.hasResourceProperties("AWS::ApiGateway::Stage", {
      StageName: "dev",
      TracingEnabled: true,
      AccessLogSetting: {
        DestinationArn: getAtt(synth.logicalId(synth.stack.api.accessLogGroup), "Arn"),
        Format: Match.stringLikeRegexp('^\\{.*"status"'),
      },
      MethodSettings: Match.arrayWith([
        Match.objectLike({
          HttpMethod: "*",
          ResourcePath: "/*",
          ThrottlingRateLimit: 50,
          ThrottlingBurstLimit: 100,
          DataTraceEnabled: false,
        }),
      ]),
    });
  });

  it("answers API Gateway's own errors with the JSON error envelope", () => {
    for (const type of ["DEFAULT_4XX", "DEFAULT_5XX"]) {
      synth.template.hasResourceProperties("AWS::ApiGateway::GatewayResponse", {
        ResponseType: type,
        ResponseTemplates: { "application/json": Match.stringLikeRegexp('^\\{"error":\\{"code"') },
      });
    }
  });
});

describe("IAM", () => {
  const LOGS = ["logs:CreateLogStream", "logs:PutLogEvents"];
  const XRAY = ["xray:PutTelemetryRecords", "xray:PutTraceSegments"];
  // PutEvents, and DescribeEventBus for the publishers' check at cold start that the bus exists.
  const PUBLISH = ["events:DescribeEventBus", "events:PutEvents"];
  const TABLE_READ = [
    "dynamodb:BatchGetItem",
    "dynamodb:ConditionCheckItem",
    "dynamodb:DescribeTable",
    "dynamodb:GetItem",
    "dynamodb:GetRecords",
    "dynamodb:GetShardIterator",
    "dynamodb:Query",
    "dynamodb:Scan",
  ];
  const TABLE_WRITE = [
    "dynamodb:BatchWriteItem",
    "dynamodb:DeleteItem",
    "dynamodb:PutItem",
    "dynamodb:UpdateItem",
  ];
  const WRITE_ACTION = /^(dynamodb:(Put|Update|Delete|BatchWrite)|events:|sqs:Send|sns:Publish)/;

  interface Statement {
    Effect: string;
    Action: string | string[];
    Resource: unknown;
  }
  const statementsOf = (fn: AttacheFunction): Statement[] => {
    const roleId = synth.logicalId(fn.role);
    return resourcesOfType(resources, "AWS::IAM::Policy")
      .filter(([, policy]) =>
        (props(policy).Roles as unknown[]).some(
          (role) => JSON.stringify(role) === JSON.stringify(ref(roleId)),
        ),
      )
      .flatMap(([, policy]) => props(policy).PolicyDocument.Statement as Statement[]);
  };
  const actionsOf = (fn: AttacheFunction): string[] =>
    [...new Set(statementsOf(fn).flatMap((statement) => [statement.Action].flat()))].sort();

  const expected: Array<[string, () => AttacheFunction, string[]]> = [
    ["ingest", () => synth.stack.ingest, [...LOGS, ...XRAY, ...PUBLISH]],
    [
      "coder",
      () => synth.stack.coder,
      [
        ...LOGS,
        ...XRAY,
        ...TABLE_READ,
        ...TABLE_WRITE,
        "sqs:ChangeMessageVisibility",
        "sqs:DeleteMessage",
        "sqs:GetQueueAttributes",
        "sqs:GetQueueUrl",
        "sqs:ReceiveMessage",
      ],
    ],
    [
      "emitter",
      () => synth.stack.emitter,
      [
        ...LOGS,
        ...XRAY,
        ...PUBLISH,
        "dynamodb:DescribeStream",
        "dynamodb:GetRecords",
        "dynamodb:GetShardIterator",
        "dynamodb:ListStreams",
        "sqs:GetQueueAttributes",
        "sqs:GetQueueUrl",
        "sqs:SendMessage",
      ],
    ],
    ["query", () => synth.stack.query, [...LOGS, ...XRAY, ...TABLE_READ]],
    [
      "aggregator",
      () => synth.stack.aggregator,
      [
        ...LOGS,
        ...XRAY,
        "dynamodb:ConditionCheckItem",
        "dynamodb:DeleteItem",
        "dynamodb:GetItem",
        "dynamodb:PutItem",
        "dynamodb:Query",
        "dynamodb:UpdateItem",
        "sqs:ChangeMessageVisibility",
        "sqs:DeleteMessage",
        "sqs:GetQueueAttributes",
        "sqs:GetQueueUrl",
        "sqs:ReceiveMessage",
      ],
    ],
  ];

  it.each(expected)("the %s role has exactly the actions it needs", (_name, fn, actions) => {
    expect(actionsOf(fn())).toEqual([...actions].sort());
  });

  it.each(expected)("the %s role has no wildcard action and no managed policy", (_name, fn) => {
    for (const action of actionsOf(fn())) expect(action).not.toContain("*");
    expect(props(resources[synth.logicalId(fn().role)]).ManagedPolicyArns).toBeUndefined();
  });

  it.each(expected)(
    "the %s role uses Resource '*' only for actions without resource-level permissions",
    (_n, fn) => {
      for (const statement of statementsOf(fn())) {
        if ([statement.Resource].flat().includes("*")) {
          for (const action of [statement.Action].flat()) {
            expect([...XRAY, "dynamodb:ListStreams"]).toContain(action);
          }
        }
      }
    },
  );

  it("gives the query function no write action at all", () => {
    expect(actionsOf(synth.stack.query).filter((action) => WRITE_ACTION.test(action))).toEqual([]);
  });

  it("scopes the EventBridge actions to the Attaché bus", () => {
    const busArn = getAtt(synth.logicalId(synth.stack.bus.bus), "Arn");
    for (const fn of [synth.stack.ingest, synth.stack.emitter]) {
      const busStatements = statementsOf(fn).filter((statement) =>
        [statement.Action].flat().some((action) => action.startsWith("events:")),
      );
      expect(busStatements.length).toBeGreaterThan(0);
      for (const statement of busStatements) expect(statement.Resource).toEqual(busArn);
    }
  });

  it("scopes the table grants to the table and its indexes", () => {
    const tableId = synth.logicalId(synth.stack.table.table);
    for (const fn of [synth.stack.coder, synth.stack.query, synth.stack.aggregator]) {
      for (const statement of statementsOf(fn)) {
        if (![statement.Action].flat().some((action) => action.startsWith("dynamodb:"))) continue;
        for (const resource of [statement.Resource].flat())
          expect(JSON.stringify(resource)).toContain(tableId);
      }
    }
  });
});

describe("alarms", () => {
  const alarms = () => resourcesOfType(resources, "AWS::CloudWatch::Alarm").map(([, alarm]) => props(alarm));
  const topicRef = () => ref(synth.logicalId(synth.stack.alarms.topic));

  it("alarms on the depth of every queue that collects failures", () => {
    // Every queue any redrive policy, rule target or event source mapping sends failures to.
    const failureQueueArns = new Set<string>();
    for (const [, queue] of resourcesOfType(resources, "AWS::SQS::Queue")) {
      const target = props(queue).RedrivePolicy?.deadLetterTargetArn;
      if (target) failureQueueArns.add(JSON.stringify(target));
    }
    for (const [, rule] of resourcesOfType(resources, "AWS::Events::Rule")) {
      for (const target of props(rule).Targets)
        failureQueueArns.add(JSON.stringify(target.DeadLetterConfig.Arn));
    }
    for (const [, mapping] of resourcesOfType(resources, "AWS::Lambda::EventSourceMapping")) {
      const destination = props(mapping).DestinationConfig?.OnFailure?.Destination;
      if (destination) failureQueueArns.add(JSON.stringify(destination));
    }
    expect(failureQueueArns.size).toBe(4);

    for (const arn of failureQueueArns) {
      const queueId = (JSON.parse(arn) as { "Fn::GetAtt": [string, string] })["Fn::GetAtt"][0];
      expect(alarms(), queueId).toContainEqual(
        expect.objectContaining({
          Namespace: "AWS/SQS",
          MetricName: "ApproximateNumberOfMessagesVisible",
          Dimensions: [{ Name: "QueueName", Value: getAtt(queueId, "QueueName") }],
          Threshold: 0,
          ComparisonOperator: "GreaterThanThreshold",
          AlarmActions: [topicRef()],
        }),
      );
    }
  });

  it.each(["ingest", "coder", "emitter", "query", "aggregator"] as const)(
    "alarms on errors of the %s function",
    (name) => {
      const fnId = synth.logicalId(synth.stack[name].function);
      expect(alarms()).toContainEqual(
        expect.objectContaining({
          Namespace: "AWS/Lambda",
          MetricName: "Errors",
          Dimensions: [{ Name: "FunctionName", Value: ref(fnId) }],
          Threshold: 0,
          ComparisonOperator: "GreaterThanThreshold",
          AlarmActions: [topicRef()],
        }),
      );
    },
  );

  it("sends alarms to a topic encrypted with a rotating key that CloudWatch may use", () => {
    const keyId = synth.logicalId(synth.stack.alarms.topic.masterKey!);
    synth.template.hasResourceProperties("AWS::SNS::Topic", { KmsMasterKeyId: getAtt(keyId, "Arn") });
    const key = props(resources[keyId]);
    expect(key.EnableKeyRotation).toBe(true);
    expect(key.KeyPolicy.Statement).toContainEqual(
      expect.objectContaining({
        Principal: { Service: "cloudwatch.amazonaws.com" },
        Action: ["kms:Decrypt", "kms:GenerateDataKey"],
      }),
    );
  });
});

describe("outputs", () => {
  it.each(["ApiUrl", "EventBusName", "TableName", "SubscriberQueueUrl", "PostArticlesArn", "AlarmTopicArn"])(
    "exports %s",
    (name) => {
      expect(Object.keys(synth.template.findOutputs(name))).toEqual([name]);
    },
  );
});

describe("bundles", () => {
  const names = ["ingest", "coder", "emitter", "query", "aggregator"] as const;
  const bundleOf = (name: (typeof names)[number]) => {
    const asset = synth.stack[name].function.node
      .findAll()
      .find((construct): construct is s3assets.Asset => construct instanceof s3assets.Asset);
    expect(asset).toBeDefined();
    return join((synth.stack.node.root as App).outdir, asset!.assetPath, ATTACHE_BUNDLE_FILE);
  };

  beforeAll(() => {
    // Outside the repository, so nothing resolves from its node_modules but what the
    // runtime would provide, linked beside the bundles.
    const outdir = (synth.stack.node.root as App).outdir;
    expect(relative(REPO_ROOT, outdir).startsWith("..")).toBe(true);
    provideRuntimeModules(outdir);
  });

  it.each(names)("the %s bundle carries the AWS SDK and needs nothing but Node's built-ins", (name) => {
    const code = readFileSync(bundleOf(name), "utf8");
    // What the minified CommonJS bundle loads at run time: `require("<specifier>")`, leaving
    // out the SDK's error message that tells users to require its optional CRT signer.
    const withoutAdvice = code.replaceAll('[require("@aws-sdk/signature-v4-crt");]', "");
    const imported = [...withoutAdvice.matchAll(/\brequire\("([^"]+)"\)/g)].map((match) => match[1] ?? "");
    expect(imported.filter((specifier) => !isBuiltin(specifier))).toEqual([]);
    // The SDK is inside: every bundled client carries its user-agent prefix.
    expect(code).toContain("aws-sdk-js");
  });

  it.each(names)(
    "the %s bundle loads as the runtime loads it and exports handler, with the runtime's SDK beside it",
    async (name) => {
      // A fresh Node process, as a cold start: the module reads its environment and
      // builds its clients at load, without calling AWS. The runtime require()s an
      // index.js that no package.json marks as an ES module.
      const file = bundleOf(name);
      expect(file.endsWith(".js")).toBe(true);
      const { stdout } = await run(
        process.execPath,
        ["-e", `const m = require(${JSON.stringify(file)}); console.log(typeof m.handler);`],
        {
          env: {
            PATH: process.env.PATH ?? "",
            AWS_REGION: "eu-west-1",
            EVENT_BUS_NAME: "attache-test",
            TABLE_NAME: "attache-test",
            POWERTOOLS_METRICS_DISABLED: "true",
          },
        },
      );
      expect(stdout.trim()).toBe("function");
    },
  );
});
