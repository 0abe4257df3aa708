import {
  activeLifecycle,
  formatRetention,
  lifecycleDeletesLateDays,
  pruneHistory,
  pruneSummary,
  responseStatus,
  type RetentionDays,
} from '@mitra/core';
import type { ElasticsearchClient, Logger, TaskDefinitionRegistry, TaskInstanceWithId } from '../kibana_api/server';

/**
 * Retention inside Kibana: a Task Manager task that runs `mitra prune`'s
 * pruneHistory every hour, as `mitra serve` does standalone. It deletes only
 * where the engine's own lifecycle does not: with Mitra's ILM policy
 * (Elasticsearch 8/9) installed for the prefix, a run is a no-op; with ISM
 * (OpenSearch) it still runs, for the days ISM would keep too long.
 * It runs as Kibana's internal user (a task has no user request), which on a
 * secured cluster may not delete Mitra's indices: the error names the fix.
 */
export const PRUNE_TASK_TYPE = 'mitra:prune';
export const PRUNE_INTERVAL = '1h';

/** One task per prefix (two Kibanas with different prefixes share Task Manager's index). */
export const pruneTaskId = (prefix: string): string => `${PRUNE_TASK_TYPE}:${prefix}`;

export function pruneTaskInstance(prefix: string): TaskInstanceWithId {
  return { id: pruneTaskId(prefix), taskType: PRUNE_TASK_TYPE, schedule: { interval: PRUNE_INTERVAL }, params: { prefix }, state: {} };
}

export interface PruneTaskDeps {
  prefix: string;
  days: RetentionDays;
  logger: Logger;
  /** Kibana's internal client, known from start() on (tasks only run after start). */
  client: () => ElasticsearchClient | undefined;
}

export function pruneTaskDefinition(deps: PruneTaskDeps): TaskDefinitionRegistry {
  return {
    [PRUNE_TASK_TYPE]: {
      title: 'Mitra: delete daily history past retention',
      description: `Deletes <prefix>history-YYYY.MM.DD indices older than mitra.retention (${formatRetention(deps.days)}) where no ILM policy does`,
      timeout: '10m',
      maxAttempts: 3,
      createTaskRunner: () => ({ run: () => runPrune(deps) }),
    },
  };
}

async function runPrune({ prefix, days, logger, client }: PruneTaskDeps) {
  const ranAt = new Date().toISOString();
  if (days === undefined) return { state: { ranAt, skipped: 'retention off' } };
  const es = client();
  if (!es) throw new Error('mitra prune task ran before the plugin started');
  const lifecycle = await activeLifecycle(es, prefix);
  if (lifecycleDeletesLateDays(lifecycle)) {
    logger.debug(`prune: the engine's ${lifecycle.toUpperCase()} policy deletes old history of "${prefix}"; nothing to do`);
    return { state: { ranAt, skipped: lifecycle } };
  }
  try {
    const result = await pruneHistory(es, prefix, days);
    logger.info(pruneSummary(prefix, days, result));
    // Counts, not names: the state is stored with the task, and a first run may delete years of days.
    return { state: { ranAt, deleted: result.deleted.length, kept: result.kept.length } };
  } catch (e) {
    if (responseStatus(e) !== 403) throw e;
    throw new Error(
      `prune: Kibana's internal user may not delete ${prefix}history-* (403): run mitra setup on a cluster with ILM, or schedule mitra prune`,
    );
  }
}
