import { allDriftedHosts, DRIFT_PARAMS, fileDrift, type DriftResult } from '../fleet/drift';
import { defineQuestion, unique } from './question';

export const driftQuestion = defineQuestion<DriftResult>({
  id: 'drift',
  kind: 'drift',
  title: "hosts whose copy of a file differs from the fleet's majority (or a golden host)",
  help:
    "Compares every host's current copy of PATH (by sha256) with the fleet's most common version, or with " +
    "the golden host's copy, a page of drifted hosts at a time (100 by default) with the total. " +
    'Hosts where the file is missing or unreadable drift too; hosts that do not report PATH are not counted.',
  params: DRIFT_PARAMS,
  paged: true,
  run: (client, prefix, p) =>
    fileDrift(client, prefix, {
      path: p.path as string,
      golden: p.golden as string | undefined,
      size: p.size as number | undefined,
      after: p.cursor as string | undefined,
    }),
  // Alert rules compare host sets: every drifted host, whatever the page.
  runForMatches: (client, prefix, p) => allDriftedHosts(client, prefix, { path: p.path as string, golden: p.golden as string | undefined }),
  columns: [
    { name: 'host', help: 'a drifted host' },
    { name: 'state', help: 'present, missing, unreadable, ...' },
    { name: 'hash', help: "sha256 of the host's copy" },
    { name: 'lastSeen', help: 'when the host last reported the file' },
  ],
  matches: (r) => ({ count: r.total, hosts: unique(r.hosts.map((h) => h.host)) }),
  exitOneWhenEmpty: false,
  text: (r, f) => {
    const ref = r.reference;
    const from = ref.source === 'golden' ? `golden host ${ref.host}` : `majority${ref.tie ? ' (tie: first by hash)' : ''}`;
    const lines = [`${r.path}: reference ${f.shortHash(ref.hash)} from ${from}, on ${ref.hosts} of ${r.reporting} hosts`];
    if (r.hosts.length)
      lines.push(
        ...f.table(
          ['host', 'state', 'sha256', 'last seen'],
          r.hosts.map((h) => [h.host, h.state, f.shortHash(h.hash), h.lastSeen]),
        ),
      );
    if (r.next) lines.push(`more: --cursor ${r.next}`);
    lines.push(f.footer(r.total, 'drifted host', r.asOf));
    return lines;
  },
});
