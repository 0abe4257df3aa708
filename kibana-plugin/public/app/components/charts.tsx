import { Axis, BarSeries, Chart, DARK_THEME, LIGHT_THEME, LineSeries, Position, ScaleType, Settings } from '@elastic/charts';
import { useEuiTheme } from '@elastic/eui';
import { bucketChartHeight, CHART_BARS, type Bucket } from '../results';

/** Charts follow the page's color mode (Kibana's dark mode comes through the EuiProvider). */
function useChartTheme() {
  return useEuiTheme().colorMode === 'DARK' ? DARK_THEME : LIGHT_THEME;
}

/**
 * Charts, in their own chunk: @elastic/charts is large and only the screens
 * that draw a chart load it (React.lazy).
 */
export function BucketChart({ id, title, buckets }: { id: string; title: string; buckets: Bucket[] }) {
  const baseTheme = useChartTheme();
  return (
    <div style={{ height: bucketChartHeight(buckets) }} data-test-subj={`chart-${id}`} aria-label={title}>
      <Chart>
        <Settings baseTheme={baseTheme} rotation={90} showLegend={false} />
        <Axis id="label" position={Position.Left} />
        <Axis id="count" position={Position.Bottom} title={title} ticks={4} />
        <BarSeries
          id={id}
          name={title}
          data={buckets.slice(0, CHART_BARS)}
          xScaleType={ScaleType.Ordinal}
          yScaleType={ScaleType.Linear}
          xAccessor="label"
          yAccessors={['count']}
        />
      </Chart>
    </div>
  );
}

export interface Line {
  id: string;
  name: string;
  points: { t: string; value: number }[];
}

export function SeriesChart({ title, lines }: { title: string; lines: Line[] }) {
  const baseTheme = useChartTheme();
  return (
    <div style={{ height: 260 }} data-test-subj="chart-series" aria-label={title}>
      <Chart>
        <Settings baseTheme={baseTheme} showLegend legendPosition={Position.Bottom} />
        <Axis id="time" position={Position.Bottom} tickFormat={(v: number) => new Date(v).toISOString().slice(5, 16).replace('T', ' ')} />
        <Axis id="bytes" position={Position.Left} title={title} tickFormat={(v: number) => `${(v / 2 ** 20).toFixed(0)} MiB`} />
        {lines.map((l) => (
          <LineSeries
            key={l.id}
            id={l.id}
            name={l.name}
            data={l.points.map((p) => ({ x: Date.parse(p.t), y: p.value }))}
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

export default { BucketChart, SeriesChart };
