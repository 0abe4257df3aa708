export { applyLifecycle, type LifecycleResult } from './lifecycle';
export { pruneHistory, pruneSummary } from './prune';
export { DEFAULT_RETENTION_DAYS, resolveRetention, type RetentionDays } from './retention';
