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

/**
 * Bars per category (a number, an agent) in `container`, one colour per series;
 * each later series is drawn narrower, on top (e.g. answered inside calls).
 * spec: {label, categories:[text], series:[{label, color:'--css-var', values:[…]}]}
 * Returns {destroy()}.
 */
export async function barChart(container, spec) {
  const uPlot = await loadUPlot();
  const box = h('div', { class: 'chart-canvas', role: 'img', 'aria-label': spec.label });
  container.append(box);
  const cats = spec.categories;
  const width = () => Math.max(260, container.clientWidth || 600);
  const n = Math.max(1, spec.series.length);
  const xs = cats.map((_, i) => i);
  const opts = {
    width: width(),
    height: window.innerWidth < 640 ? 220 : 280,
    cursor: { drag: { x: false, y: false } },
    scales: { x: { time: false, range: () => [-0.5, cats.length - 0.5] }, y: { range: (u, min, max) => [0, Math.max(1, Math.ceil(max * 1.1))] } },
    axes: [
      { stroke: cssVar('--text-muted', '#555'), grid: { show: false }, splits: () => cats.map((_, i) => i), values: (u, vals) => vals.map((v) => String(cats[v] ?? '').slice(0, 16)) },
      { stroke: cssVar('--text-muted', '#555'), grid: { stroke: cssVar('--grid', '#e5e7eb') }, size: 56 },
    ],
    series: [
      { label: 'Group', value: (u, i) => (i == null ? '—' : cats[i] ?? '') },
      ...spec.series.map((s, k) => ({
        label: s.label, fill: cssVar(s.color, '#2563eb'), stroke: cssVar(s.color, '#2563eb'), width: 0,
        // later series are drawn narrower on top of earlier ones (answered inside calls)
        paths: uPlot.paths.bars({ size: [Math.max(0.25, 0.7 - (0.45 / n) * k), 80] }),
        points: { show: false }, value: (u, v) => (v == null ? '—' : String(v)),
      })),
    ],
  };
  const plot = new uPlot(opts, [xs, ...spec.series.map((s) => s.values)], box);
  container.append(h('p', { class: 'sr-only' }, `${spec.label}: ${cats.map((c, i) => `${c} ${spec.series.map((s) => `${s.label} ${s.values[i] ?? 0}`).join(', ')}`).join('; ')}.`));
  const ro = new ResizeObserver(() => plot.setSize({ width: width(), height: opts.height }));
  ro.observe(container);
  return { destroy() { ro.disconnect(); plot.destroy(); } };
}
