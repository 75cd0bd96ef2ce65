// Powertools Logger, Metrics and Tracer, configured by the standard POWERTOOLS_* variables
// (service name, namespace "Attache", log level, metrics disabled locally).
import { Logger } from "@aws-lambda-powertools/logger";
import { Metrics } from "@aws-lambda-powertools/metrics";
import { Tracer } from "@aws-lambda-powertools/tracer";

export interface Observability {
  logger: Logger;
  metrics: Metrics;
  tracer: Tracer;
}

export function createObservability(defaultServiceName: string): Observability {
  const serviceName = process.env.POWERTOOLS_SERVICE_NAME ?? defaultServiceName;
  return {
    logger: new Logger({ serviceName }),
    metrics: new Metrics({ serviceName, namespace: process.env.POWERTOOLS_METRICS_NAMESPACE ?? "Attache" }),
    tracer: new Tracer({ serviceName }),
  };
}
