import {
  EuiBadge,
  EuiBasicTable,
  EuiButtonEmpty,
  EuiCallOut,
  EuiFieldText,
  EuiFlexGroup,
  EuiHealth,
  EuiLink,
  EuiSpacer,
  EuiTab,
  EuiTabs,
  type EuiBasicTableColumn,
} from '@elastic/eui';
import type { AlertCondition, AlertEvent, AlertRule, Evaluation, RuleState, SavedRun, SavedSearch } from '@mitra/core';
import { useState } from 'react';
import { useApi, useCatalog, useLoad, type Loaded, useLink } from '../hooks';
import { fromSavedQuery } from '../questions';
import { formatTime } from '../results';
import { type SavedTab } from '../routes';
import { onPageChange, pageByCursor, useCursors } from '../components/paging';
import { Async, Empty, ErrorCallOut } from '../components/status';

const PAGE = 20;

/** A page of a list as the API answers it: the questions' paging (size + cursor; total and next). */
type Paged = { total: number; next?: string };

export function SavedScreen({ tab }: { tab: SavedTab }) {
  const link = useLink();
  const tabs: { id: SavedTab; name: string }[] = [
    { id: 'searches', name: 'Saved searches' },
    { id: 'rules', name: 'Alert rules' },
    { id: 'history', name: 'Alert history' },
  ];
  return (
    <>
      <EuiTabs size="s">
        {tabs.map((t) => (
          <EuiTab key={t.id} isSelected={tab === t.id} {...link({ screen: 'saved', tab: t.id })} data-test-subj={`saved-tab-${t.id}`}>
            {t.name}
          </EuiTab>
        ))}
      </EuiTabs>
      <EuiSpacer />
      {tab === 'searches' && <SearchesTab />}
      {tab === 'rules' && <RulesTab />}
      {tab === 'history' && <HistoryTab />}
    </>
  );
}

/** What an action on a row last did, shown above the table. */
type Outcome = { ok: true; text: string } | { ok: false; error: Error } | undefined;

function OutcomeCallOut({ outcome }: { outcome: Outcome }) {
  if (!outcome) return null;
  if (!outcome.ok) return <ErrorCallOut error={outcome.error} />;
  return <EuiCallOut size="s" color="success" iconType="check" title={outcome.text} data-test-subj="action-outcome" />;
}

/** Runs a row action, records its outcome and reloads the list. */
function useAction(reload: () => void): [Outcome, (run: () => Promise<string>) => Promise<void>] {
  const [outcome, setOutcome] = useState<Outcome>();
  const act = async (run: () => Promise<string>) => {
    try {
      setOutcome({ ok: true, text: await run() });
    } catch (e) {
      setOutcome({ ok: false, error: e as Error });
    }
    reload();
  };
  return [outcome, act];
}

/** The number a run matched, whatever the query kind: a page's total (search) or every match (hosts, values, drift). */
const matchCount = (result: unknown) => (result as { total?: number; count?: number }).total ?? (result as { count?: number }).count ?? 0;

function SearchesTab() {
  const link = useLink();
  const api = useApi();
  const catalog = useCatalog();
  const [page, setPage] = useState(1);
  const cursors = useCursors('saved');
  const [list, reload] = useLoad(`saved:${page}`, () =>
    pageByCursor((cursor) => api.get<Paged & { searches: SavedSearch[] }>('/saved', { size: PAGE, cursor }), page, cursors),
  );
  const [outcome, act] = useAction(reload);
  const [editing, setEditing] = useState<{ name: string; description: string }>();
  const columns: EuiBasicTableColumn<SavedSearch>[] = [
    {
      field: 'name',
      name: 'Name',
      render: (name: string, s: SavedSearch) => {
        // Until the catalog is in, the name is plain text; then it links to the question's form.
        const q = catalog.status === 'done' ? fromSavedQuery(catalog.data, s.kind, s.params) : undefined;
        return q ? (
          <EuiLink {...link({ screen: 'fleet', question: q, page: 1 })} data-test-subj="saved-open">
            {name}
          </EuiLink>
        ) : (
          name
        );
      },
    },
    {
      field: 'description',
      name: 'Description',
      render: (d: string, s: SavedSearch) =>
        editing?.name === s.name ? (
          <EuiFieldText
            compressed
            aria-label={`Description of ${s.name}`}
            value={editing.description}
            onChange={(e) => setEditing({ name: s.name, description: e.target.value })}
            data-test-subj="saved-description"
          />
        ) : (
          d
        ),
    },
    { field: 'kind', name: 'Kind', render: (k: string) => <EuiBadge>{k}</EuiBadge> },
    { field: 'params', name: 'Parameters', render: (p: Record<string, unknown>) => <code>{JSON.stringify(p)}</code> },
    {
      name: 'Actions',
      render: (s: SavedSearch) => (
        <EuiFlexGroup gutterSize="xs" responsive={false} wrap>
          <EuiButtonEmpty
            size="xs"
            data-test-subj="saved-run"
            onClick={() =>
              act(
                async () =>
                  `${s.name}: ${matchCount((await api.post<SavedRun>(`/saved/${encodeURIComponent(s.name)}/run`)).result)} matches`,
              )
            }
          >
            Run
          </EuiButtonEmpty>
          {editing?.name === s.name ? (
            <EuiButtonEmpty
              size="xs"
              data-test-subj="saved-save"
              onClick={() =>
                act(async () => {
                  await api.put(`/saved/${encodeURIComponent(s.name)}`, { description: editing.description });
                  setEditing(undefined);
                  return `${s.name} updated`;
                })
              }
            >
              Save
            </EuiButtonEmpty>
          ) : (
            <EuiButtonEmpty size="xs" data-test-subj="saved-edit" onClick={() => setEditing({ name: s.name, description: s.description })}>
              Edit
            </EuiButtonEmpty>
          )}
          <ConfirmDelete
            name={s.name}
            onConfirm={() => act(async () => (await api.delete(`/saved/${encodeURIComponent(s.name)}`), `${s.name} deleted`))}
          />
        </EuiFlexGroup>
      ),
    },
  ];
  return (
    <NamedTable
      outcome={outcome}
      state={list}
      what="saved searches"
      empty={['No saved searches yet', 'Ask a question on the Fleet screen and choose "Save search".']}
      subj="saved-table"
      items={(r) => r.searches}
      columns={columns}
      page={page}
      setPage={setPage}
    />
  );
}

/** Two steps, so a stray click or Enter never deletes. */
/** A page of named things (saved searches, rules): the last action's outcome, then an empty state or the table. */
function NamedTable<R extends { total: number }, T extends object>(props: {
  outcome: Outcome;
  state: Loaded<R>;
  what: string;
  empty: [title: string, hint: string];
  subj: string;
  items: (r: R) => T[];
  columns: EuiBasicTableColumn<T>[];
  page: number;
  setPage: (p: number) => void;
}) {
  const { outcome, state, what, empty, subj, items, columns, page, setPage } = props;
  return (
    <>
      <OutcomeCallOut outcome={outcome} />
      <Async state={state} loading={`Loading ${what}…`}>
        {(r) =>
          r.total === 0 ? (
            <Empty title={empty[0]}>{empty[1]}</Empty>
          ) : (
            <EuiBasicTable
              tableCaption={what.charAt(0).toUpperCase() + what.slice(1)}
              data-test-subj={subj}
              items={items(r)}
              columns={columns}
              rowHeader="name"
              pagination={{ pageIndex: page - 1, pageSize: PAGE, totalItemCount: r.total, showPerPageOptions: false }}
              onChange={onPageChange(setPage)}
            />
          )
        }
      </Async>
    </>
  );
}

function ConfirmDelete({ name, onConfirm }: { name: string; onConfirm: () => void }) {
  const [armed, setArmed] = useState(false);
  if (!armed)
    return (
      <EuiButtonEmpty size="xs" color="danger" onClick={() => setArmed(true)} data-test-subj="delete">
        Delete
      </EuiButtonEmpty>
    );
  return (
    <EuiButtonEmpty
      size="xs"
      color="danger"
      iconType="trash"
      onClick={onConfirm}
      data-test-subj="delete-confirm"
      aria-label={`Confirm deleting ${name}`}
    >
      Confirm delete
    </EuiButtonEmpty>
  );
}

export const conditionText = (c: AlertCondition) =>
  c.type === 'matches_above'
    ? `more than ${c.threshold} matches`
    : c.type === 'hosts_changed'
      ? 'matching hosts change'
      : `${c.path} changes`;

type RuleRow = AlertRule & { state: RuleState | null };

function RulesTab() {
  const api = useApi();
  const [page, setPage] = useState(1);
  const cursors = useCursors('rules');
  const [list, reload] = useLoad(`rules:${page}`, async () => {
    const r = await pageByCursor(
      (cursor) => api.get<Paged & { rules: AlertRule[] }>('/alerts/rules', { size: PAGE, cursor }),
      page,
      cursors,
    );
    const states = await Promise.all(
      r.rules.map((rule) => api.get<{ state: RuleState | null }>(`/alerts/rules/${encodeURIComponent(rule.name)}`)),
    );
    return { total: r.total, rows: r.rules.map((rule, i): RuleRow => ({ ...rule, state: states[i].state })) };
  });
  const [outcome, act] = useAction(reload);
  const path = (r: RuleRow) => `/alerts/rules/${encodeURIComponent(r.name)}`;
  const columns: EuiBasicTableColumn<RuleRow>[] = [
    { field: 'name', name: 'Rule' },
    { field: 'description', name: 'Query', render: (d: string, r: RuleRow) => d || r.search || JSON.stringify(r.query) },
    { field: 'condition', name: 'Fires when', render: (c: AlertCondition) => conditionText(c) },
    {
      field: 'state',
      name: 'Status',
      render: (s: RuleState | null, r: RuleRow) =>
        !r.enabled ? (
          <EuiHealth color="subdued">disabled</EuiHealth>
        ) : !s ? (
          <EuiHealth color="subdued">not evaluated yet</EuiHealth>
        ) : (
          <EuiHealth color={s.status === 'firing' ? 'danger' : 'success'} data-test-subj="rule-status">
            {s.status} ({s.count}) · {formatTime(s.last_checked)}
          </EuiHealth>
        ),
    },
    {
      name: 'Actions',
      render: (r: RuleRow) => (
        <EuiFlexGroup gutterSize="xs" responsive={false} wrap>
          <EuiButtonEmpty
            size="xs"
            data-test-subj="rule-eval"
            onClick={() =>
              act(async () => {
                const e = await api.post<Evaluation>(`${path(r)}/eval`);
                if (e.error) throw new Error(`${r.name}: ${e.error}`);
                return `${r.name}: ${e.status}${e.transition ? ` (${e.transition})` : ''}, ${e.count} matches${e.hosts.length ? `: ${e.hosts.join(', ')}` : ''}`;
              })
            }
          >
            Evaluate now
          </EuiButtonEmpty>
          <EuiButtonEmpty
            size="xs"
            data-test-subj="rule-toggle"
            onClick={() =>
              act(async () => (await api.put(path(r), { enabled: !r.enabled }), `${r.name} ${r.enabled ? 'disabled' : 'enabled'}`))
            }
          >
            {r.enabled ? 'Disable' : 'Enable'}
          </EuiButtonEmpty>
          <ConfirmDelete name={r.name} onConfirm={() => act(async () => (await api.delete(path(r)), `${r.name} deleted`))} />
        </EuiFlexGroup>
      ),
    },
  ];
  return (
    <NamedTable
      outcome={outcome}
      state={list}
      what="alert rules"
      empty={['No alert rules yet', 'Ask a question on the Fleet screen and choose "Create alert rule".']}
      subj="rules-table"
      items={(r) => r.rows}
      columns={columns}
      page={page}
      setPage={setPage}
    />
  );
}

function HistoryTab() {
  const api = useApi();
  const [page, setPage] = useState(1);
  const cursors = useCursors('events');
  const [events] = useLoad(`events:${page}`, () =>
    pageByCursor((cursor) => api.get<Paged & { events: AlertEvent[] }>('/alerts/history', { size: PAGE, cursor }), page, cursors),
  );
  const columns: EuiBasicTableColumn<AlertEvent>[] = [
    { field: '@timestamp', name: 'When', render: (t: string) => formatTime(t) },
    { field: 'rule', name: 'Rule' },
    { field: 'state', name: 'Event', render: (s: string) => <EuiHealth color={s === 'firing' ? 'danger' : 'success'}>{s}</EuiHealth> },
    { field: 'count', name: 'Matches' },
    { field: 'hosts', name: 'Hosts', render: (h: string[]) => <span data-test-subj="event-hosts">{h.join(', ')}</span> },
  ];
  return (
    <Async state={events} loading="Loading alert history…">
      {(r) =>
        r.total === 0 ? (
          <Empty title="No alerts have fired yet" />
        ) : (
          <EuiBasicTable
            tableCaption="Alert history"
            data-test-subj="alert-history"
            items={r.events}
            columns={columns}
            pagination={{ pageIndex: page - 1, pageSize: PAGE, totalItemCount: r.total, showPerPageOptions: false }}
            onChange={onPageChange(setPage)}
          />
        )
      }
    </Async>
  );
}
