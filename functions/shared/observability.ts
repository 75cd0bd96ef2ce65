// Powertools Logger and Metrics, configured by the standard POWERTOOLS_* variables
// (service name, namespace "Attache", log level, metrics disabled locally).
//
// Tracing is Lambda's active tracing (set on every function by AttacheFunction), not
// Powertools' Tracer: Lambda records each invocation's init and handler segments, and
// the AWS SDK's own trace-header middleware carries the trace id through EventBridge
// and SQS to the next function. Powertools' Tracer would add a subsegment per SDK call,
// but it brings aws-xray-sdk-core (with semver and cls-hooked), about 125 KB that every
// cold start parses and initialises (some 20 ms of each one measured in a fresh Node
// process) before the first event is served.
import { Logger } from "@aws-lambda-powertools/logger";
import { Metrics } from "@aws-lambda-powertools/metrics";

export interface Observability {
  logger: Logger;
  metrics: Metrics;
}

export function createObservability(defaultServiceName: string): Observability {
  const serviceName = process.env.POWERTOOLS_SERVICE_NAME ?? defaultServiceName;
  return {
    logger: new Logger({ serviceName }),
    metrics: new Metrics({ serviceName, namespace: process.env.POWERTOOLS_METRICS_NAMESPACE ?? "Attache" }),
  };
}
