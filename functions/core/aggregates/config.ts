// What an operator may tune about the derived events. Defaults are the documented ones
// (docs/derived-events.md); the aggregator reads overrides from its environment.
import { InvalidInputError } from "../errors.js";

export interface AggregationConfig {
  /** Distinct publishers a cluster needs before EventConfirmed is emitted. */
  confirmationPublishers: number;
  /** Days in the short window of a dyad trend. */
  shortWindowDays: number;
  /** Days in the baseline window of a dyad trend (ending on the same day as the short one). */
  baselineWindowDays: number;
  /** Goldstein points the short mean must be above or below the baseline to count as a crossing. */
  trendMargin: number;
  /** Events the short window needs before its mean is trusted. */
  trendMinShortEvents: number;
  /** Events the baseline window needs beyond those in the short window. */
  trendMinBaselineEvents: number;
}

export const DEFAULT_AGGREGATION_CONFIG: AggregationConfig = {
  confirmationPublishers: 2,
  shortWindowDays: 7,
  baselineWindowDays: 30,
  trendMargin: 2,
  trendMinShortEvents: 3,
  trendMinBaselineEvents: 3,
};

const ENV_NAMES: Record<keyof AggregationConfig, string> = {
  confirmationPublishers: "CONFIRMATION_PUBLISHERS",
  shortWindowDays: "TREND_SHORT_WINDOW_DAYS",
  baselineWindowDays: "TREND_BASELINE_WINDOW_DAYS",
  trendMargin: "TREND_MARGIN",
  trendMinShortEvents: "TREND_MIN_SHORT_EVENTS",
  trendMinBaselineEvents: "TREND_MIN_BASELINE_EVENTS",
};

/** The config from variables such as CONFIRMATION_PUBLISHERS=3, defaults for the rest. */
export function readAggregationConfig(env: Record<string, string | undefined>): AggregationConfig {
  const config: AggregationConfig = { ...DEFAULT_AGGREGATION_CONFIG };
  const issues: { path: string; message: string }[] = [];
  for (const key of Object.keys(ENV_NAMES) as Array<keyof AggregationConfig>) {
    const name = ENV_NAMES[key];
    const raw = env[name]?.trim();
    if (!raw) continue;
    const value = Number(raw);
    const wholeNumber = key !== "trendMargin";
    if (
      !Number.isFinite(value) ||
      value < (wholeNumber ? 1 : 0) ||
      (wholeNumber && !Number.isInteger(value))
    ) {
      issues.push({
        path: name,
        message: wholeNumber
          ? `must be a whole number ≥ 1, got "${raw}"`
          : `must be a number ≥ 0, got "${raw}"`,
      });
      continue;
    }
    config[key] = value;
  }
  if (config.baselineWindowDays <= config.shortWindowDays) {
    issues.push({ path: ENV_NAMES.baselineWindowDays, message: "must be longer than the short window" });
  }
  if (issues.length > 0) throw new InvalidInputError("invalid aggregation settings", issues);
  return config;
}
