import { SEARCH_PARAMS, searchSnapshots, validateQuery, type SearchResult } from '../fleet/search';
import { defineQuestion, unique } from './question';

export const searchQuestion = defineQuestion<SearchResult>({
  id: 'search',
  kind: 'lucene',
  title: 'Lucene query over current file snapshots (or as of a past time with at)',
  help:
    'Searches the current state with a Lucene query string. The original field names work: ' +
    `mitra search 'filename:"/etc/fstab" AND content:ext4'. Exit 1 when nothing matches.`,
  params: SEARCH_PARAMS,
  paged: true,
  run: (client, prefix, p) =>
    searchSnapshots(client, prefix, {
      query: p.query as string,
      at: p.at as string | undefined,
      size: p.size as number | undefined,
      cursor: p.cursor as string | undefined,
    }),
  checkStored: (client, prefix, p) => validateQuery(client, prefix, String(p.query).trim()),
  columns: [
    { name: 'host', help: 'host name' },
    { name: 'path', help: 'file path' },
    { name: 'state', help: 'present, missing, unreadable, ...' },
    { name: 'timestamp', help: 'last seen (current state) or when that version was recorded (at)' },
  ],
  matches: (r) => ({ count: r.total, hosts: unique(r.hits.map((h) => h.host)) }),
  text: (r, f) => {
    const lines = r.at ? [`state as of ${r.at}`] : [];
    if (r.hits.length)
      lines.push(
        ...f.table(
          ['host', 'path', 'state', r.at ? 'recorded' : 'last seen'],
          r.hits.map((h) => [h.host, h.path, h.state, h.timestamp]),
        ),
      );
    const shown = r.next ? ` (${r.hits.length} shown; more: --cursor ${r.next})` : '';
    lines.push(`${f.footer(r.total, 'match', r.asOf)}${shown}`);
    return lines;
  },
  forms: [{ id: 'lucene', label: 'Lucene query', params: ['query'] }],
});
