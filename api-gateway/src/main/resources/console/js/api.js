// The gateway's public API, called with the key the person signed in with. The key lives in this
// tab's session storage only: never in a URL, a cookie or local storage, and gone with the tab.

const KEY_ITEM = 'ltx.console.key';

/** The app path of status, result and cancel URLs, and the endpoint jobs are submitted to. */
export const APP = '/fal-ai/ltx23-trainer-v2';
export const ENDPOINT = `${APP}/interpolate`;

export function apiKey() {
  return sessionStorage.getItem(KEY_ITEM);
}

export function signIn(key) {
  sessionStorage.setItem(KEY_ITEM, key);
}

/** Forgets the key and everything this tab remembered with it. */
export function signOut() {
  sessionStorage.clear();
}

/** The path of one request's resource: {@code requestPath(id, 'status')}. */
export function requestPath(id, ...rest) {
  return [`${APP}/requests/${encodeURIComponent(id)}`, ...rest].join('/');
}

/** An answer that was not 2xx: its status, body and, for a 422, the problems by location. */
export class ApiError extends Error {
  constructor(status, body, headers) {
    super(describe(status, body));
    this.status = status;
    this.body = body;
    this.problems = body && Array.isArray(body.detail) ? body.detail : null;
    this.retryAfter = headers ? Number(headers.get('Retry-After')) || null : null;
  }
}

function describe(status, body) {
  if (body && typeof body.detail === 'string') return body.detail;
  if (body && Array.isArray(body.detail)) {
    return body.detail.map((p) => `${(p.loc || []).join('.')}: ${p.msg}`).join('; ');
  }
  if (body && typeof body.status === 'string') return body.status;
  return `The gateway answered ${status}`;
}

/** The headers every call carries. */
export function authHeaders(extra = {}) {
  return { Authorization: `Key ${apiKey()}`, ...extra };
}

/** Tells the page the key was refused (it signs out and asks again). */
export function unauthorized() {
  window.dispatchEvent(new CustomEvent('ltx:unauthorized'));
}

/**
 * Calls the API: {@code call('GET', '/v1/usage', {query: {from}})}; JSON in and out. Answers
 * {status, body, headers} for 2xx, throws {@link ApiError} otherwise.
 */
export async function call(method, path, { json, query, headers = {}, signal } = {}) {
  const url = new URL(path, location.origin);
  for (const [name, value] of Object.entries(query || {})) {
    if (value !== null && value !== undefined && value !== '') url.searchParams.set(name, value);
  }
  const init = { method, headers: authHeaders(headers), signal, cache: 'no-store', credentials: 'omit' };
  if (json !== undefined) {
    init.headers['Content-Type'] = 'application/json';
    init.body = JSON.stringify(json);
  }
  const response = await fetch(url.pathname + url.search, init);
  const text = await response.text();
  let body = null;
  try {
    body = text ? JSON.parse(text) : null;
  } catch {
    body = { detail: text };
  }
  if (response.status === 401) unauthorized();
  if (!response.ok) throw new ApiError(response.status, body, response.headers);
  return { status: response.status, body, headers: response.headers };
}
