import {
  AnnotationDomainType,
  Axis,
  Chart,
  LineAnnotation,
  LineSeries,
  Position,
  ScaleType,
  Settings,
  type BrushEndListener,
  type ElementClickListener,
  type XYChartElementEvent,
} from '@elastic/charts';
import type { IncidentReport } from '@mitra/core';
import { useRef } from 'react';

/**
 * The incident screen's charts, in their own lazy chunk (@elastic/charts is
 * large). Every chart shares the window as its x domain, so they line up on
 * one time axis; a click on a point or a brushed range opens that moment.
 */
export interface TimeLinks {
  /** A click on the point at time t (ms). */
  onPoint: (t: number) => void;
  /** A brushed range [from, to] (ms). */
  onRange: (from: number, to: number) => void;
}

interface Line {
  id: string;
  name: string;
  data: { x: number; y: number }[];
}

const GIB = 2 ** 30;
/**
 * Every chart's value labels take the same width (figure spaces are as wide as
 * digits), so the plot areas start at the same x and the time axes line up.
 */
/** A fixed legend width, so the plot areas also end at the same x. */
const LEGEND_WIDTH = 170;
const sameWidth = (text: string) => text.padStart(10, '\u2007');
const bytesTick = (v: number) => sameWidth(Math.abs(v) >= GIB ? `${(v / GIB).toFixed(1)} GiB` : `${(v / 2 ** 20).toFixed(0)} MiB`);
const countTick = (v: number) => sameWidth(Math.round(v).toLocaleString('en-US'));
const timeTick = (v: number) => new Date(v).toISOString().slice(11, 19);

function TimeChart({
  id,
  title,
  lines,
  domain,
  links,
  tick,
  marks = [],
  height = 220,
}: {
  id: string;
  title: string;
  lines: Line[];
  domain: { min: number; max: number };
  links: TimeLinks;
  tick: (v: number) => string;
  marks?: { id: string; value: number; label: string; color: string }[];
  height?: number;
}) {
  const onElementClick: ElementClickListener = (elements) => {
    const [value] = (elements[0] ?? []) as XYChartElementEvent;
    if (value && typeof value.x === 'number') links.onPoint(value.x);
  };
  // Where the plot area sits, written straight to the DOM (no re-render) for the end-to-end test that checks the time axes line up.
  const box = useRef<HTMLDivElement>(null);
  const onBrushEnd: BrushEndListener = (e) => {
    const x = 'x' in e ? e.x : undefined;
    if (x && x[1] > x[0]) links.onRange(Number(x[0]), Number(x[1]));
  };
  return (
    <div style={{ height }} data-test-subj={`incident-chart-${id}`} ref={box} aria-label={title}>
      <Chart title={title}>
        <Settings
          showLegend
          legendPosition={Position.Right}
          legendSize={LEGEND_WIDTH}
          xDomain={domain}
          onElementClick={onElementClick}
          onBrushEnd={onBrushEnd}
          onProjectionAreaChange={({ projection }) =>
            box.current?.setAttribute('data-plot', `${Math.round(projection.left)},${Math.round(projection.width)}`)
          }
        />
        <Axis id="time" position={Position.Bottom} tickFormat={timeTick} />
        <Axis id="value" position={Position.Left} title={title} tickFormat={tick} ticks={4} />
        {marks.map((m) => (
          <LineAnnotation
            key={m.id}
            id={m.id}
            domainType={AnnotationDomainType.YDomain}
            dataValues={[{ dataValue: m.value, details: m.label }]}
            style={{ line: { stroke: m.color, strokeWidth: 1.5, opacity: 1, dash: [4, 3] } }}
            marker={<span data-test-subj={`watermark-${m.id}`}>{m.label}</span>}
            markerPosition={Position.Right}
          />
        ))}
        {lines.map((l) => (
          <LineSeries
            key={l.id}
            id={l.id}
            name={l.name}
            data={l.data}
            xScaleType={ScaleType.Time}
            yScaleType={ScaleType.Linear}
            xAccessor="x"
            yAccessors={['y']}
          />
        ))}
      </Chart>
    </div>
  );
}

const MEMORY_LINES = ['Cached', 'AnonPages', 'Buffers', 'Active(file)', 'Inactive(file)', 'MemFree', 'Dirty', 'Writeback'] as const;

export function MemoryChart({ report, links }: { report: IncidentReport; links: TimeLinks }) {
  const lines = MEMORY_LINES.map((k) => ({
    id: k,
    name: k,
    data: report.memory.points.filter((p) => typeof p[k] === 'number').map((p) => ({ x: Date.parse(p.t), y: p[k]! })),
  })).filter((l) => l.data.length);
  return (
    <TimeChart id="memory" title="bytes (meminfo)" lines={lines} domain={domainOf(report)} links={links} tick={bytesTick} height={260} />
  );
}

/** One chart per zone: free pages, with min, low and high drawn as lines. */
export function ZoneCharts({ report, links }: { report: IncidentReport; links: TimeLinks }) {
  return (
    <>
      {report.zones.map((z, i) => (
        <TimeChart
          key={z.label}
          id={`zone-${i}`}
          title={`${z.label} free pages`}
          lines={[{ id: `free-${i}`, name: 'free', data: z.points.map((p) => ({ x: Date.parse(p.t), y: p.free })) }]}
          domain={domainOf(report)}
          links={links}
          tick={countTick}
          height={150}
          marks={[
            { id: `min-${i}`, value: z.min, label: `min ${countTick(z.min)}`, color: '#bd271e' },
            { id: `low-${i}`, value: z.low, label: `low ${countTick(z.low)}`, color: '#f5a700' },
            { id: `high-${i}`, value: z.high, label: `high ${countTick(z.high)}`, color: '#54b399' },
          ]}
        />
      ))}
    </>
  );
}

export function FragmentationChart({ report, links }: { report: IncidentReport; links: TimeLinks }) {
  const lines = report.fragmentation.zones.map((z) => ({
    id: z.label,
    name: z.label,
    data: z.points.map((p) => ({ x: Date.parse(p.t), y: p.blocks })),
  }));
  return (
    <TimeChart
      id="fragmentation"
      title={`free blocks of order ≥ ${report.fragmentation.order}`}
      lines={lines}
      domain={domainOf(report)}
      links={links}
      tick={countTick}
    />
  );
}

/** Rates are per interval: drawn at the interval's end, where the counter was read. */
export function ReclaimChart({ report, links }: { report: IncidentReport; links: TimeLinks }) {
  const names = ['pgscan_kswapd', 'pgsteal_kswapd', 'pgscan_direct', 'pgsteal_direct', 'pgmajfault', 'pswpout'] as const;
  const lines = names
    .map((n) => ({
      id: n,
      name: `${n}/s`,
      data: report.reclaim.intervals.filter((i) => i.rates[n] !== undefined).map((i) => ({ x: Date.parse(i.to), y: i.rates[n]! })),
    }))
    .filter((l) => l.data.length);
  return <TimeChart id="reclaim" title="per second (vmstat)" lines={lines} domain={domainOf(report)} links={links} tick={countTick} />;
}

const domainOf = (r: IncidentReport) => ({ min: Date.parse(r.from), max: Date.parse(r.to) });

export default { MemoryChart, ZoneCharts, FragmentationChart, ReclaimChart };
