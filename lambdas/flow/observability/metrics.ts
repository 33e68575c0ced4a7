/**
 * Run metrics (dimension `flow`): records, pages, bytes, rateLimitWaitMs, RateLimited429, durationMs, failures,
 * duplicates (records Okta returned twice, dropped) and warnings (Okta client warnings).
 * Powertools Metrics (CloudWatch EMF) in Lambda; in memory for the CLI and tests.
 */
import { type Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';

export const METRIC_NAMES = [
  'records',
  'pages',
  'bytes',
  'files',
  'deletes',
  'rateLimitWaitMs',
  'RateLimited429',
  'durationMs',
  'failures',
  'duplicates',
  'warnings',
] as const;
export type MetricName = (typeof METRIC_NAMES)[number];

const UNITS: Record<MetricName, (typeof MetricUnit)[keyof typeof MetricUnit]> = {
  records: MetricUnit.Count,
  pages: MetricUnit.Count,
  bytes: MetricUnit.Bytes,
  files: MetricUnit.Count,
  deletes: MetricUnit.Count,
  rateLimitWaitMs: MetricUnit.Milliseconds,
  RateLimited429: MetricUnit.Count,
  durationMs: MetricUnit.Milliseconds,
  failures: MetricUnit.Count,
  duplicates: MetricUnit.Count,
  warnings: MetricUnit.Count,
};

export interface RunMetrics {
  add(flow: string, name: MetricName, value: number): void;
  /** Publishes what was added (Lambda: one EMF line); a no-op for in-memory metrics. */
  flush(): void;
}

export function powertoolsRunMetrics(metrics: Metrics): RunMetrics {
  return {
    add(flow, name, value) {
      // One single-metric line per value keeps the `flow` dimension exact when one process serves several flows.
      const single = metrics.singleMetric();
      single.addDimension('flow', flow);
      single.addMetric(name, UNITS[name], value);
    },
    flush: () => metrics.publishStoredMetrics(),
  };
}

export class MemoryRunMetrics implements RunMetrics {
  readonly totals = new Map<string, number>();

  add(flow: string, name: MetricName, value: number): void {
    const key = `${flow}:${name}`;
    this.totals.set(key, (this.totals.get(key) ?? 0) + value);
  }

  get(flow: string, name: MetricName): number {
    return this.totals.get(`${flow}:${name}`) ?? 0;
  }

  flush(): void {}
}
