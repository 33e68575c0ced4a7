/** Observability of runs: run events (EventBridge), structured logs and metrics, each behind a small interface. */
export {
  EventBridgeEventSink,
  EventPublishError,
  type EventSink,
  MemoryEventSink,
  type RecordedRunEvent,
} from './event-sink.js';
export { type LogKeys, type MemoryLogLine, memoryRunLogger, powertoolsRunLogger, type RunLogger } from './logger.js';
export { METRIC_NAMES, MemoryRunMetrics, type MetricName, powertoolsRunMetrics, type RunMetrics } from './metrics.js';
