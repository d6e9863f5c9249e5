// The caller's jobs, newest first, from GET /v1/requests: kept live by reading the first page again
// every few seconds (new jobs appear on top, states change in place); older pages on demand.
import { call } from './api.js';
import { fill, h, when } from './dom.js';

const STATES = ['IN_QUEUE', 'IN_PROGRESS', 'COMPLETED', 'FAILED', 'CANCELED'];
const PAGE = 20;
const REFRESH_MS = 3000;

function row(job) {
  const id = job.request_id;
  const steps = job.steps === null || job.steps === undefined ? '—'
    : job.steps_done !== null && job.steps_done !== undefined && job.status !== 'COMPLETED' ? `${job.steps_done} / ${job.steps}` : String(job.steps);
  return h('tr', { dataset: { requestId: id } },
    h('td', { 'data-label': 'Request' }, h('a', { href: `#/jobs/${encodeURIComponent(id)}` }, id)),
    h('td', { 'data-label': 'State' }, h('span', { class: `state s-${job.status}` }, job.status)),
    h('td', { 'data-label': 'Created' }, when(job.created_at)),
    h('td', { 'data-label': 'Started' }, when(job.started_at)),
    h('td', { 'data-label': 'Ended' }, when(job.ended_at)),
    h('td', { 'data-label': 'Steps' }, steps),
    h('td', { 'data-label': 'Units' }, job.units ?? '—'),
    h('td', { 'data-label': 'Error' }, job.error_type || ''));
}

/** Renders the history into {@code view}; destroy() stops its refresh. */
export function renderHistory(view) {
  const stop = new AbortController();
  const filter = h('select', { id: 'status-filter', 'aria-label': 'State' },
    h('option', { value: '' }, 'Every state'), STATES.map((s) => h('option', { value: s }, s)));
  const body = h('tbody', { id: 'history' });
  const more = h('button', { type: 'button', id: 'more', class: 'secondary', hidden: true }, 'Older jobs');
  const note = h('p', { id: 'history-note', class: 'muted', 'aria-live': 'polite' });
  let jobs = [];
  let cursor = null;
  let timer = null;

  const draw = () => {
    fill(body, jobs.map(row));
    if (!jobs.length) body.append(h('tr', null, h('td', { colspan: 8, class: 'muted' }, 'No jobs yet: start one with "New job".')));
  };

  /** Reads the newest page again and merges it: known jobs are updated, new ones go on top. */
  async function refresh() {
    try {
      const { body: page } = await call('GET', '/v1/requests', { query: { limit: PAGE, status: filter.value }, signal: stop.signal });
      const fresh = page.requests || [];
      const freshIds = new Set(fresh.map((j) => j.request_id));
      const oldest = fresh.length ? Date.parse(fresh[fresh.length - 1].created_at) : null;
      // Older jobs already shown stay below the first page (a job that left the filter leaves the list).
      const older = jobs.filter((j) => !freshIds.has(j.request_id) && oldest !== null && Date.parse(j.created_at) < oldest);
      jobs = [...fresh, ...older];
      if (cursor === null) {
        cursor = page.next_cursor;
        more.hidden = !page.has_more;
      }
      note.textContent = '';
      draw();
    } catch (e) {
      if (!stop.signal.aborted) note.textContent = `Could not read the history: ${e.message}`;
    }
    if (!stop.signal.aborted) timer = setTimeout(refresh, REFRESH_MS);
  }

  more.addEventListener('click', async () => {
    try {
      const { body: page } = await call('GET', '/v1/requests', { query: { limit: PAGE, status: filter.value, cursor }, signal: stop.signal });
      const known = new Set(jobs.map((j) => j.request_id));
      jobs = [...jobs, ...(page.requests || []).filter((j) => !known.has(j.request_id))];
      cursor = page.next_cursor;
      more.hidden = !page.has_more;
      draw();
    } catch (e) {
      note.textContent = e.message;
    }
  });

  filter.addEventListener('change', () => {
    clearTimeout(timer);
    jobs = [];
    cursor = null;
    draw();
    refresh();
  });

  fill(view, h('section', { class: 'history' },
    h('div', { class: 'row spread' }, h('h1', null, 'Jobs'), h('label', { class: 'row' }, 'Show ', filter)),
    note,
    h('table', { class: 'table' },
      h('thead', null, h('tr', null, ['Request', 'State', 'Created', 'Started', 'Ended', 'Steps', 'Units', 'Error'].map((t) => h('th', null, t)))),
      body),
    more));
  draw();
  refresh();
  return { destroy() { stop.abort(); clearTimeout(timer); } };
}
