export * from './schema';
export * from './ids';
export * from './errors';
export * from './config';
export * from './connection';
export {
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
  activeLifecycle,
  applyLifecycle,
  DEFAULT_RETENTION_DAYS,
  formatRetention,
  historyIndexDay,
  lifecyclePolicyId,
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
  samplesIndices,
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
export {
  COMMAND_FLAGS,
  CONNECTION_FLAGS,
  COMMON_FLAGS,
  SHORT_FLAGS,
  commandShape,
  questionFlags,
  questionCommandShape,
  type CommandName,
  type CommandValues,
} from './shapes/commands';
export {
  QUESTIONS,
  PAGING,
  defineQuestion,
  type Catalog,
  type Column,
  type Form,
  type Param,
  type Question,
  type TextFormat,
} from './questions';
export {
  describeCatalog,
  formsOf,
  kebabCase,
  snakeCase,
  paramsOf,
  questionById,
  questionTable,
  toDeclared,
  type ParamInfo,
  type QuestionInfo,
} from './questions/derive';
