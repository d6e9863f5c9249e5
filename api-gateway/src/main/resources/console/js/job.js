// One job: its state and queue position, live logs over the status stream, the loss curve and the
// learning-rate and seconds-per-step plots from the progress it reports, then its reel, keyframes
// and downloads; cancel, webhook attempts and redelivery, the units billed.
import { ApiError, call, requestPath } from './api.js';
import { lineChart } from './chart.js';
import { bytes, duration, fill, h, when } from './dom.js';
import { recallKeyframes } from './keyframes.js';
import { followStatus, isTerminal } from './status-stream.js';

const OUTPUTS = [['lora_file', 'LoRA'], ['config_file', 'Training config'], ['video', 'Validation reel'], ['debug_dataset', 'Debug dataset']];

/** The progress points a page has seen, kept for the tab so that coming back keeps the curve. */
function curveStore(id) {
  const item = `ltx.curve.${id}`;
  let points = [];
  try {
    points = JSON.parse(sessionStorage.getItem(item)) || [];
  } catch {
    points = [];
  }
  return {
    points,
    add(progress) {
      if (progress.stage !== 'train' || typeof progress.loss !== 'number') return false;
      const step = progress.done;
      if (points.length && points[points.length - 1].step >= step) return false;
      points.push({ step, loss: progress.loss, lr: progress.learning_rate, sps: progress.seconds_per_step });
      try {
        sessionStorage.setItem(item, JSON.stringify(points));
      } catch {
        // storage full: the curve still grows on this page
      }
      return true;
    },
  };
}

/**
 * Units billed for {@code id}: only completed jobs are billed; the history lists each job's units,
 * so the completed ones are searched newest first (a few pages at most).
 */
async function billedUnits(id, signal) {
  let cursor = null;
  for (let page = 0; page < 10; page++) {
    const { body } = await call('GET', '/v1/requests', { query: { limit: 100, status: 'COMPLETED', cursor }, signal });
    const found = (body.requests || []).find((r) => r.request_id === id);
    if (found) return found.units;
    if (!body.has_more || !body.next_cursor) return null;
    cursor = body.next_cursor;
  }
  return null;
}

function outputLinks(result) {
  return h('ul', { class: 'downloads' }, OUTPUTS.filter(([key]) => result[key] && result[key].url).map(([key, label]) => {
    const file = result[key];
    return h('li', null, h('a', { href: file.url, target: '_blank', rel: 'noopener noreferrer', download: file.file_name || '', dataset: { output: key } },
      `${label}: ${file.file_name || key}`), h('span', { class: 'muted' }, ` ${bytes(file.file_size)}`));
  }));
}

function keyframeFigures(id) {
  const samples = recallKeyframes(id);
  if (!samples) {
    return h('p', { class: 'muted' }, 'Keyframe images are shown for jobs submitted from this tab.');
  }
  return h('div', { class: 'keyframes' }, samples.map((s, i) => h('figure', { class: 'sample-frames' },
    h('figcaption', null, `validation[${i}]: `, s.prompt || ''),
    h('div', { class: 'frames' }, ['start_image_url', 'middle_image_url', 'end_image_url'].filter((k) => s[k])
      .map((k) => h('img', { src: s[k], alt: k.replace('_image_url', ' keyframe'), class: 'keyframe', loading: 'lazy' }))))));
}

/** Renders job {@code id} into {@code view}; destroy() stops its stream and timers. */
export function renderJob(view, id) {
  const stop = new AbortController();
  const { signal } = stop;
  const curve = curveStore(id);
  const state = h('span', { id: 'job-state', class: 'state' }, '…');
  const queue = h('span', { id: 'queue-position', class: 'muted' });
  const connection = h('span', { id: 'connection', class: 'muted' }, 'connecting');
  const progressBar = h('progress', { id: 'train-progress', max: 1, value: 0, hidden: true });
  const progressText = h('span', { id: 'progress-text', class: 'muted' });
  const cancel = h('button', { type: 'button', id: 'cancel', class: 'danger', hidden: true }, 'Cancel');
  const actionResult = h('span', { id: 'action-result', class: 'muted', 'aria-live': 'polite' });
  const error = h('p', { id: 'job-error', class: 'error-box', hidden: true });
  const loss = lineChart('loss', 'Loss', 'step');
  const lr = lineChart('learning-rate', 'Learning rate', 'step');
  const sps = lineChart('seconds-per-step', 'Seconds per step', 'step');
  const logs = h('ol', { id: 'logs', class: 'logs' });
  const outputs = h('div', { id: 'outputs' }, h('p', { class: 'muted' }, 'The LoRA, config and reel appear here when the job completes.'));
  const webhooks = h('div', { id: 'webhooks' });
  const units = h('p', { id: 'units' }, '—');
  const redeliverResult = h('span', { id: 'redeliver-result', class: 'muted', 'aria-live': 'polite' });
  let last = null;
  let webhookTimer = null;
  /** The attempt count when a redelivery was queued, until its attempt is listed; else null. */
  let redeliveryAfter = null;

  const drawCurves = () => {
    loss.update(curve.points.map((p) => ({ x: p.step, y: p.loss })));
    lr.update(curve.points.filter((p) => typeof p.lr === 'number').map((p) => ({ x: p.step, y: p.lr })));
    sps.update(curve.points.filter((p) => typeof p.sps === 'number').map((p) => ({ x: p.step, y: p.sps })));
  };

  function appendLogs(lines) {
    const atBottom = logs.scrollTop + logs.clientHeight >= logs.scrollHeight - 4;
    for (const line of lines || []) {
      logs.append(h('li', { class: `log ${String(line.level || '').toLowerCase()}` },
        h('time', null, when(line.timestamp)), ' ', h('span', { class: 'level' }, line.level || ''), ' ',
        h('span', { class: 'message' }, line.message)));
    }
    if (atBottom) logs.scrollTop = logs.scrollHeight;
  }

  function showProgress(progress) {
    if (!progress) {
      progressBar.hidden = true;
      progressText.textContent = '';
      return;
    }
    progressBar.hidden = false;
    progressBar.value = progress.total ? progress.done / progress.total : 0;
    const parts = [`${progress.stage}: ${progress.done} of ${progress.total}`];
    if (typeof progress.seconds_per_step === 'number') parts.push(`${progress.seconds_per_step.toFixed(2)} s/step`);
    if (typeof progress.eta_seconds === 'number') parts.push(`ETA ${duration(progress.eta_seconds)}`);
    progressText.textContent = parts.join(' · ');
  }

  async function showOutputs() {
    try {
      const { body } = await call('GET', requestPath(id), { signal });
      const video = body.video && body.video.url
        ? h('video', { id: 'reel', src: body.video.url, controls: true, muted: true, loop: true, playsinline: true, preload: 'metadata' })
        : h('p', { class: 'muted' }, 'No validation reel (the job had no validation samples).');
      // The property, not only the attribute: a muted reel may play without a click.
      video.muted = true;
      fill(outputs, h('div', { class: 'reel' }, video, keyframeFigures(id)), outputLinks(body));
    } catch (e) {
      if (!signal.aborted) fill(outputs, h('p', { class: 'error' }, e.message));
    }
  }

  /** The charge is written just after the job completes: asked again a few times until the ledger has it. */
  async function showUnits(status, tries = 10) {
    if (status.state !== 'COMPLETED') {
      units.textContent = '0 units: only completed jobs are billed';
      return;
    }
    try {
      const n = await billedUnits(id, signal);
      const known = n !== null && n !== undefined;
      units.textContent = known ? `${n} units` : 'not in the ledger yet';
      if (!known && tries > 1 && !signal.aborted) setTimeout(() => showUnits(status, tries - 1), 2000);
    } catch (e) {
      if (!signal.aborted) units.textContent = e.message;
    }
  }

  /**
   * The webhook's attempts, read again every few seconds while one is still to come (the first
   * delivery, a retry, a redelivery just queued).
   */
  async function showWebhooks() {
    clearTimeout(webhookTimer);
    try {
      const { body } = await call('GET', requestPath(id, 'webhooks'), { signal });
      if (!body.webhook_url) {
        fill(webhooks, h('p', { class: 'muted' }, 'No webhook: the job was submitted without fal_webhook.'));
        return;
      }
      const attempts = body.attempts || [];
      const lastAttempt = attempts[attempts.length - 1];
      if (redeliveryAfter !== null && attempts.length > redeliveryAfter) redeliveryAfter = null;
      const redeliver = h('button', { type: 'button', id: 'redeliver', class: 'secondary',
        disabled: !last || !isTerminal(last) || redeliveryAfter !== null }, 'Redeliver');
      redeliver.addEventListener('click', async () => {
        redeliver.disabled = true;
        try {
          const answer = await call('POST', requestPath(id, 'webhooks', 'redeliver'), { signal });
          redeliverResult.textContent = `Redelivery queued (delivery ${answer.body.delivery_id})`;
          redeliveryAfter = attempts.length;
          showWebhooks();
        } catch (e) {
          redeliverResult.textContent = e.message;
          redeliver.disabled = false;
        }
      });
      const rows = attempts.map((a) => h('tr', null,
        h('td', { 'data-label': 'Attempt' }, a.attempt), h('td', { 'data-label': 'Outcome' }, a.outcome),
        h('td', { 'data-label': 'Status' }, a.status_code ?? '—'), h('td', { 'data-label': 'Error' }, a.error || ''),
        h('td', { 'data-label': 'Took' }, `${a.duration_ms} ms`), h('td', { 'data-label': 'Next try' }, when(a.next_attempt_at))));
      fill(webhooks,
        h('p', null, 'To ', h('code', null, body.webhook_url), ', delivery id ', h('code', null, body.delivery_id || '')),
        rows.length ? h('table', { class: 'table', id: 'webhook-attempts' }, h('thead', null, h('tr', null,
          ['Attempt', 'Outcome', 'Status', 'Error', 'Took', 'Next try'].map((t) => h('th', null, t)))), h('tbody', null, rows))
          : h('p', { class: 'muted' }, 'No attempt yet.'),
        h('div', { class: 'row' }, redeliver, redeliverResult));
      const waiting = !lastAttempt || lastAttempt.outcome === 'retrying' || redeliveryAfter !== null;
      if (waiting && !signal.aborted) webhookTimer = setTimeout(showWebhooks, 3000);
    } catch (e) {
      if (!signal.aborted) fill(webhooks, h('p', { class: 'error' }, e.message));
    }
  }

  function onStatus(status) {
    last = status;
    const name = status.state || status.status;
    state.textContent = name;
    state.className = `state s-${name}`;
    queue.textContent = name === 'IN_QUEUE' && typeof status.queue_position === 'number'
      ? `position ${status.queue_position + 1} in the queue` : '';
    appendLogs(status.logs);
    if (status.progress && curve.add(status.progress)) drawCurves();
    showProgress(isTerminal(status) ? null : status.progress);
    cancel.hidden = isTerminal(status);
    if (status.error) {
      error.hidden = false;
      error.textContent = status.error_type ? `${status.error} (${status.error_type})` : status.error;
    }
    if (isTerminal(status)) {
      connection.textContent = 'finished';
      if (status.state === 'COMPLETED') showOutputs();
      else fill(outputs, h('p', { class: 'muted' }, 'No outputs: the job did not complete.'));
      showUnits(status);
      showWebhooks();
    }
  }

  cancel.addEventListener('click', async () => {
    cancel.disabled = true;
    try {
      await call('PUT', requestPath(id, 'cancel'), { signal });
      actionResult.textContent = 'Cancellation requested';
    } catch (e) {
      actionResult.textContent = e instanceof ApiError && e.body && e.body.status === 'ALREADY_COMPLETED'
        ? 'The job had already finished' : e.message;
    } finally {
      cancel.disabled = false;
    }
  });

  const page = h('article', { class: 'job' },
    h('header', { class: 'job-head' },
      h('h1', null, 'Job ', h('code', { id: 'job-id' }, id)),
      h('p', { class: 'row' }, state, queue, connection),
      h('p', { class: 'row' }, progressBar, progressText),
      h('p', { class: 'row' }, cancel, actionResult),
      error),
    h('div', { class: 'job-grid' },
      h('section', { class: 'panel charts' }, h('h2', null, 'Training'), loss.element,
        h('div', { class: 'pair-charts' }, lr.element, sps.element)),
      h('section', { class: 'panel' }, h('h2', null, 'Outputs'), outputs),
      h('section', { class: 'panel logs-panel' }, h('h2', null, 'Logs'), logs),
      h('section', { class: 'panel' }, h('h2', null, 'Webhook'), webhooks, h('h2', null, 'Billed'), units)));
  fill(view, page);
  drawCurves();

  followStatus(id, {
    signal,
    onStatus,
    onLive: () => { connection.textContent = 'live'; },
    onDrop: (e) => { connection.textContent = `reconnecting (${e.message})`; },
    onNotFound: () => fill(view, h('div', { id: 'not-found', class: 'empty' }, h('h1', null, 'Request not found'),
      h('p', null, 'No request ', h('code', null, id), ' for this API key.'))),
  });
  return {
    destroy() {
      stop.abort();
      clearTimeout(webhookTimer);
    },
  };
}
