import {
  EuiBasicTable,
  EuiButton,
  EuiButtonGroup,
  EuiCallOut,
  EuiFieldText,
  EuiFlexGroup,
  EuiFlexItem,
  EuiFormRow,
  EuiPanel,
  EuiSpacer,
  EuiText,
  EuiTitle,
} from '@elastic/eui';
import type { IncidentReport } from '@mitra/core';
import { lazy, Suspense, useState, type ReactNode } from 'react';
import { useApi, useLoad } from '../hooks';
import type { Route } from '../routes';
import { Async, Empty, ErrorBoundary, Loading } from '../components/status';
import type { TimeLinks } from '../components/incident_charts';

const charts = () => import('../components/incident_charts');
const MemoryChart = lazy(() => charts().then((m) => ({ default: m.MemoryChart })));
const ZoneCharts = lazy(() => charts().then((m) => ({ default: m.ZoneCharts })));
const FragmentationChart = lazy(() => charts().then((m) => ({ default: m.FragmentationChart })));
const ReclaimChart = lazy(() => charts().then((m) => ({ default: m.ReclaimChart })));

type HostRoute = Extract<Route, { screen: 'host' }>;

const PRESETS = [
  { id: '15m', label: 'last 15 min', ms: 15 * 60_000 },
  { id: '1h', label: 'last hour', ms: 3_600_000 },
  { id: '1d', label: 'last day', ms: 86_400_000 },
];
const VERDICT_COLOR: Record<string, 'primary' | 'warning' | 'danger' | 'success'> = {
  page_cache_eviction: 'warning',
  anonymous_demand: 'danger',
  no_clear_pattern: 'primary',
  insufficient_data: 'primary',
};

/**
 * Host → Memory: incident replay of a window (from/to in the URL, so a window
 * is a link). Verdict on top, then memory, zones against their watermarks,
 * fragmentation and reclaim rates on one time axis, then the settings.
 */
export function IncidentScreen({ route, navigate }: { route: HostRoute; navigate: (r: Route) => void }) {
  const window = isInstant(route.from) && isInstant(route.to) ? { from: route.from!, to: route.to! } : null;
  const open = (from: number, to: number) =>
    navigate({ screen: 'host', host: route.host, view: 'memory', from: new Date(from).toISOString(), to: new Date(to).toISOString() });
  const width = window ? Date.parse(window.to) - Date.parse(window.from) : 3_600_000;
  const links: TimeLinks = {
    // A point opens a window a quarter as wide, centred on it: zooming in on a moment.
    onPoint: (t) => open(t - width / 8, t + width / 8),
    onRange: open,
  };
  return (
    <EuiPanel hasBorder data-test-subj="incident-screen">
      <EuiTitle size="s">
        <h3>Incident replay</h3>
      </EuiTitle>
      <WindowPicker key={`${window?.from}-${window?.to}`} window={window} onApply={open} />
      <EuiSpacer size="m" />
      {window ? (
        <IncidentView host={route.host} from={window.from} to={window.to} links={links} />
      ) : (
        <EuiText size="s" color="subdued" data-test-subj="incident-hint">
          Pick a window, or brush a range on a chart, to see what memory did in it.
        </EuiText>
      )}
    </EuiPanel>
  );
}

function WindowPicker({ window, onApply }: { window: { from: string; to: string } | null; onApply: (from: number, to: number) => void }) {
  const [from, setFrom] = useState(window?.from ?? '');
  const [to, setTo] = useState(window?.to ?? '');
  const valid = isInstant(from) && isInstant(to) && Date.parse(from) < Date.parse(to);
  return (
    <EuiFlexGroup alignItems="flexEnd" gutterSize="s" wrap responsive={false}>
      <EuiFlexItem grow={false}>
        <EuiFormRow label="From (UTC)">
          <EuiFieldText
            value={from}
            onChange={(e) => setFrom(e.target.value)}
            placeholder="2016-09-10T10:53:00Z"
            data-test-subj="incident-from"
          />
        </EuiFormRow>
      </EuiFlexItem>
      <EuiFlexItem grow={false}>
        <EuiFormRow label="To (UTC)">
          <EuiFieldText
            value={to}
            onChange={(e) => setTo(e.target.value)}
            placeholder="2016-09-10T10:54:00Z"
            data-test-subj="incident-to"
          />
        </EuiFormRow>
      </EuiFlexItem>
      <EuiFlexItem grow={false}>
        <EuiButton size="s" isDisabled={!valid} onClick={() => onApply(Date.parse(from), Date.parse(to))} data-test-subj="incident-apply">
          Replay
        </EuiButton>
      </EuiFlexItem>
      <EuiFlexItem grow={false}>
        <EuiButtonGroup
          legend="Recent windows"
          buttonSize="s"
          options={PRESETS.map((p) => ({ id: p.id, label: p.label }))}
          idSelected=""
          onChange={(id) => {
            const now = Date.now();
            onApply(now - PRESETS.find((p) => p.id === id)!.ms, now);
          }}
        />
      </EuiFlexItem>
    </EuiFlexGroup>
  );
}

function IncidentView({ host, from, to, links }: { host: string; from: string; to: string; links: TimeLinks }) {
  const api = useApi();
  const [report] = useLoad(`incident:${host}:${from}:${to}`, () => api.get<IncidentReport>('/incident', { host, from, to }));
  return (
    <Async state={report} loading="Replaying the window…">
      {(r) =>
        r.verdict.kind === 'insufficient_data' ? (
          <Empty title={`Not enough /proc/meminfo from ${host} in this window`}>{r.verdict.summary}</Empty>
        ) : (
          <>
            <EuiCallOut
              title="Verdict"
              color={VERDICT_COLOR[r.verdict.kind]}
              iconType="memory"
              data-test-subj="incident-verdict"
              data-kind={r.verdict.kind}
            >
              <ul>
                {r.verdict.claims.map((c) => (
                  <li key={c.text}>{c.text}</li>
                ))}
              </ul>
            </EuiCallOut>
            <EuiText size="xs" color="subdued" data-test-subj="incident-sources">
              {r.memory.observations} meminfo, {r.reclaim.observations} vmstat observations · {r.sources.history} history snapshots,{' '}
              {r.sources.samples} samples · kernel {r.kernel ?? 'unknown'}
            </EuiText>
            <EuiSpacer size="s" />
            <Section title="Page cache and anonymous memory">
              <MemoryChart report={r} links={links} />
            </Section>
            <Section title="Free pages against watermarks">
              <ZoneCharts report={r} links={links} />
            </Section>
            <Section title="Fragmentation">
              <FragmentationChart report={r} links={links} />
            </Section>
            <Section title="Reclaim and swap">
              <ReclaimChart report={r} links={links} />
            </Section>
            <EuiTitle size="xs">
              <h4>Settings in force</h4>
            </EuiTitle>
            <EuiBasicTable
              tableCaption="Settings in force"
              data-test-subj="incident-settings"
              items={r.settings}
              columns={[
                { field: 'key', name: 'Setting' },
                { field: 'value', name: 'Value' },
                { field: 'since', name: 'Recorded' },
              ]}
            />
          </>
        )
      }
    </Async>
  );
}

function Section({ title, children }: { title: string; children: ReactNode }) {
  return (
    <>
      <EuiTitle size="xs">
        <h4>{title}</h4>
      </EuiTitle>
      <ErrorBoundary title="The chart could not be drawn">
        <Suspense fallback={<Loading label="Loading chart…" />}>{children}</Suspense>
      </ErrorBoundary>
      <EuiSpacer size="m" />
    </>
  );
}

const isInstant = (s: string | undefined): boolean =>
  typeof s === 'string' && /^\d{4}-\d\d-\d\dT/.test(s) && Number.isFinite(Date.parse(s));
