import { explainError, pruneHistory, pruneSummary, resolveRetention } from '@mitra/core';
import { CONNECTION_HELP, withCluster } from '../args';
import { defineCommand, printJson, stdio } from '../command';

export const pruneCommand = defineCommand({
  name: 'prune',
  summary: 'delete daily history indices older than the retention (default 90d)',
  usage: `usage: mitra prune [--retention 90d] [--dry-run] [--es URL] [--prefix P] [-c runner.yaml] [--json]

Deletes the daily history indices <prefix>history-YYYY.MM.DD whose whole day is
older than the retention, judged by the date in the name. Never touches the
current-state index, another prefix's indices, or a name it cannot date.
Clusters with ILM or ISM do this themselves once mitra setup installed the
policy; this is for those without (Elasticsearch 7.10 OSS). mitra serve runs
it every hour. Prints one summary line.

--retention D  days to keep (MITRA_RETENTION, config retention:, default 90d)
--dry-run      list what would be deleted, delete nothing

${CONNECTION_HELP}`,
  // It deletes: a word it would ignore (mitra prune 365d) must not leave the default retention to decide what goes.
  noArguments: 'give the retention as --retention 90d (or off)',
  async run(values) {
    return withCluster(values, async ({ connection, prefix, file }) => {
      const days = resolveRetention(values.retention, file);
      if (days === undefined) {
        stdio.out(`prune: retention is off for prefix "${prefix}": nothing to do`);
        return 0;
      }
      const dryRun = Boolean(values['dry-run']);
      const result = await pruneHistory(connection.client, prefix, days, { dryRun }).catch((e: unknown) => {
        throw explainError(e, connection.url);
      });
      if (values.json) printJson({ prefix, retention_days: days, ...result });
      else {
        if (dryRun) for (const d of result.deleted) stdio.out(`  would delete ${d.index}`);
        stdio.out(pruneSummary(prefix, days, result));
      }
      return 0;
    });
  },
});
