import {
  bytes,
  explained,
  fleetIncident,
  incidentReport,
  parseInterval,
  pruneSamples,
  parseFraction,
  parseInstant,
  signedBytes,
  DEFAULT_ORDER,
  DEFAULT_THRESHOLDS,
  UsageError,
  type FleetIncident,
  type IncidentReport,
  type IndexScope,
  type PatternThresholds,
} from '@mitra/core';
import { CONNECTION_HELP, withCluster } from '../args';
import { defineCommand, printJson, stdio } from '../command';
import { table } from '../format';

export const incidentCommand = defineCommand({
  name: 'incident',
  summary: 'what memory did on a host in a window (page cache, watermarks, fragmentation, reclaim), or which hosts did the same',
  usage: `usage: mitra incident HOST --from T --to T [--order K] [--cache-drop F] [--anon-bound F] [--json]
       mitra incident --fleet --from T --to T [--cache-drop F] [--anon-bound F] [--json]
       mitra incident --prune-samples DAYS [--json]

Replays HOST's memory between --from and --to from the stored /proc/meminfo,
/proc/zoneinfo, /proc/buddyinfo and /proc/vmstat (history snapshots and the
agent's memory samples): page cache against anonymous memory with their change
and fastest rate, free pages of each zone against its min/low/high watermarks,
free blocks of order >= K (--order, default ${DEFAULT_ORDER}), reclaim and swap rates per
second (split at counter resets), the vm.* settings in force, and a verdict whose
every number appears in the tables, e.g.
  mitra incident db-07 --from 2016-09-10T10:53:00Z --to 2016-09-10T10:54:00Z

--fleet lists the hosts whose page cache (Cached) fell by at least --cache-drop
of its level (default ${DEFAULT_THRESHOLDS.cacheDrop}) while anonymous memory (AnonPages) changed by at
most --anon-bound of MemTotal over the same span (default ${DEFAULT_THRESHOLDS.anonBound}), deepest drop
first, with kernel and vm.swappiness. Fractions: 0.5 or 50%.
--prune-samples 14d deletes the daily memory-sample indices (<prefix>samples-*)
whose whole day is older than that; history is never touched.
Times: ISO-8601, now, or relative like -2h. Exit 1 when there is nothing to read
(fewer than two meminfo observations; --fleet: no host with the pattern).

${CONNECTION_HELP}`,
  times: ['--from', '--to'],
  async run(values, positionals) {
    if (values['prune-samples'] !== undefined) return prune(values['prune-samples'], values);
    if (values.fleet ? positionals.length !== 0 : positionals.length !== 1) {
      throw new UsageError(
        values.fleet
          ? 'incident --fleet takes no host: mitra incident --fleet --from T --to T'
          : 'incident needs one host, e.g. mitra incident db-07 --from -1h --to now (or --fleet)',
      );
    }
    if (values.from === undefined || values.to === undefined)
      throw new UsageError('incident needs --from and --to, e.g. --from -1h --to now');
    if (values.fleet && values.order !== undefined) throw new UsageError('--order applies to one host, not to --fleet');
    const from = parseInstant(values.from, '--from');
    const to = parseInstant(values.to, '--to');
    const thresholds: PatternThresholds = {
      cacheDrop: values['cache-drop'] === undefined ? DEFAULT_THRESHOLDS.cacheDrop : parseFraction(values['cache-drop'], '--cache-drop'),
      anonBound: values['anon-bound'] === undefined ? DEFAULT_THRESHOLDS.anonBound : parseFraction(values['anon-bound'], '--anon-bound'),
    };
    const order = values.order ?? DEFAULT_ORDER;
    return withCluster(values, async ({ connection, prefix }) => {
      const scope: IndexScope = { client: connection.client, prefix };
      return await explained(scope, async () => {
        if (values.fleet) return printFleet(await fleetIncident(scope, { from, to, thresholds }), values.json);
        return printReport(await incidentReport(scope, { host: positionals[0], from, to, order, thresholds }), values.json);
      });
    });
  },
});

async function prune(text: string, values: Parameters<typeof withCluster>[0] & { json?: boolean }): Promise<number> {
  const keepMs = parseInterval(text, '--prune-samples');
  return withCluster(values, async ({ connection, prefix }) => {
    const scope: IndexScope = { client: connection.client, prefix };
    const res = await explained(scope, () => pruneSamples(scope, keepMs));
    if (values.json) printJson(res);
    else
      stdio.out(
        `deleted ${res.deleted.length} sample index(es)${res.deleted.length ? `: ${res.deleted.join(', ')}` : ''}; kept ${res.kept.length}`,
      );
    return 0;
  });
}

const n = (v: number): string => Math.round(v).toLocaleString('en-US');
const rate = (v: number | null | undefined): string => (v === null || v === undefined ? '-' : Math.abs(v) >= 100 ? n(v) : v.toFixed(1));

function printReport(r: IncidentReport, json?: boolean): number {
  const empty = r.verdict.kind === 'insufficient_data';
  if (json) {
    printJson(r);
    return empty ? 1 : 0;
  }
  if (empty) {
    stdio.err(`mitra incident: ${r.host}: ${r.verdict.summary}`);
    return 1;
  }
  const out = (lines: string[]) => lines.forEach((l) => stdio.out(l));
  stdio.out(`${r.host}  ${r.from} → ${r.to}  kernel ${r.kernel ?? 'unknown'}`);
  stdio.out(`VERDICT (${r.verdict.kind.replace(/_/g, ' ')}):`);
  for (const c of r.verdict.claims) stdio.out(`  - ${c.text}`);
  stdio.out('');
  stdio.out('MEMORY (/proc/meminfo)');
  out(
    table(
      ['key', 'first', 'last', 'change', 'min', 'max', 'fastest /s', 'between'],
      r.memory.keys.map((k) => [
        k.key,
        bytes(k.first.value),
        bytes(k.last.value),
        signedBytes(k.change),
        bytes(k.min.value),
        bytes(k.max.value),
        k.fastest ? signedBytes(k.fastest.perSecond) : '-',
        k.fastest ? `${k.fastest.from} → ${k.fastest.to}` : '-',
      ]),
    ),
  );
  stdio.out('');
  stdio.out('ZONES (/proc/zoneinfo, pages)');
  out(
    table(
      ['zone', 'lowest free', 'at', 'min', 'low', 'high', 'margin to low', 'reached low', 'reached min'],
      r.zones.map((z) => [
        z.label,
        n(z.lowestFree.value),
        z.lowestFree.t,
        n(z.min),
        n(z.low),
        n(z.high),
        n(z.marginToLow),
        z.reachedLow?.t,
        z.reachedMin?.t,
      ]),
    ),
  );
  stdio.out('');
  stdio.out(`FRAGMENTATION (/proc/buddyinfo, free blocks; order >= ${r.fragmentation.order})`);
  out(
    table(
      ['zone', `lowest >= ${r.fragmentation.order}`, 'at', 'latest by order 0..10'],
      r.fragmentation.zones.map((z) => [z.label, n(z.lowest.value), z.lowest.t, z.latest.orders.join(' ')]),
    ),
  );
  stdio.out('');
  stdio.out(`RECLAIM (/proc/vmstat, per second; ${r.reclaim.intervals.length} interval(s), ${r.reclaim.resets.length} reset(s))`);
  out(
    table(
      ['counter', 'max /s', 'mean /s', 'total', 'max between'],
      r.reclaim.counters.map((c) => [
        c.name,
        rate(c.maxPerSecond?.perSecond),
        rate(c.meanPerSecond),
        n(c.total),
        c.maxPerSecond ? `${c.maxPerSecond.from} → ${c.maxPerSecond.to}` : '-',
      ]),
    ),
  );
  for (const reset of r.reclaim.resets)
    stdio.out(`  counter reset (${reset.counter} went down) between ${reset.from} and ${reset.to}: no rate spans it`);
  stdio.out('');
  stdio.out('SETTINGS (mitra:sysctl in force)');
  out(
    r.settings.length
      ? table(
          ['key', 'value', 'since'],
          r.settings.map((s) => [s.key, s.value, s.since]),
        )
      : ['  none recorded'],
  );
  stdio.err(
    `${r.memory.observations} meminfo, ${r.reclaim.observations} vmstat, ${r.zones[0]?.points.length ?? 0} zoneinfo, ${r.fragmentation.zones[0]?.points.length ?? 0} buddyinfo observations ` +
      `(${r.sources.history} history document(s), ${r.sources.samples} sample(s))`,
  );
  return 0;
}

function printFleet(f: FleetIncident, json?: boolean): number {
  if (json) printJson(f);
  else {
    if (f.hosts.length) {
      const rows = f.hosts.map((h) => [
        h.host,
        bytes(h.cacheFall.before),
        bytes(h.cacheFall.after),
        `${Math.round(h.dropFraction * 1000) / 10}%`,
        `${Math.round(h.cacheFall.seconds * 10) / 10} s`,
        signedBytes(h.cacheFall.otherChange),
        h.kernel,
        h.swappiness,
        h.cacheFall.from,
      ]);
      for (const line of table(['host', 'cached before', 'after', 'drop', 'in', 'anon change', 'kernel', 'swappiness', 'from'], rows))
        stdio.out(line);
    }
    stdio.out(
      `${f.hosts.length} of ${f.examined} host(s) with the pattern (page cache drop >= ${f.thresholds.cacheDrop}, anonymous change <= ${f.thresholds.anonBound} of MemTotal)`,
    );
  }
  return f.hosts.length ? 0 : 1;
}
