// What an operator may set at deploy time, read from CDK context
// (`cdk deploy -c stage=prod -c busName=... -c logRetentionDays=90`) and
// checked here, so a typo fails the synth instead of the deployment.
import { RetentionDays } from "aws-cdk-lib/aws-logs";
import type { Node } from "constructs";
import { readAggregationConfig } from "../functions/core/aggregates/config.js";

export interface DeploymentConfig {
  /** Short name of the deployment; part of every physical name. */
  stage: string;
  /** Production keeps data when the stack is deleted and protects the table from deletion. */
  isProduction: boolean;
  /** Name of the custom event bus publishers and subscribers use. */
  busName: string;
  /** How long Lambda and API access logs are kept. */
  logRetention: RetentionDays;
  /** How long the bus archive keeps events for replay; 0 keeps them indefinitely. */
  archiveRetentionDays: number;
  /** POWERTOOLS_LOG_LEVEL for every function. */
  logLevel: string;
  /**
   * Aggregation settings given in context (`-c confirmationPublishers=3 -c trendMargin=1.5`),
   * as the aggregator's environment variables; absent when none is given (code defaults).
   */
  aggregationEnvironment?: Record<string, string>;
}

export class DeploymentConfigError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = "DeploymentConfigError";
  }
}

/** The stage name that is treated as production. */
export const PRODUCTION_STAGE = "prod";

// Lower-case so it is valid in queue, bus, log group and stack names alike; short
// because it is a suffix of names with length limits (SQS 80, bus 256, stack 128).
const STAGE_PATTERN = /^[a-z][a-z0-9-]{0,19}$/;
// EventBridge bus names: letters, digits and . - _ (up to 256); "default" is the account bus.
const BUS_NAME_PATTERN = /^[A-Za-z0-9._-]{1,256}$/;
const LOG_LEVELS = ["TRACE", "DEBUG", "INFO", "WARN", "ERROR", "SILENT", "CRITICAL"];

// CloudWatch Logs accepts only these retention periods.
const ALLOWED_RETENTION_DAYS = new Set<number>(
  Object.values(RetentionDays).filter((value): value is number => typeof value === "number"),
);

const DEFAULTS = {
  dev: { logRetentionDays: 14, archiveRetentionDays: 30, logLevel: "DEBUG" },
  prod: { logRetentionDays: 90, archiveRetentionDays: 365, logLevel: "INFO" },
} as const;

/** Reads and validates the deployment settings from the construct tree's context. */
export function readDeploymentConfig(node: Node): DeploymentConfig {
  return parseDeploymentConfig((key) => node.tryGetContext(key));
}

/** Validates raw context values (strings from `-c key=value`, or JSON values from cdk.json). */
export function parseDeploymentConfig(lookup: (key: string) => unknown): DeploymentConfig {
  const stage = readString(lookup, "stage") ?? "dev";
  if (!STAGE_PATTERN.test(stage)) {
    throw new DeploymentConfigError(
      `context "stage" must be lower-case letters, digits and hyphens, starting with a letter, at most 20 characters; got "${stage}"`,
    );
  }
  const isProduction = stage === PRODUCTION_STAGE;
  const defaults = isProduction ? DEFAULTS.prod : DEFAULTS.dev;

  const busName = readString(lookup, "busName") ?? `attache-${stage}`;
  if (!BUS_NAME_PATTERN.test(busName) || busName === "default") {
    throw new DeploymentConfigError(
      `context "busName" must be 1-256 letters, digits, ".", "-" or "_" and not "default"; got "${busName}"`,
    );
  }

  const logRetentionDays = readInteger(lookup, "logRetentionDays") ?? defaults.logRetentionDays;
  if (!ALLOWED_RETENTION_DAYS.has(logRetentionDays)) {
    throw new DeploymentConfigError(
      `context "logRetentionDays" must be one of ${[...ALLOWED_RETENTION_DAYS].sort((a, b) => a - b).join(", ")}; got ${logRetentionDays}`,
    );
  }

  const archiveRetentionDays = readInteger(lookup, "archiveRetentionDays") ?? defaults.archiveRetentionDays;
  if (archiveRetentionDays < 0) {
    throw new DeploymentConfigError(
      `context "archiveRetentionDays" must be 0 (keep forever) or a positive number of days; got ${archiveRetentionDays}`,
    );
  }

  const logLevel = (readString(lookup, "logLevel") ?? defaults.logLevel).toUpperCase();
  if (!LOG_LEVELS.includes(logLevel)) {
    throw new DeploymentConfigError(
      `context "logLevel" must be one of ${LOG_LEVELS.join(", ")}; got "${logLevel}"`,
    );
  }

  const aggregationEnvironment = readAggregationEnvironment(lookup);

  return {
    stage,
    isProduction,
    busName,
    logRetention: logRetentionDays as RetentionDays,
    archiveRetentionDays,
    logLevel,
    ...(aggregationEnvironment ? { aggregationEnvironment } : {}),
  };
}

/** Context keys for the aggregator and the variables it reads them from. */
const AGGREGATION_CONTEXT: Record<string, string> = {
  confirmationPublishers: "CONFIRMATION_PUBLISHERS",
  trendMargin: "TREND_MARGIN",
};

function readAggregationEnvironment(lookup: (key: string) => unknown): Record<string, string> | undefined {
  const environment: Record<string, string> = {};
  for (const [key, variable] of Object.entries(AGGREGATION_CONTEXT)) {
    const value = lookup(key);
    if (value === undefined || value === null || value === "") continue;
    environment[variable] = String(value);
  }
  if (Object.keys(environment).length === 0) return undefined;
  try {
    // The aggregator's own parser: what passes here is what the function will accept at cold start.
    readAggregationConfig(environment);
  } catch (error) {
    const issues = (error as { issues?: { path: string; message: string }[] }).issues ?? [];
    throw new DeploymentConfigError(
      `invalid aggregation context: ${issues.map((i) => `${i.path} ${i.message}`).join("; ")}`,
      { cause: error },
    );
  }
  return environment;
}

function readString(lookup: (key: string) => unknown, key: string): string | undefined {
  const value = lookup(key);
  if (value === undefined || value === null || value === "") return undefined;
  if (typeof value !== "string") {
    throw new DeploymentConfigError(`context "${key}" must be a string; got ${JSON.stringify(value)}`);
  }
  return value;
}

function readInteger(lookup: (key: string) => unknown, key: string): number | undefined {
  const value = lookup(key);
  if (value === undefined || value === null || value === "") return undefined;
  // `-c key=90` arrives as the string "90"; cdk.json may hold the number 90.
  const parsed = typeof value === "number" ? value : typeof value === "string" ? Number(value) : Number.NaN;
  if (!Number.isInteger(parsed)) {
    throw new DeploymentConfigError(`context "${key}" must be a whole number; got ${JSON.stringify(value)}`);
  }
  return parsed;
}
