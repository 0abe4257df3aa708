import {
  EuiBasicTable,
  EuiButtonEmpty,
  EuiCallOut,
  EuiCodeBlock,
  EuiFlexGroup,
  EuiFlexItem,
  EuiHealth,
  EuiLink,
  EuiPanel,
  EuiSpacer,
  EuiTab,
  EuiTabs,
  EuiText,
  EuiTitle,
  type EuiBasicTableColumn,
} from '@elastic/eui';
import type { DiffResult, GetResult, SearchHit, SearchResult, Series, Version, VersionList } from '@mitra/core';
import { lazy, Suspense, useState } from 'react';
import { useApi, useLoad, useLink } from '../hooks';
import { formatTime, pageRows } from '../results';
import { type Route } from '../routes';
import { onPageChange, pageByCursor, useCursors } from '../components/paging';
import { Async, Empty, ErrorBoundary, Loading } from '../components/status';
import { IncidentScreen } from './incident';

const DiffView = lazy(() => import('../components/diff_view'));
const SeriesChart = lazy(() => import('../components/charts').then((m) => ({ default: m.SeriesChart })));

type HostRoute = Extract<Route, { screen: 'host' }>;

const STATE_COLOR: Record<string, string> = {
  present: 'success',
  missing: 'danger',
  too_large: 'warning',
  refused: 'subdued',
  binary: 'subdued',
  unreadable: 'danger',
};
/** Versions a page of the file's history. */
const VERSIONS_PAGE = 20;

export const stateLabel = (state: string) => state.replace(/_/g, ' ');

/** Lucene for every current snapshot of one host (quotes escaped, so any host name is one term). */
export const hostFilesQuery = (host: string) => `host.name:"${host.replace(/(["\\])/g, '\\$1')}"`;

export function HostScreen({ route, navigate }: { route: HostRoute; navigate: (r: Route) => void }) {
  const link = useLink();
  const view = route.view ?? 'files';
  return (
    <>
      <EuiTitle size="m">
        <h2 data-test-subj="host-title">{route.host}</h2>
      </EuiTitle>
      <EuiTabs size="s">
        <EuiTab isSelected={view === 'files'} {...link({ screen: 'host', host: route.host })} data-test-subj="host-tab-files">
          Files
        </EuiTab>
        <EuiTab
          isSelected={view === 'memory'}
          {...link({ screen: 'host', host: route.host, view: 'memory' })}
          data-test-subj="host-tab-memory"
        >
          Memory
        </EuiTab>
      </EuiTabs>
      <EuiSpacer />
      {view === 'memory' ? (
        <>
          <MemoryView host={route.host} />
          <EuiSpacer />
          <IncidentScreen route={route} navigate={navigate} />
        </>
      ) : (
        <FilesView route={route} navigate={navigate} />
      )}
    </>
  );
}

function FilesView({ route, navigate }: { route: HostRoute; navigate: (r: Route) => void }) {
  const link = useLink();
  const api = useApi();
  const [page, setPage] = useState(1);
  const [files] = useLoad(`files:${route.host}`, () => api.get<SearchResult>('/search', { query: hostFilesQuery(route.host), size: 1000 }));
  const columns: EuiBasicTableColumn<SearchHit>[] = [
    {
      field: 'path',
      name: 'File',
      render: (path: string) => (
        <EuiLink {...link({ screen: 'host', host: route.host, path })} data-test-subj="host-file">
          {path}
        </EuiLink>
      ),
    },
    { field: 'state', name: 'State', render: (s: string) => <EuiHealth color={STATE_COLOR[s] ?? 'subdued'}>{stateLabel(s)}</EuiHealth> },
    { field: 'size', name: 'Size', render: (n?: number) => (n === undefined ? '—' : `${n} bytes`) },
    { field: 'timestamp', name: 'Last seen', render: (t: string) => formatTime(t) },
  ];
  return (
    <EuiFlexGroup alignItems="flexStart" wrap>
      <EuiFlexItem style={{ minWidth: 380 }}>
        <Async state={files} loading="Loading the host's files…">
          {(r) =>
            r.total === 0 ? (
              <Empty title={`No snapshots from ${route.host}`}>Check the host name, or whether its agent ships to this cluster.</Empty>
            ) : (
              <>
                {/* As Compare says it: the list holds at most 1000 files, and a host may report more. */}
                {r.total > r.hits.length && (
                  <EuiCallOut
                    size="s"
                    color="warning"
                    iconType="warning"
                    title={`Showing ${r.hits.length} of ${r.total} files`}
                    data-test-subj="host-files-partial"
                  />
                )}
                <EuiBasicTable
                  tableCaption={`Files of ${route.host}`}
                  data-test-subj="host-files"
                  items={pageRows(
                    [...r.hits].sort((a, b) => a.path.localeCompare(b.path)),
                    page,
                    20,
                  )}
                  columns={columns}
                  rowHeader="path"
                  pagination={{ pageIndex: page - 1, pageSize: 20, totalItemCount: r.hits.length, showPerPageOptions: false }}
                  onChange={onPageChange(setPage)}
                />
              </>
            )
          }
        </Async>
      </EuiFlexItem>
      {route.path && (
        <EuiFlexItem grow={2} style={{ minWidth: 420 }}>
          <FileView route={{ ...route, path: route.path }} navigate={navigate} />
        </EuiFlexItem>
      )}
    </EuiFlexGroup>
  );
}

function FileView({ route, navigate }: { route: HostRoute & { path: string }; navigate: (r: Route) => void }) {
  const api = useApi();
  const [current] = useLoad(`get:${route.host}:${route.path}`, () => api.get<GetResult>('/get', { host: route.host, path: route.path }));
  // The history pages by cursor, as every list does; another file starts again at page 1.
  const file = JSON.stringify([route.host, route.path]);
  const [paged, setPaged] = useState({ file, page: 1 });
  const page = paged.file === file ? paged.page : 1;
  const cursors = useCursors(file);
  const [versions] = useLoad(`history:${file}:${page}`, () =>
    pageByCursor(
      (cursor) => api.get<VersionList>('/history', { host: route.host, path: route.path, size: VERSIONS_PAGE, cursor }),
      page,
      cursors,
    ),
  );
  return (
    <>
      <EuiTitle size="s">
        <h3 data-test-subj="file-title">{route.path}</h3>
      </EuiTitle>
      <EuiSpacer size="s" />
      <Async state={current} loading="Loading the file…">
        {(r) =>
          !r.doc ? null : r.doc.state !== 'present' ? (
            <EuiCallOut
              title={`This file is ${stateLabel(r.doc.state)} on ${route.host}`}
              color="warning"
              iconType="warning"
              data-test-subj="file-state"
            >
              <p>{r.doc.reason ?? 'The agent reported no content.'}</p>
            </EuiCallOut>
          ) : (
            <>
              <EuiText size="xs" color="subdued">
                {r.doc.size} bytes · last seen {formatTime(r.doc.timestamp)} · changed {formatTime(r.doc.changedAt)} · sha256{' '}
                {r.doc.hash?.slice(0, 12)}
              </EuiText>
              <EuiCodeBlock language="text" fontSize="s" paddingSize="s" overflowHeight={320} isCopyable data-test-subj="file-content">
                {r.doc.content ?? ''}
              </EuiCodeBlock>
            </>
          )
        }
      </Async>
      <EuiSpacer />
      <EuiTitle size="xs">
        <h4>History</h4>
      </EuiTitle>
      <Async state={versions} loading="Loading the history…">
        {(list) => <Timeline list={list} route={route} navigate={navigate} page={page} setPage={(p) => setPaged({ file, page: p })} />}
      </Async>
      {route.from && route.to && (
        <>
          <EuiSpacer />
          <DiffPanel host={route.host} path={route.path} from={route.from} to={route.to} />
        </>
      )}
    </>
  );
}

/** The versions, newest first, a page at a time; choosing "from" and "to" puts both in the URL, which shows their diff. */
function Timeline({
  list,
  route,
  navigate,
  page,
  setPage,
}: {
  list: VersionList;
  route: HostRoute & { path: string };
  navigate: (r: Route) => void;
  page: number;
  setPage: (page: number) => void;
}) {
  if (list.total === 0) return <Empty title="No history recorded for this file" />;
  const pick = (which: 'from' | 'to', v: Version) => navigate({ ...route, [which]: v.id });
  const columns: EuiBasicTableColumn<Version>[] = [
    { field: 'timestamp', name: 'Recorded', render: (t: string) => formatTime(t) },
    { field: 'state', name: 'State', render: (s: string) => <EuiHealth color={STATE_COLOR[s] ?? 'subdued'}>{stateLabel(s)}</EuiHealth> },
    { field: 'size', name: 'Size', render: (n: number | null) => (n === null ? '—' : `${n} bytes`) },
    {
      name: 'Compare',
      render: (v: Version) => (
        <EuiFlexGroup gutterSize="xs" responsive={false}>
          <EuiButtonEmpty
            size="xs"
            isSelected={route.from === v.id}
            onClick={() => pick('from', v)}
            data-test-subj="version-from"
            aria-pressed={route.from === v.id}
          >
            from
          </EuiButtonEmpty>
          <EuiButtonEmpty
            size="xs"
            isSelected={route.to === v.id}
            onClick={() => pick('to', v)}
            data-test-subj="version-to"
            aria-pressed={route.to === v.id}
          >
            to
          </EuiButtonEmpty>
        </EuiFlexGroup>
      ),
    },
  ];
  return (
    <>
      <EuiText size="xs" color="subdued">
        {list.total} {list.total === 1 ? 'version' : 'versions'}; pick two to see what changed
      </EuiText>
      <EuiBasicTable
        tableCaption="File history"
        data-test-subj="file-history"
        items={list.versions}
        columns={columns}
        pagination={{ pageIndex: page - 1, pageSize: VERSIONS_PAGE, totalItemCount: list.total, showPerPageOptions: false }}
        onChange={onPageChange(setPage)}
      />
    </>
  );
}

function DiffPanel({ host, path, from, to }: { host: string; path: string; from: string; to: string }) {
  const api = useApi();
  const [diff] = useLoad(`diff:${host}:${path}:${from}:${to}`, () => api.get<DiffResult>('/diff', { host, path, from, to }));
  return (
    <EuiPanel hasShadow={false} paddingSize="none">
      <EuiTitle size="xs">
        <h4>Diff</h4>
      </EuiTitle>
      <Async state={diff} loading="Computing the diff…">
        {(d) => (
          <>
            <EuiText size="xs" color="subdued" data-test-subj="diff-sides">
              {d.from.label} → {d.to.label}
            </EuiText>
            <Suspense fallback={<Loading label="Loading the diff viewer…" />}>
              <DiffView diff={d.diff} identical={d.identical} />
            </Suspense>
          </>
        )}
      </Async>
    </EuiPanel>
  );
}

/** Page cache vs anonymous memory, from the host's /proc/meminfo history. */
export const MEMORY_SERIES = [
  { field: 'mitra.meminfo.Cached', name: 'Page cache (Cached)' },
  { field: 'mitra.meminfo.AnonPages', name: 'Anonymous (AnonPages)' },
];

function MemoryView({ host }: { host: string }) {
  const api = useApi();
  const [series] = useLoad(`memory:${host}`, () =>
    Promise.all(MEMORY_SERIES.map((s) => api.get<Series>('/series', { host, field: s.field }))),
  );
  return (
    <Async state={series} loading="Loading /proc/meminfo history…">
      {(all) =>
        all.every((s) => s.points.length === 0) ? (
          <Empty title={`No /proc/meminfo history from ${host}`}>The agent records /proc/meminfo when its configuration lists it.</Empty>
        ) : (
          <EuiPanel hasBorder>
            <EuiText size="xs" color="subdued" data-test-subj="memory-summary">
              {all.map((s, i) => `${MEMORY_SERIES[i].name}: ${s.observations} observations`).join(' · ')}
            </EuiText>
            <ErrorBoundary title="The chart could not be drawn">
              <Suspense fallback={<Loading label="Loading chart…" />}>
                <SeriesChart
                  title="bytes"
                  lines={all.map((s, i) => ({ id: MEMORY_SERIES[i].field, name: MEMORY_SERIES[i].name, points: s.points }))}
                />
              </Suspense>
            </ErrorBoundary>
          </EuiPanel>
        )
      }
    </Async>
  );
}
