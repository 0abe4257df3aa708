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
  EuiPanel,
  EuiSelect,
  EuiSpacer,
  EuiTitle,
  type EuiBasicTableColumn,
} from '@elastic/eui';
import type { OverviewResult } from '@mitra/core';
import { lazy, Suspense, useState, type FormEvent } from 'react';

import type { MitraApi } from '../../api';
import { useApi, useCatalog, useLoad, useLink } from '../hooks';
import { buildRequest, formSpec, formSpecs, placeholder, type Catalog, type Question } from '../questions';
import { bucketChartHeight, facets, formatTime, pageRows, summary, toAnswer, type Answer, type Bucket, type ResultRow } from '../results';
import { onPageChange, pageByCursor, useCursors, type Cursors } from '../components/paging';
import { Async, Empty, ErrorBoundary, ErrorCallOut, Loading } from '../components/status';
import { SaveQuestion } from './save_question';

const Charts = lazy(() => import('../components/charts').then((m) => ({ default: m.BucketChart })));

export const PAGE_SIZE = 50;

/**
 * The question form: a question (from the catalog), its input(s), Search. Submitting changes the URL, which runs the query.
 * It starts from `initial` and is remounted (keyed by the question) when the URL's question changes: resetting its
 * fields in an effect instead ran after the first render, and could wipe what was typed before the effect ran.
 */
export function QuestionForm({ catalog, initial, onSubmit }: { catalog: Catalog; initial?: Question; onSubmit: (q: Question) => void }) {
  const specs = formSpecs(catalog);
  const first = specs.find((s) => s.form.id === 'kernel')?.form.id ?? specs[0]?.form.id ?? '';
  const [type, setType] = useState<string>(initial?.type ?? first);
  const [value, setValue] = useState(initial?.value ?? '');
  const [extra, setExtra] = useState(initial?.extra ?? '');
  const [problem, setProblem] = useState<string>();
  const spec = formSpec(catalog, type) ?? specs[0];
  const submit = (e: FormEvent) => {
    e.preventDefault();
    const q: Question = { type: spec.form.id, value, ...(spec.extra && extra.trim() ? { extra } : {}) };
    const built = buildRequest(catalog, q);
    setProblem(built.ok ? undefined : built.error);
    if (built.ok) onSubmit(q);
  };
  return (
    <EuiForm component="form" onSubmit={submit} data-test-subj="question-form" aria-label="Fleet question">
      <EuiFlexGroup gutterSize="s" alignItems="flexEnd" wrap>
        <EuiFlexItem grow={false} style={{ minWidth: 240 }}>
          <EuiFormRow label="Question">
            <EuiSelect
              data-test-subj="question-type"
              options={specs.map((s) => ({ value: s.form.id, text: s.form.label }))}
              value={spec.form.id}
              onChange={(e) => setType(e.target.value)}
            />
          </EuiFormRow>
        </EuiFlexItem>
        <EuiFlexItem grow={3}>
          <EuiFormRow label={spec.value.label} helpText={spec.value.help} isInvalid={problem !== undefined} error={problem}>
            <EuiFieldText
              data-test-subj="question-value"
              placeholder={placeholder(spec.value, spec.form.defaults)}
              value={value}
              onChange={(e) => setValue(e.target.value)}
            />
          </EuiFormRow>
        </EuiFlexItem>
        {spec.extra && (
          <EuiFlexItem grow={1}>
            <EuiFormRow label={spec.extra.label}>
              <EuiFieldText
                data-test-subj="question-extra"
                placeholder={placeholder(spec.extra, spec.form.defaults)}
                value={extra}
                onChange={(e) => setExtra(e.target.value)}
              />
            </EuiFormRow>
          </EuiFlexItem>
        )}
        <EuiFlexItem grow={false}>
          <EuiFormRow hasEmptyLabelSpace>
            <EuiButton type="submit" fill iconType="search" data-test-subj="question-submit">
              Search
            </EuiButton>
          </EuiFormRow>
        </EuiFlexItem>
      </EuiFlexGroup>
    </EuiForm>
  );
}

type Props = { question?: Question; page: number; onQuestion: (q: Question) => void; onPage: (p: number) => void };

/**
 * The question first, then its answer, then the whole fleet at a glance. Nothing above the form or the answer
 * loads after them, so neither moves under the pointer: with the overview on top, its late arrival (and its
 * charts') pushed the Search button down between aiming and clicking.
 */
export function FleetScreen(props: Props) {
  const catalog = useCatalog();
  return (
    <>
      <Async state={catalog} loading="Reading the questions…">
        {(c) => <FleetQuestions catalog={c} {...props} />}
      </Async>
      <EuiSpacer />
      <FleetOverview />
    </>
  );
}

/** The page of a question's answer: by cursor when the question pages on the server. */
function fetchPage(api: MitraApi, catalog: Catalog, q: Question, page: number, cursors: Cursors) {
  return pageByCursor(
    async (cursor) => {
      const built = buildRequest(catalog, q, PAGE_SIZE, cursor);
      if (!built.ok) throw new Error(built.error);
      return api.get<{ next?: string }>(built.request.path, built.request.query);
    },
    page,
    cursors,
  );
}

function FleetQuestions({ catalog, question, page, onQuestion, onPage }: Props & { catalog: Catalog }) {
  const api = useApi();
  const built = question ? buildRequest(catalog, question, PAGE_SIZE) : undefined;
  const serverPaged = built?.ok === true && built.request.serverPaged;
  const key = built?.ok ? JSON.stringify({ ...built.request, page: serverPaged ? page : 1 }) : null;
  // Cursors of the pages seen, for the question on screen (a new question starts afresh).
  const cursors = useCursors(built?.ok ? JSON.stringify(built.request) : null);
  const [state] = useLoad(key, async () =>
    toAnswer(formSpec(catalog, question!.type)!.question.id, await fetchPage(api, catalog, question!, serverPaged ? page : 1, cursors)),
  );
  return (
    <>
      <QuestionForm key={JSON.stringify(question ?? null)} catalog={catalog} initial={question} onSubmit={onQuestion} />
      <EuiSpacer />
      {!question && (
        <Empty title="Ask the fleet a question">
          Pick a question above, or write a Lucene query such as filename:"/etc/fstab" AND content:ext4.
        </Empty>
      )}
      {built && !built.ok && <ErrorCallOut title="The question is incomplete" error={built.error} />}
      <Async state={state} loading="Asking the fleet…">
        {(answer) => (
          <AnswerView catalog={catalog} question={question!} answer={answer} page={page} onPage={onPage} serverPaged={serverPaged} />
        )}
      </Async>
    </>
  );
}

function AnswerView({
  catalog,
  question,
  answer,
  page,
  onPage,
  serverPaged,
}: {
  catalog: Catalog;
  question: Question;
  answer: Answer;
  page: number;
  onPage: (p: number) => void;
  serverPaged: boolean;
}) {
  const { kernel, os } = facets(answer.rows);
  const rows = serverPaged ? answer.rows : pageRows(answer.rows, page, PAGE_SIZE);
  const totalRows = serverPaged ? answer.total : answer.rows.length;
  return (
    <>
      <EuiFlexGroup alignItems="center" justifyContent="spaceBetween" wrap>
        <EuiFlexItem grow={false}>
          <EuiTitle size="s">
            {/* data-query says which question this answer is for (tests wait on it; screen readers ignore it). */}
            <h2 data-test-subj="fleet-summary" data-query={`${question.type}:${question.value}:${question.extra ?? ''}`}>
              {summary(answer)}
            </h2>
          </EuiTitle>
        </EuiFlexItem>
        <EuiFlexItem grow={false}>
          <SaveQuestion catalog={catalog} question={question} currentCount={answer.total} />
        </EuiFlexItem>
      </EuiFlexGroup>
      {answer.conditions && (
        <EuiFlexGroup gutterSize="xs" wrap responsive={false}>
          {answer.conditions.map((c) => (
            <EuiFlexItem grow={false} key={c}>
              <EuiBadge>{c}</EuiBadge>
            </EuiFlexItem>
          ))}
        </EuiFlexGroup>
      )}
      {answer.unknown && answer.unknown.length > 0 && (
        <>
          <EuiSpacer size="s" />
          <EuiCallOut
            title={`${answer.unknown.length} hosts send no package inventory and are not counted`}
            color="warning"
            iconType="warning"
            size="s"
            data-test-subj="unknown-hosts"
          >
            <p>{answer.unknown.join(', ')}</p>
          </EuiCallOut>
        </>
      )}
      <EuiSpacer size="m" />
      {/* Kernel and OS facets count the rows at hand: one page when the server pages, so say so rather than pass it off as the answer. */}
      <Facets
        distribution={answer.distribution}
        kernel={kernel}
        os={os}
        titlePrefix={answer.rows.length < answer.total ? `This page (${answer.rows.length} of ${answer.total} hosts): ` : ''}
      />
      {answer.total === 0 ? (
        <Empty title="No host matches">Nothing in the current state answers this question.</Empty>
      ) : (
        <ResultsTable rows={rows} page={page} total={totalRows} onPage={onPage} />
      )}
    </>
  );
}

/** The whole fleet at a glance (GET /api/mitra/overview): host count, kernels and OS, whatever the question. */
function FleetOverview() {
  const api = useApi();
  const [state] = useLoad('overview', () => api.get<OverviewResult>('/overview'));
  const toBuckets = (xs: { value: string; hosts: number }[]): Bucket[] => xs.map((x) => ({ label: x.value, count: x.hosts }));
  return (
    <Async state={state} loading="Reading the fleet…">
      {(o) => (
        <>
          <EuiTitle size="xs">
            <h2 data-test-subj="overview-summary">
              Fleet: {o.approximate ? 'about ' : ''}
              {o.hosts} hosts{o.asOf ? `, as of ${formatTime(o.asOf)}` : ''}
            </h2>
          </EuiTitle>
          <EuiSpacer size="s" />
          <Facets kernel={toBuckets(o.kernels)} os={toBuckets(o.os)} subjPrefix="overview" titlePrefix="Whole fleet: " />
        </>
      )}
    </Async>
  );
}

function Facets({
  distribution,
  kernel,
  os,
  subjPrefix = 'facet',
  titlePrefix = '',
}: {
  distribution?: Bucket[];
  kernel: Bucket[];
  os: Bucket[];
  subjPrefix?: string;
  /** Tells the fleet-wide panels from an answer's (titles are also the lists' labels). */
  titlePrefix?: string;
}) {
  const panels = [
    distribution && distribution.length > 0 && { id: 'distribution', title: 'Hosts per value', buckets: distribution },
    kernel.length > 0 && { id: 'kernel', title: `${titlePrefix}Hosts per kernel`, buckets: kernel },
    os.length > 0 && { id: 'os', title: `${titlePrefix}Hosts per OS`, buckets: os },
  ].filter((p): p is { id: string; title: string; buckets: Bucket[] } => Boolean(p));
  if (!panels.length) return null;
  return (
    <>
      <EuiFlexGroup wrap>
        {panels.map((p) => (
          <EuiFlexItem key={p.id} style={{ minWidth: 280 }}>
            <EuiPanel hasBorder paddingSize="s">
              <EuiTitle size="xxs">
                <h3>{p.title}</h3>
              </EuiTitle>
              <ul aria-label={p.title} data-test-subj={`${subjPrefix}-${p.id}`} style={{ fontSize: 12 }}>
                {p.buckets.slice(0, 8).map((b) => (
                  <li key={b.label}>
                    {b.label}: {b.count}
                  </li>
                ))}
              </ul>
              <ErrorBoundary title="The chart could not be drawn">
                <Suspense
                  fallback={
                    <div style={{ height: bucketChartHeight(p.buckets) }}>
                      <Loading label="Loading chart…" />
                    </div>
                  }
                >
                  <Charts id={`${subjPrefix}-${p.id}`} title={p.title} buckets={p.buckets} />
                </Suspense>
              </ErrorBoundary>
            </EuiPanel>
          </EuiFlexItem>
        ))}
      </EuiFlexGroup>
      <EuiSpacer size="m" />
    </>
  );
}

export function ResultsTable({
  rows,
  page,
  total,
  onPage,
}: {
  rows: ResultRow[];
  page: number;
  total: number;
  onPage: (p: number) => void;
}) {
  const link = useLink();
  const columns: EuiBasicTableColumn<ResultRow>[] = [
    {
      field: 'host',
      name: 'Host',
      render: (host: string) => (
        <EuiLink {...link({ screen: 'host', host })} data-test-subj="result-host">
          {host}
        </EuiLink>
      ),
    },
    {
      field: 'path',
      name: 'File',
      render: (path: string | undefined, row: ResultRow) =>
        path ? <EuiLink {...link({ screen: 'host', host: row.host, path })}>{path}</EuiLink> : '—',
    },
    { field: 'value', name: 'Value', render: (v: string) => <code>{v || '—'}</code> },
    { field: 'lastSeen', name: 'Last seen', render: (t: string | null) => formatTime(t) },
  ];
  return (
    <EuiBasicTable
      data-test-subj="results-table"
      tableCaption="Matching hosts"
      items={rows}
      rowHeader="host"
      columns={columns}
      pagination={{ pageIndex: page - 1, pageSize: PAGE_SIZE, totalItemCount: total, showPerPageOptions: false }}
      onChange={onPageChange(onPage)}
    />
  );
}
