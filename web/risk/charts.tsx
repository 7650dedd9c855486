/**
 * Hand-made SVG charts from the API's figures: no library, nothing fetched, text labels in
 * the SVG and a table alternative for screen readers (role="img" with a summary).
 */
import { tr } from '../shared/i18n';

interface Bar {
  label: string;
  value: number;
  /** CSS colour of the bar. */
  color?: string;
}

const W = 360;
const H = 180;
const PAD = { top: 14, right: 8, bottom: 32, left: 48 };

const INNER_H = H - PAD.top - PAD.bottom;

/** The base line and the value scale (its top and 0) on the left. */
function Axis(props: { top: string }) {
  return (
    <>
      <line
        x1={PAD.left}
        y1={PAD.top + INNER_H}
        x2={W - PAD.right}
        y2={PAD.top + INNER_H}
        stroke="#4a5360"
      />
      <text x={PAD.left - 4} y={PAD.top + 4} text-anchor="end">
        {props.top}
      </text>
      <text x={PAD.left - 4} y={PAD.top + INNER_H} text-anchor="end">
        0
      </text>
    </>
  );
}

/** A dashed line at `at.index` bars from the left (e.g. the approve cutoff), labelled. */
function Marker(props: { at: { index: number; label: string }; step: number }) {
  const x = PAD.left + props.at.index * props.step;
  return (
    <g>
      <line
        x1={x}
        x2={x}
        y1={PAD.top - 6}
        y2={PAD.top + INNER_H}
        stroke="#a8151b"
        stroke-width="2"
        stroke-dasharray="4 3"
      />
      <text x={x + 4} y={PAD.top + 4} fill="#a8151b">
        {props.at.label}
      </text>
    </g>
  );
}

/** Vertical bars with an optional marker line at `markAt` (an index between bars). */
/** The chart's title and a legend of coloured swatches, one per series. */
function ColorCaption(props: { title: string; entries: { name: string; color: string }[] }) {
  return (
    <figcaption>
      <strong>{props.title}</strong>
      <span class="legend">
        {props.entries.map((s) => (
          <span key={s.name}>
            <svg width="10" height="10" aria-hidden="true">
              <rect width="10" height="10" fill={s.color} />
            </svg>{' '}
            {s.name}
          </span>
        ))}
      </span>
    </figcaption>
  );
}

export function BarChart(props: {
  title: string;
  bars: Bar[];
  format?: (v: number) => string;
  markAt?: { index: number; label: string };
  testId?: string;
}) {
  const { bars } = props;
  const fmt = props.format ?? ((v: number) => String(v));
  const max = Math.max(1, ...bars.map((b) => b.value));
  const innerW = W - PAD.left - PAD.right;
  const innerH = H - PAD.top - PAD.bottom;
  const step = bars.length ? innerW / bars.length : innerW;
  const summary = bars.map((b) => `${b.label}: ${fmt(b.value)}`).join('; ');
  const every = Math.max(1, Math.ceil(bars.length / 8));
  return (
    <figure class="chart-figure">
      <figcaption>
        <strong>{props.title}</strong>
      </figcaption>
      <svg
        class="chart"
        viewBox={`0 0 ${W} ${H}`}
        role="img"
        aria-label={`${props.title}: ${summary}`}
        data-testid={props.testId}
      >
        <Axis top={fmt(max)} />
        {bars.map((b, i) => {
          const h = (b.value / max) * innerH;
          const x = PAD.left + i * step;
          return (
            <g key={b.label}>
              <rect
                x={x + step * 0.1}
                y={PAD.top + innerH - h}
                width={step * 0.8}
                height={h}
                fill={b.color ?? '#0b57a4'}
              >
                <title>{`${b.label}: ${fmt(b.value)}`}</title>
              </rect>
              {i % every === 0 && (
                <text x={x + step / 2} y={H - PAD.bottom + 14} text-anchor="middle">
                  {b.label}
                </text>
              )}
            </g>
          );
        })}
        {props.markAt && <Marker at={props.markAt} step={step} />}
      </svg>
    </figure>
  );
}

/** Two series side by side per category (candidate against champion, or expected and actual). */
export function PairChart(props: {
  title: string;
  categories: string[];
  a: { name: string; values: number[] };
  b: { name: string; values: number[] };
  format: (v: number) => string;
}) {
  const max = Math.max(1e-9, ...props.a.values, ...props.b.values);
  const innerW = W - PAD.left - PAD.right;
  const innerH = H - PAD.top - PAD.bottom;
  const step = props.categories.length ? innerW / props.categories.length : innerW;
  const summary = props.categories
    .map(
      (c, i) =>
        `${c}: ${props.a.name} ${props.format(props.a.values[i] ?? 0)}, ${props.b.name} ${props.format(props.b.values[i] ?? 0)}`,
    )
    .join('; ');
  return (
    <figure class="chart-figure">
      <figcaption>
        <strong>{props.title}</strong>
        <span class="legend">
          <span>
            <span class="swatch sw-a" />
            {props.a.name}
          </span>
          <span>
            <span class="swatch sw-b" />
            {props.b.name}
          </span>
        </span>
      </figcaption>
      <svg
        class="chart"
        viewBox={`0 0 ${W} ${H}`}
        role="img"
        aria-label={`${props.title}: ${summary}`}
      >
        <line
          x1={PAD.left}
          y1={PAD.top + innerH}
          x2={W - PAD.right}
          y2={PAD.top + innerH}
          stroke="#4a5360"
        />
        <text x={PAD.left - 4} y={PAD.top + 4} text-anchor="end">
          {props.format(max)}
        </text>
        {props.categories.map((c, i) => {
          const x = PAD.left + i * step;
          const ha = ((props.a.values[i] ?? 0) / max) * innerH;
          const hb = ((props.b.values[i] ?? 0) / max) * innerH;
          return (
            <g key={c}>
              <rect
                x={x + step * 0.1}
                y={PAD.top + innerH - ha}
                width={step * 0.38}
                height={ha}
                fill="#0b57a4"
              />
              <rect
                x={x + step * 0.52}
                y={PAD.top + innerH - hb}
                width={step * 0.38}
                height={hb}
                fill="#b3261e"
              />
              <text x={x + step / 2} y={H - PAD.bottom + 14} text-anchor="middle">
                {c}
              </text>
            </g>
          );
        })}
      </svg>
    </figure>
  );
}

interface Segment {
  name: string;
  color: string;
}

/** Vertical bars split into stacked segments (e.g. a score bin's cases by outcome), with a legend. */
export function StackedBarChart(props: {
  title: string;
  segments: Segment[];
  bars: { label: string; values: number[] }[];
  markAt?: { index: number; label: string };
  testId?: string;
}) {
  const { bars, segments } = props;
  const totals = bars.map((b) => b.values.reduce((a, v) => a + v, 0));
  const max = Math.max(1, ...totals);
  const innerW = W - PAD.left - PAD.right;
  const innerH = H - PAD.top - PAD.bottom;
  const step = bars.length ? innerW / bars.length : innerW;
  const every = Math.max(1, Math.ceil(bars.length / 8));
  const describe = (b: { label: string; values: number[] }) =>
    `${b.label}: ${segments.map((s, i) => `${s.name} ${b.values[i] ?? 0}`).join(', ')}`;
  return (
    <figure class="chart-figure">
      <ColorCaption title={props.title} entries={segments} />
      <svg
        class="chart"
        viewBox={`0 0 ${W} ${H}`}
        role="img"
        aria-label={`${props.title}: ${bars.map(describe).join('; ')}`}
        data-testid={props.testId}
      >
        <Axis top={String(max)} />
        {bars.map((b, i) => {
          const x = PAD.left + i * step;
          let top = PAD.top + innerH;
          return (
            <g key={b.label}>
              {segments.map((s, j) => {
                const h = ((b.values[j] ?? 0) / max) * innerH;
                top -= h;
                return (
                  <rect
                    key={s.name}
                    x={x + step * 0.1}
                    y={top}
                    width={step * 0.8}
                    height={h}
                    fill={s.color}
                  >
                    <title>{`${b.label} ${s.name}: ${b.values[j] ?? 0}`}</title>
                  </rect>
                );
              })}
              {i % every === 0 && (
                <text x={x + step / 2} y={H - PAD.bottom + 14} text-anchor="middle">
                  {b.label}
                </text>
              )}
            </g>
          );
        })}
        {props.markAt && <Marker at={props.markAt} step={step} />}
      </svg>
    </figure>
  );
}

/**
 * Lines over time (e.g. Gini, KS and PSI by month), one per series, with a dot at each value; a
 * null value (no data that month) leaves a gap, never a guessed point.
 */
export function LineChart(props: {
  title: string;
  categories: string[];
  series: { name: string; color: string; values: (number | null)[] }[];
  format: (v: number) => string;
  testId?: string;
}) {
  const { categories, series } = props;
  const all = series.flatMap((s) => s.values.filter((v): v is number => v !== null));
  const lo = Math.min(0, ...all);
  const hi = Math.max(1e-9, ...all);
  const innerW = W - PAD.left - PAD.right;
  const step = categories.length ? innerW / categories.length : innerW;
  const x = (i: number) => PAD.left + step * (i + 0.5);
  const y = (v: number) => PAD.top + INNER_H - ((v - lo) / (hi - lo)) * INNER_H;
  const every = Math.max(1, Math.ceil(categories.length / 6));
  const show = (v: number | null) => (v === null ? '—' : props.format(v));
  const summary = series
    .map(
      (s) =>
        `${s.name}: ${categories.map((c, i) => `${c} ${show(s.values[i] ?? null)}`).join(', ')}`,
    )
    .join('; ');
  return (
    <figure class="chart-figure">
      <ColorCaption title={props.title} entries={series} />
      <svg
        class="chart"
        viewBox={`0 0 ${W} ${H}`}
        role="img"
        aria-label={`${props.title}: ${summary}`}
        data-testid={props.testId}
      >
        <line x1={PAD.left} y1={y(lo)} x2={W - PAD.right} y2={y(lo)} stroke="#4a5360" />
        {lo < 0 && <line x1={PAD.left} y1={y(0)} x2={W - PAD.right} y2={y(0)} stroke="#c9d0d8" />}
        <text x={PAD.left - 4} y={PAD.top + 4} text-anchor="end">
          {props.format(hi)}
        </text>
        <text x={PAD.left - 4} y={PAD.top + INNER_H} text-anchor="end">
          {props.format(lo)}
        </text>
        {categories.map(
          (c, i) =>
            i % every === 0 && (
              <text key={c} x={x(i)} y={H - PAD.bottom + 14} text-anchor="middle">
                {c}
              </text>
            ),
        )}
        {series.map((s) => {
          // Runs of consecutive values: a line through each, a gap where a value is null.
          const runs: { i: number; v: number }[][] = [];
          s.values.forEach((v, i) => {
            if (v === null) return;
            const last = runs[runs.length - 1];
            if (last && last[last.length - 1]?.i === i - 1) last.push({ i, v });
            else runs.push([{ i, v }]);
          });
          return (
            <g key={s.name}>
              {runs
                .filter((r) => r.length > 1)
                .map((r) => (
                  <polyline
                    key={r[0]?.i}
                    points={r.map((p) => `${x(p.i)},${y(p.v)}`).join(' ')}
                    fill="none"
                    stroke={s.color}
                    stroke-width="2"
                  />
                ))}
              {runs.flat().map((p) => (
                <circle key={p.i} cx={x(p.i)} cy={y(p.v)} r="3.5" fill={s.color}>
                  <title>{`${s.name} ${categories[p.i]}: ${props.format(p.v)}`}</title>
                </circle>
              ))}
            </g>
          );
        })}
      </svg>
    </figure>
  );
}

export const pct = (v: number) => `${(v * 100).toFixed(1)}%`;
export const noData = () => tr('暂无数据', 'No data yet');
