export * from './schema';
export * from './ids';
export type { FileStat, SnapshotState, Target, WireDoc, WireInput } from './wire';
export {
  alertsIndex,
  currentIndex,
  historyIndex,
  historyIndices,
  lifecyclePolicyId,
  rulesIndex,
  samplePipeline,
  samplesIndex,
  samplesIndices,
  savedIndex,
  snapshotPipeline,
  stateIndex,
} from './names';
export * from './errors';
export * from './config';
export * from './connection';
export {
  clusterUrl,
  isResponseError,
  responseStatus,
  transportFailure,
  type EsResponseError,
  type LogLine,
  type MitraClient,
  type TransportFailure,
} from './client';
export * from './history';
export * from './fleet';
export * from './saved';
export * from './alerts';
export * from './api';
export {
  applyLifecycle,
  DEFAULT_RETENTION_DAYS,
  formatRetention,
  historyIndexDay,
  parseRetention,
  pruneHistory,
  pruneSummary,
  resolveRetention,
  type LifecycleResult,
  type PruneResult,
  type RetentionDays,
} from './retention';
export {
  incidentReport,
  fleetIncident,
  parseFraction,
  DEFAULT_THRESHOLDS,
  DEFAULT_ORDER,
  MEMORY_KEYS,
  RATE_COUNTERS,
  PAGE_BYTES,
  pruneSamples,
  counterValue,
  readMemory,
  readRates,
  readWatermarks,
  isCacheEviction,
  isAnonymousDemand,
  bytes,
  signedBytes,
  type IncidentQuery,
  type IncidentReport,
  type FleetIncident,
  type FleetIncidentQuery,
  type FleetHit,
  type PatternThresholds,
  type Verdict,
  type VerdictKind,
  type Observation,
  type PerZone,
} from './incident';
export { check, describeIssue, queryParam, bodyField, cliFlag, type Namer } from './shapes/check';
export { fieldInfo, type FieldInfo, type FieldKind } from './shapes/fields';
export { COMMAND_FLAGS, CONNECTION_FLAGS, COMMON_FLAGS, SHORT_FLAGS, commandShape, type CommandName, type CommandValues } from './commands';
