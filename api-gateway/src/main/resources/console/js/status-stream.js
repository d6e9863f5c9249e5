// A job's status stream (server-sent events) read with fetch, since EventSource cannot send the
// Authorization header. A dropped connection is resumed with Last-Event-ID, so no log line is
// shown twice or missed; the stream ends for good after the job's last status.
import { ApiError, authHeaders, requestPath, unauthorized } from './api.js';

const TERMINAL = new Set(['COMPLETED', 'FAILED', 'CANCELED']);

/** Whether a status object is a job's last. */
export function isTerminal(status) {
  return TERMINAL.has(status.state) || (!status.state && status.status === 'COMPLETED');
}

/** Yields {id, event, data} for each event of a text/event-stream body (the WHATWG parsing rules). */
async function* events(body) {
  const reader = body.pipeThrough(new TextDecoderStream()).getReader();
  let buffer = '';
  let event = { id: null, event: 'message', data: [] };
  for (;;) {
    const { value, done } = await reader.read();
    if (done) return;
    buffer += value;
    let newline;
    while ((newline = buffer.search(/\r\n|\r|\n/)) >= 0) {
      const line = buffer.slice(0, newline);
      buffer = buffer.slice(newline + (buffer.startsWith('\r\n', newline) ? 2 : 1));
      if (line === '') {
        if (event.data.length) yield { id: event.id, event: event.event, data: event.data.join('\n') };
        event = { id: null, event: 'message', data: [] };
        continue;
      }
      if (line.startsWith(':')) continue; // a keep-alive comment
      const colon = line.indexOf(':');
      const field = colon < 0 ? line : line.slice(0, colon);
      const text = colon < 0 ? '' : line.slice(colon + 1).replace(/^ /, '');
      if (field === 'data') event.data.push(text);
      else if (field === 'id') event.id = text;
      else if (field === 'event') event.event = text;
    }
  }
}

const sleep = (ms, signal) => new Promise((resolve) => {
  const timer = setTimeout(resolve, ms);
  signal.addEventListener('abort', () => { clearTimeout(timer); resolve(); }, { once: true });
});

/**
 * Follows job {@code id} until its last status or until {@code signal} aborts. Calls
 * onStatus(status) per event, onNotFound() for an id this key does not see, onDrop(error) when
 * the connection is lost (it is then resumed after a pause), onLive() once connected.
 */
export async function followStatus(id, { signal, onStatus, onNotFound, onDrop, onLive }) {
  let lastEventId = null;
  let pause = 1000;
  while (!signal.aborted) {
    try {
      const headers = authHeaders({ Accept: 'text/event-stream' });
      if (lastEventId) headers['Last-Event-ID'] = lastEventId;
      const response = await fetch(`${requestPath(id, 'status', 'stream')}?logs=1`,
        { headers, signal, cache: 'no-store', credentials: 'omit' });
      if (response.status === 404) {
        onNotFound();
        return;
      }
      if (response.status === 401) {
        unauthorized();
        return;
      }
      if (!response.ok) {
        const body = await response.json().catch(() => null);
        throw new ApiError(response.status, body, response.headers);
      }
      onLive?.();
      pause = 1000;
      for await (const event of events(response.body)) {
        if (event.id) lastEventId = event.id;
        const status = JSON.parse(event.data);
        onStatus(status);
        if (isTerminal(status)) return;
      }
      onDrop?.(new Error('The status stream closed before the job ended'));
    } catch (error) {
      if (signal.aborted) return;
      onDrop?.(error);
      if (error instanceof ApiError && error.retryAfter) pause = Math.max(pause, error.retryAfter * 1000);
    }
    await sleep(pause, signal);
    pause = Math.min(pause * 2, 15000);
  }
}
