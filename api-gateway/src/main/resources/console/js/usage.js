// Usage per UTC day from GET /v1/usage: completed jobs, units and amount, as bars and a table.
import { call } from './api.js';
import { barChart } from './chart.js';
import { fill, h } from './dom.js';

const day = (date) => date.toISOString().slice(0, 10);

/** Renders the usage page into {@code view}. */
export function renderUsage(view) {
  const stop = new AbortController();
  const today = new Date();
  const from = h('input', { type: 'date', id: 'usage-from', value: day(new Date(today.getTime() - 29 * 86400000)) });
  const to = h('input', { type: 'date', id: 'usage-to', value: day(new Date(today.getTime() + 86400000)) });
  const result = h('div', { id: 'usage' });

  async function load() {
    try {
      const { body } = await call('GET', '/v1/usage', { query: { from: from.value, to: to.value }, signal: stop.signal });
      const days = body.by_day || [];
      fill(result,
        h('p', { class: 'totals' }, `${body.jobs} completed job(s), ${body.units} units, `,
          h('strong', null, `$${body.amount_usd}`), ` at $${body.unit_price_usd} a unit`),
        barChart('units-per-day', 'Units per day (UTC)', days.map((d) => ({ label: d.date, value: d.units }))),
        h('table', { class: 'table' },
          h('thead', null, h('tr', null, ['Day', 'Jobs', 'Units', 'Amount (USD)'].map((t) => h('th', null, t)))),
          h('tbody', null, days.map((d) => h('tr', null, h('td', { 'data-label': 'Day' }, d.date),
            h('td', { 'data-label': 'Jobs' }, d.jobs), h('td', { 'data-label': 'Units' }, d.units),
            h('td', { 'data-label': 'Amount' }, d.amount_usd))))));
    } catch (e) {
      if (!stop.signal.aborted) fill(result, h('p', { class: 'error' }, e.message));
    }
  }

  from.addEventListener('change', load);
  to.addEventListener('change', load);
  fill(view, h('section', { class: 'usage' }, h('h1', null, 'Usage'),
    h('div', { class: 'row' }, h('label', { for: 'usage-from' }, 'From'), from, h('label', { for: 'usage-to' }, 'to (excluded)'), to),
    result));
  load();
  return { destroy: () => stop.abort() };
}
