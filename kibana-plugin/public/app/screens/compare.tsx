import {
  EuiBadge,
  EuiBasicTable,
  EuiButton,
  EuiCallOut,
  EuiFieldText,
  EuiFlexGroup,
  EuiFlexItem,
  EuiForm,
  EuiFormRow,
  EuiLink,
  EuiSpacer,
  EuiText,
  EuiTitle,
  type EuiBasicTableColumn,
} from '@elastic/eui';
import type { DiffResult, DriftResult, SearchHit, SearchResult } from '@mitra/core';
import { lazy, Suspense, useState, type FormEvent } from 'react';
import { useApi, useLoad, useLink } from '../hooks';
import { formatTime, pageRows } from '../results';
import { type Route } from '../routes';
import { onPageChange } from '../components/paging';
import { Async, Empty, ErrorCallOut, Loading } from '../components/status';

const DiffView = lazy(() => import('../components/diff_view'));

type CompareRoute = Extract<Route, { screen: 'compare' }>;

/** Hosts that share one version of the file: same content hash, or the same non-present state. */
export interface Group {
  key: string;
  label: string;
  hosts: string[];
  majority: boolean;
}

const MAX_HOSTS = 1000;

/** Groups the fleet's copies of one file by content, biggest group first; the majority is the drift reference. */
export function groupCopies(hits: SearchHit[], majorityHash: string | undefined): Group[] {
  const groups = new Map<string, string[]>();
  for (const h of hits) {
    const key = h.state === 'present' && h.hash ? h.hash : `state:${h.state}`;
    groups.set(key, [...(groups.get(key) ?? []), h.host]);
  }
  return [...groups]
    .map(([key, hosts]) => ({
      key,
      label: key.startsWith('state:') ? key.slice(6).replace(/_/g, ' ') : key.slice(0, 12),
      hosts: hosts.sort(),
      majority: key === majorityHash,
    }))
    .sort((a, b) => Number(b.majority) - Number(a.majority) || b.hosts.length - a.hosts.length || a.key.localeCompare(b.key));
}

const fileQuery = (path: string) => `file.path:"${path.replace(/(["\\])/g, '\\$1')}"`;

/** The file to compare; remounted (keyed by the route's path) when the URL changes, so it starts from it. */
function CompareForm({ initial, onSubmit }: { initial: string; onSubmit: (path: string) => void }) {
  const [path, setPath] = useState(initial);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (path.trim()) onSubmit(path.trim());
  };
  return (
    <EuiForm component="form" onSubmit={submit} aria-label="Compare a file across the fleet">
      <EuiFlexGroup gutterSize="s" alignItems="flexEnd">
        <EuiFlexItem>
          <EuiFormRow label="File">
            <EuiFieldText
              placeholder="/etc/resolv.conf"
              value={path}
              onChange={(e) => setPath(e.target.value)}
              data-test-subj="compare-path"
            />
          </EuiFormRow>
        </EuiFlexItem>
        <EuiFlexItem grow={false}>
          <EuiFormRow hasEmptyLabelSpace>
            <EuiButton type="submit" fill iconType="merge" data-test-subj="compare-submit">
              Compare
            </EuiButton>
          </EuiFormRow>
        </EuiFlexItem>
      </EuiFlexGroup>
    </EuiForm>
  );
}

export function CompareScreen({ route, navigate }: { route: CompareRoute; navigate: (r: Route) => void }) {
  const api = useApi();
  const [data] = useLoad(route.path ? `compare:${route.path}` : null, async () => {
    const [copies, drift] = await Promise.all([
      api.get<SearchResult>('/search', { query: fileQuery(route.path!), size: MAX_HOSTS }),
      // Only the reference and the time are read here: one drifted host is enough.
      api.get<DriftResult>('/drift', { path: route.path!, size: 1 }),
    ]);
    return { copies, drift, groups: groupCopies(copies.hits, drift.reference.hash) };
  });
  return (
    <>
      <CompareForm key={route.path ?? ''} initial={route.path ?? ''} onSubmit={(path) => navigate({ screen: 'compare', path })} />
      <EuiSpacer />
      {!route.path && (
        <Empty title="Compare one file across the fleet">Enter a path: hosts are grouped by identical content, the majority first.</Empty>
      )}
      <Async state={data} loading="Grouping the fleet's copies…">
        {({ copies, drift, groups }) =>
          copies.total === 0 ? (
            <Empty title={`No host reports ${route.path}`} />
          ) : (
            <>
              <EuiTitle size="s">
                <h2 data-test-subj="compare-summary">
                  {groups.length} {groups.length === 1 ? 'version' : 'versions'} of {route.path} on {copies.total} hosts, as of{' '}
                  {formatTime(drift.asOf)}
                </h2>
              </EuiTitle>
              {copies.total > copies.hits.length && (
                <EuiCallOut
                  size="s"
                  color="warning"
                  iconType="warning"
                  title={`Showing the first ${copies.hits.length} of ${copies.total} hosts`}
                />
              )}
              <EuiSpacer size="s" />
              <GroupsTable groups={groups} route={route} />
              {route.group && (
                <GroupDetail
                  group={groups.find((g) => g.key === route.group)}
                  majority={groups.find((g) => g.majority)}
                  path={route.path!}
                />
              )}
            </>
          )
        }
      </Async>
    </>
  );
}

function GroupsTable({ groups, route }: { groups: Group[]; route: CompareRoute }) {
  const link = useLink();
  const [page, setPage] = useState(1);
  const columns: EuiBasicTableColumn<Group>[] = [
    {
      field: 'label',
      name: 'Version',
      render: (label: string, g: Group) => (
        <EuiLink {...link({ screen: 'compare', path: route.path, group: g.key })} data-test-subj="compare-group">
          <code>{label}</code>
        </EuiLink>
      ),
    },
    {
      field: 'majority',
      name: '',
      render: (m: boolean) => (m ? <EuiBadge color="success">majority</EuiBadge> : <EuiBadge color="warning">deviating</EuiBadge>),
    },
    { name: 'Hosts', render: (g: Group) => g.hosts.length },
    { name: 'Some hosts', render: (g: Group) => g.hosts.slice(0, 5).join(', ') + (g.hosts.length > 5 ? ', …' : '') },
  ];
  return (
    <EuiBasicTable
      tableCaption="Versions of the file"
      data-test-subj="compare-groups"
      items={pageRows(groups, page, 20)}
      columns={columns}
      pagination={{ pageIndex: page - 1, pageSize: 20, totalItemCount: groups.length, showPerPageOptions: false }}
      onChange={onPageChange(setPage)}
    />
  );
}

function GroupDetail({ group, majority, path }: { group?: Group; majority?: Group; path: string }) {
  const link = useLink();
  const api = useApi();
  const key = group && majority && !group.majority ? `diff:${path}:${majority.hosts[0]}:${group.hosts[0]}` : null;
  const [diff] = useLoad(key, () => api.get<DiffResult>('/diff/hosts', { path, a: majority!.hosts[0], b: group!.hosts[0] }));
  if (!group)
    return <ErrorCallOut title="Unknown version" error="This version is no longer in the current state: pick one from the table." />;
  return (
    <>
      <EuiSpacer />
      <EuiTitle size="xs">
        <h3 data-test-subj="group-title">
          Version {group.label}: {group.hosts.length} hosts
        </h3>
      </EuiTitle>
      <EuiText size="s" data-test-subj="group-hosts">
        <p>
          {group.hosts.map((h, i) => (
            <span key={h}>
              {i > 0 && ', '}
              <EuiLink {...link({ screen: 'host', host: h, path })}>{h}</EuiLink>
            </span>
          ))}
        </p>
      </EuiText>
      {group.majority ? (
        <EuiCallOut size="s" title="This is the majority version: the others are compared with it" iconType="check" color="success" />
      ) : (
        <Async state={diff} loading="Diffing against the majority…">
          {(d) => (
            <>
              <EuiText size="xs" color="subdued">
                majority ({d.from.label}) → this version ({d.to.label})
              </EuiText>
              <Suspense fallback={<Loading label="Loading the diff viewer…" />}>
                <DiffView diff={d.diff} identical={d.identical} />
              </Suspense>
            </>
          )}
        </Async>
      )}
    </>
  );
}
