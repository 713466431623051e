// charts.js — the only module that knows uPlot (served from /vendor/uplot/,
// installed from npm). Daily time series as lines; sized to their container;
// each chart also gets a text summary for screen readers.
import { h } from './dom.js';

let uPlotPromise = null;
function loadUPlot() {
  uPlotPromise ??= import('/vendor/uplot/uPlot.esm.js').then((m) => m.default);
  return uPlotPromise;
}

function cssVar(name, fallback) {
  return getComputedStyle(document.documentElement).getPropertyValue(name).trim() || fallback;
}

const dayTs = (day) => new Date(`${day}T00:00:00`).getTime() / 1000;

/**
 * A daily line chart in `container`.
 * spec: {label, series:[{label, color:'--css-var', values:[…]}], days:[YYYY-MM-DD], yFormat(v), yMax}
 * Returns {update(days, series), destroy()}.
 */
export async function dailyChart(container, spec) {
  const uPlot = await loadUPlot();
  const box = h('div', { class: 'chart-canvas', role: 'img', 'aria-label': spec.label });
  container.append(box);
  const fmt = spec.yFormat ?? ((v) => (v == null ? '—' : String(Math.round(v))));
  const width = () => Math.max(260, container.clientWidth || 600);
  const height = () => (window.innerWidth < 640 ? 220 : 280);

  const opts = {
    width: width(),
    height: height(),
    cursor: { drag: { x: false, y: false } },
    scales: { x: { time: true }, y: { range: (u, min, max) => [0, spec.yMax ?? Math.max(1, Math.ceil(max * 1.1))] } },
    axes: [
      { stroke: cssVar('--text-muted', '#555'), grid: { stroke: cssVar('--grid', '#e5e7eb') } },
      { stroke: cssVar('--text-muted', '#555'), grid: { stroke: cssVar('--grid', '#e5e7eb') }, values: (u, vals) => vals.map(fmt), size: 56 },
    ],
    series: [
      { label: 'Day', value: (u, ts) => (ts == null ? '—' : new Date(ts * 1000).toLocaleDateString()) },
      ...spec.series.map((s) => ({
        label: s.label,
        stroke: cssVar(s.color, '#2563eb'),
        width: 2,
        points: { show: true, size: 5 },
        value: (u, v) => fmt(v),
      })),
    ],
  };
  const toData = (days, series) => [days.map(dayTs), ...series.map((s) => s.values)];
  const plot = new uPlot(opts, toData(spec.days, spec.series), box);
  const summary = h('p', { class: 'sr-only' });
  container.append(summary);
  const summarise = (days, series) => {
    summary.textContent = `${spec.label}, ${days[0] ?? ''} to ${days[days.length - 1] ?? ''}: ${series.map((s) => `${s.label} total ${Math.round(s.values.reduce((a, b) => a + (b ?? 0), 0))}`).join(', ')}.`;
  };
  summarise(spec.days, spec.series);

  const ro = new ResizeObserver(() => plot.setSize({ width: width(), height: height() }));
  ro.observe(container);
  return {
    update(days, series) { plot.setData(toData(days, series)); summarise(days, series); },
    destroy() { ro.disconnect(); plot.destroy(); },
  };
}
