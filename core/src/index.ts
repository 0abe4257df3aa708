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
