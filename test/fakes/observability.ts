// Real Powertools objects that print nothing, with the metrics they were given kept for assertions.
import { Logger } from "@aws-lambda-powertools/logger";
import { Metrics } from "@aws-lambda-powertools/metrics";

export interface TestObservability {
  logger: Logger;
  metrics: Metrics;
  /** Sum of each metric's values over every invocation. */
  recordedMetrics: Map<string, number>;
}

export function createTestObservability(): TestObservability {
  process.env.POWERTOOLS_METRICS_DISABLED = "true";
  const logger = new Logger({ serviceName: "test", logLevel: "SILENT" });
  const metrics = new Metrics({ serviceName: "test", namespace: "AttacheTest" });
  const recordedMetrics = new Map<string, number>();
  const addMetric = metrics.addMetric.bind(metrics);
  metrics.addMetric = (name, unit, value, resolution) => {
    recordedMetrics.set(name, (recordedMetrics.get(name) ?? 0) + value);
    return addMetric(name, unit, value, resolution);
  };
  return { logger, metrics, recordedMetrics };
}
