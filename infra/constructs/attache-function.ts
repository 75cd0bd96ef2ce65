// The one Lambda default every Attaché function is built from, so runtime,
// architecture, bundling, logging and tracing cannot drift between functions.
import { Duration, type RemovalPolicy, Validations } from "aws-cdk-lib";
import * as iam from "aws-cdk-lib/aws-iam";
import * as lambda from "aws-cdk-lib/aws-lambda";
import {
  type BundlingOptions,
  Charset,
  NodejsFunction,
  OutputFormat,
  SourceMapMode,
} from "aws-cdk-lib/aws-lambda-nodejs";
import * as logs from "aws-cdk-lib/aws-logs";
import { Construct } from "constructs";
import { REPO_ROOT, resolveRepoPath } from "../paths.js";

/** CloudWatch namespace of every metric the functions emit through Powertools. */
export const METRICS_NAMESPACE = "Attache";

/**
 * How every function is bundled. Exported so the benchmark builds its reference
 * bundles (an empty handler) exactly as `cdk synth` builds the real ones.
 */
export const ATTACHE_BUNDLING: BundlingOptions = {
  // Bundle on this machine with the installed esbuild: synth needs no Docker.
  forceDockerBundling: false,
  // CommonJS, not ESM: the runtime require()s an index.js (no package.json says
  // "module"), and so the runtime's AWS SDK, itself CommonJS, loads through plain
  // require() too. Imported from an ES module, every file of the SDK goes through
  // Node's ES-module loader instead: about 50 ms more of the coder's import in a
  // fresh Node process. esbuild still tree-shakes the ES-module sources it bundles.
  format: OutputFormat.CJS,
  target: "node22",
  mainFields: ["module", "main"],
  minify: true,
  sourceMap: true,
  sourceMapMode: SourceMapMode.DEFAULT,
  sourcesContent: false,
  charset: Charset.UTF8,
  // The AWS SDK v3 is bundled, tree-shaken and minified with the rest, rather than left
  // to the copy the Node.js 22 runtime ships: measured side by side (`npm run bench`,
  // section 2), loading the runtime's copy, whole and unminified, file by file, cost the
  // coder's cold start 50-90 ms more CPU than the ~340 KB of it a bundle carries, and
  // bundled, the deployed clients are the versions the tests ran against.
  externalModules: [],
};

/**
 * What the Node.js 22 Lambda runtime provides on its NODE_PATH: the AWS SDK v3 and its
 * @smithy/* dependencies. Not used by the deployed bundles (see externalModules); the
 * benchmark builds a variant that leaves them out, to keep the choice measured.
 */
export const RUNTIME_PROVIDED_MODULES: readonly string[] = ["@aws-sdk/*", "@smithy/*"];

/** The file a bundle is written to in its asset folder (`index.handler` names its export). */
export const ATTACHE_BUNDLE_FILE = ATTACHE_BUNDLING.format === OutputFormat.ESM ? "index.mjs" : "index.js";

/** Runtime and architecture of every function, shared for the same reason. */
export const ATTACHE_RUNTIME = lambda.Runtime.NODEJS_22_X;
export const ATTACHE_ARCHITECTURE = lambda.Architecture.ARM_64;

export interface AttacheFunctionProps {
  /** Handler file relative to the repository root, e.g. "functions/coder/handler.ts"; it exports `handler`. */
  entry: string;
  /** Short service name, used in POWERTOOLS_SERVICE_NAME ("attache-<name>"). */
  serviceName: string;
  description: string;
  /** MB; Powertools and the SDK clients need more than the 128 MB default to start fast. */
  memorySize?: number;
  timeout?: Duration;
  /** Variables the handler needs on top of the Powertools ones. */
  environment?: Record<string, string>;
  logRetention: logs.RetentionDays;
  logLevel: string;
  removalPolicy: RemovalPolicy;
}

export class AttacheFunction extends Construct {
  readonly function: NodejsFunction;
  readonly logGroup: logs.LogGroup;
  readonly role: iam.Role;

  constructor(scope: Construct, id: string, props: AttacheFunctionProps) {
    super(scope, id);

    // An explicit log group gives the retention and removal policy a home and lets
    // the role write to this group only.
    this.logGroup = new logs.LogGroup(this, "LogGroup", {
      retention: props.logRetention,
      removalPolicy: props.removalPolicy,
    });

    // Our own role instead of the AWSLambdaBasicExecutionRole managed policy, whose
    // log permissions cover every log group in the account.
    this.role = new iam.Role(this, "Role", {
      assumedBy: new iam.ServicePrincipal("lambda.amazonaws.com"),
      description: `Execution role of attache-${props.serviceName}`,
    });
    this.logGroup.grantWrite(this.role);

    this.function = new NodejsFunction(this, "Function", {
      entry: resolveRepoPath(props.entry),
      handler: "handler",
      projectRoot: REPO_ROOT,
      depsLockFilePath: resolveRepoPath("package-lock.json"),
      description: props.description,
      runtime: ATTACHE_RUNTIME,
      // Graviton: about 20% cheaper per GB-second for the same work.
      architecture: ATTACHE_ARCHITECTURE,
      memorySize: props.memorySize ?? 512,
      timeout: props.timeout ?? Duration.seconds(10),
      role: this.role,
      logGroup: this.logGroup,
      tracing: lambda.Tracing.ACTIVE,
      environment: {
        POWERTOOLS_SERVICE_NAME: `attache-${props.serviceName}`,
        POWERTOOLS_METRICS_NAMESPACE: METRICS_NAMESPACE,
        POWERTOOLS_LOG_LEVEL: props.logLevel,
        // Minified bundles are unreadable in stack traces without their source maps.
        NODE_OPTIONS: "--enable-source-maps",
        ...props.environment,
      },
      bundling: ATTACHE_BUNDLING,
    });

    Validations.of(this.role).acknowledge({
      id: "AwsSolutions-IAM5[Resource::*]",
      reason:
        "Active tracing adds xray:PutTraceSegments and xray:PutTelemetryRecords, which support no resource-level permissions; the Resource::* applies to those X-Ray actions only.",
    });
    Validations.of(this.function).acknowledge(
      {
        id: "AwsSolutions-L1",
        reason:
          "Node.js 22 is the supported target of this project (maintained to April 2027); moving to 24 is a deliberate upgrade, not a lint fix.",
      },
      {
        id: "Serverless-LambdaLatestVersion",
        reason:
          "Node.js 22 is the supported target of this project (maintained to April 2027); moving to 24 is a deliberate upgrade, not a lint fix.",
      },
      {
        id: "Serverless-LambdaDLQ",
        reason:
          "No Attaché function is invoked asynchronously: API Gateway invokes synchronously and the SQS and stream event source mappings have their own dead-letter queue and on-failure destination.",
      },
    );
  }
}
