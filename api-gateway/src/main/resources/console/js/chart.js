// Small SVG charts drawn by hand (no chart library): a line over training steps, and bars per day.
import { fill, h, svg } from './dom.js';

const W = 640;
const H = 220;
const PAD = { left: 80, right: 16, top: 16, bottom: 32 };

/** A number short enough for an axis: 0.000123 → "1.23e-4", 1234.5 → "1235". */
export function short(value) {
  if (!Number.isFinite(value)) return '';
  const abs = Math.abs(value);
  if (abs !== 0 && (abs < 0.01 || abs >= 100000)) return value.toExponential(2);
  if (abs >= 100 || Number.isInteger(value)) return value.toFixed(0);
  return value.toPrecision(3);
}

function scale(min, max, from, to) {
  const span = max - min || Math.abs(max) || 1;
  return (v) => from + ((v - min) / span) * (to - from);
}

function frame(name, label) {
  return svg('svg', { viewBox: `0 0 ${W} ${H}`, class: 'chart', role: 'img', 'aria-label': label, dataset: { chart: name } });
}

/**
 * A line chart of {x, y} points; {@code update(points)} redraws it. The polyline holds one vertex
 * per point (tests count them).
 */
export function lineChart(name, title, xLabel) {
  const chart = frame(name, title);
  const caption = h('figcaption', null, title);
  const element = h('figure', { class: 'chart-box' }, caption, chart);
  const update = (points) => {
    const xs = points.map((p) => p.x);
    const ys = points.map((p) => p.y);
    const x0 = Math.min(...xs, 0);
    const x1 = Math.max(...xs, 1);
    const y0 = points.length ? Math.min(...ys) : 0;
    const y1 = points.length ? Math.max(...ys) : 1;
    const sx = scale(x0, x1, PAD.left, W - PAD.right);
    const sy = scale(y0, y1, H - PAD.bottom, PAD.top);
    const last = points[points.length - 1];
    fill(chart,
      svg('line', { x1: PAD.left, y1: H - PAD.bottom, x2: W - PAD.right, y2: H - PAD.bottom, class: 'axis' }),
      svg('line', { x1: PAD.left, y1: PAD.top, x2: PAD.left, y2: H - PAD.bottom, class: 'axis' }),
      svg('text', { x: PAD.left - 6, y: PAD.top + 4, class: 'tick end' }, short(y1)),
      svg('text', { x: PAD.left - 6, y: H - PAD.bottom, class: 'tick end' }, short(y0)),
      svg('text', { x: PAD.left, y: H - 10, class: 'tick' }, short(x0)),
      svg('text', { x: W - PAD.right, y: H - 10, class: 'tick end' }, short(x1)),
      svg('text', { x: (W + PAD.left) / 2, y: H - 10, class: 'tick middle' }, xLabel),
      svg('polyline', { class: 'line', points: points.map((p) => `${sx(p.x).toFixed(1)},${sy(p.y).toFixed(1)}`).join(' ') }),
      last ? svg('circle', { cx: sx(last.x), cy: sy(last.y), r: 3.5, class: 'dot' }) : null);
    caption.textContent = last ? `${title}: ${short(last.y)} at step ${last.x}` : `${title}: waiting for training to report`;
  };
  update([]);
  return { element, update };
}

/** A bar chart of {label, value}: one bar per day. */
export function barChart(name, title, bars) {
  const chart = frame(name, title);
  const max = Math.max(1, ...bars.map((b) => b.value));
  const slot = (W - PAD.left - PAD.right) / Math.max(1, bars.length);
  const sy = scale(0, max, H - PAD.bottom, PAD.top);
  fill(chart,
    svg('line', { x1: PAD.left, y1: H - PAD.bottom, x2: W - PAD.right, y2: H - PAD.bottom, class: 'axis' }),
    svg('text', { x: PAD.left - 6, y: PAD.top + 4, class: 'tick end' }, short(max)),
    svg('text', { x: PAD.left - 6, y: H - PAD.bottom, class: 'tick end' }, '0'),
    bars.map((b, i) => svg('rect', {
      x: PAD.left + i * slot + slot * 0.15, y: sy(b.value), width: slot * 0.7, height: H - PAD.bottom - sy(b.value), class: 'bar',
    }, svg('title', null, `${b.label}: ${b.value}`))),
    bars.length ? svg('text', { x: PAD.left, y: H - 10, class: 'tick' }, bars[0].label) : null,
    bars.length > 1 ? svg('text', { x: W - PAD.right, y: H - 10, class: 'tick end' }, bars[bars.length - 1].label) : null);
  return h('figure', { class: 'chart-box' }, h('figcaption', null, title), chart);
}
