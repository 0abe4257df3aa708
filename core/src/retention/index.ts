export {
  DEFAULT_RETENTION_DAYS,
  expired,
  formatRetention,
  historyIndexDay,
  parseRetention,
  resolveRetention,
  type RetentionDays,
} from './retention';
export { pruneHistory, pruneSummary, type PruneClient, type PruneResult } from './prune';
export {
  activeLifecycle,
  applyLifecycle,
  detectLifecycle,
  ilmIndexSettings,
  ilmPolicy,
  lifecycleDeletesLateDays,
  type LifecycleKind,
  type LifecycleResult,
} from './lifecycle';
